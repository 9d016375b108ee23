"""The public pages: the catalogue, a sheet, the themes, the network (départements, structures,
federations) with the published sheets they run, and the structure directory. Only published
sheets are ever read or counted here; the directory lists every structure (its identity card is
public data of the observatory), with or without published sheets."""

from django.conf import settings
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.generic import DetailView, ListView, TemplateView, View
from django_filters.views import FilterMixin, FilterView

from actions.models import Action
from federations.models import Department, Federation, Structure
from federations.text import french_ordering, in_french

from .csv_export import (
    CSV,
    EXCEL_CSV,
    XLSX,
    XLSX_MAX_ROWS,
    csv_response,
    stored_exports,
    xlsx_response,
)
from .facets.counting import Within, count_per, headline_figures, option_counts
from .facets.declared import DEPARTEMENT, FEDERATION, THEME
from .filters import ActionFilterSet, StructureFilterSet
from .pagination import DeferredJoinPaginator, PageTooDeep
from .pdf import sheet_pdf_response
from .sheet import sheet_sections
from .structure_card import identity_card

LATEST_ON_HOME = 6
ACTIONS_PER_PAGE = 20
STRUCTURES_PER_PAGE = 30


class BoundFilterMixin(FilterMixin):
    """Always bind the filter form, even without parameters, and ignore invalid values
    (a shared link with a stale value still shows the rest of the selection)."""

    filterset_class = ActionFilterSet
    strict = False

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = self.request.GET
        return kwargs


class HomeView(TemplateView):
    template_name = "catalogue/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            themes=option_counts(THEME, Within.catalogue()),
            latest=Action.objects.catalogue()[:LATEST_ON_HOME],
            figures=headline_figures(Within.catalogue()),
            search_form=ActionFilterSet().form,
            **kwargs,
        )


class ActionListView(BoundFilterMixin, FilterView):
    queryset = Action.objects.catalogue()
    paginate_by = ACTIONS_PER_PAGE
    paginator_class = DeferredJoinPaginator
    template_name = "catalogue/action_list.html"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except PageTooDeep as refused:
            context = {
                "number": refused.number,
                "last_page": refused.paginator.num_pages,
                "depth": refused.paginator.max_depth,
                "count": refused.paginator.count,
                "query": self.filterset.query_string,
            }
            return render(request, "catalogue/page_too_deep.html", context, status=400)

    def get_filterset_kwargs(self, filterset_class):
        """A relevance-sorted search lists its window (catalogue/search.py)."""
        return {**super().get_filterset_kwargs(filterset_class), "windowed_search": True}

    def get_paginator(self, queryset, per_page, **kwargs):
        """The facets count the selection too, when they read the facet index (PostgreSQL):
        the paginator takes that count instead of counting again."""
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if self.filterset.result_count is not None:
            paginator.count = self.filterset.result_count
        return paginator


class ActionExportView(BoundFilterMixin, View):
    """The catalogue's current selection as a spreadsheet (``export_format``: CSV, the CSV
    for Excel, or XLSX), one row per sheet with every section; the CSVs of the whole catalogue
    are written once per catalogue version (``StoredExports``)."""

    export_format = CSV

    def get_queryset(self):
        return Action.objects.published()

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset(self.get_filterset_class())
        sheets = filterset.qs
        if self.export_format == XLSX:
            if (count := sheets.count()) > XLSX_MAX_ROWS:
                context = {"count": count, "limit": XLSX_MAX_ROWS, "query": filterset.query_string}
                return render(request, "catalogue/export_too_large.html", context, status=400)
            return xlsx_response(sheets, request=request)
        excel = self.export_format == EXCEL_CSV
        if not filterset.narrows:
            return stored_exports().response(
                sheets, request=request, variant=filterset.sort_key, excel=excel
            )
        return csv_response(sheets, request=request, excel=excel)


class ActionDetailView(DetailView):
    queryset = Action.objects.for_sheet()
    template_name = "catalogue/action_detail.html"
    context_object_name = "action"

    def get_context_data(self, **kwargs):
        action = self.object
        return super().get_context_data(
            sections=sheet_sections(action),
            similar=Action.objects.published().similar_to(action),
            **kwargs,
        )


class AccessibilityView(TemplateView):
    """The accessibility statement (RGAA "déclaration d'accessibilité"), with the address
    where people report a problem (``CONTACT_EMAIL``)."""

    template_name = "catalogue/accessibility.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(contact_email=settings.CONTACT_EMAIL, **kwargs)


class ActionPdfView(ActionDetailView):
    """A sheet's page as a PDF, printed with the print stylesheet (catalogue/pdf.py); its
    ``Last-Modified`` is the sheet's last change, and a conditional GET gets a 304 without
    printing again."""

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        last_modified = int(self.object.updated_at.timestamp())
        if unchanged := get_conditional_response(request, last_modified=last_modified):
            return unchanged
        response = sheet_pdf_response(
            request, self.template_name, self.get_context_data(object=self.object), self.object
        )
        if response.status_code == 200:
            response["Last-Modified"] = http_date(last_modified)
        return response


class ThemeListView(ListView):
    template_name = "catalogue/theme_list.html"
    context_object_name = "themes"

    def get_queryset(self):
        return option_counts(THEME, Within.catalogue())


# The network -------------------------------------------------------------------------------


class ActionPageMixin:
    """A page about one place or organisation, listing its published sheets 20 at a time."""

    paginate_by = ACTIONS_PER_PAGE
    context_object_name = "actions"


class DepartmentListView(ListView):
    template_name = "catalogue/department_list.html"
    context_object_name = "departments"

    def get_queryset(self):
        return (
            option_counts(DEPARTEMENT, Within.catalogue())
            .select_related("region")
            .order_by(in_french("region__name"), "code")
        )


class DepartmentDetailView(ActionPageMixin, ListView):
    template_name = "catalogue/department_detail.html"

    def get_queryset(self):
        self.department = get_object_or_404(
            Department.objects.select_related("region"), code=self.kwargs["code"].upper()
        )
        return Action.objects.catalogue().filter(structure__department=self.department)

    def get_context_data(self, **kwargs):
        department = self.department
        return super().get_context_data(
            department=department,
            structures=count_per(
                Structure.objects.filter(department=department), "structure", Within.catalogue()
            ).select_related("federation"),
            federations=Federation.objects.filter(
                Q(departments=department) | Q(structures__department=department)
            )
            .distinct()
            .order_by(*french_ordering(Federation)),
            **kwargs,
        )


class StructureListView(BoundFilterMixin, FilterView):
    """The structure directory: every structure, searched and filtered by its facets, which
    count structures (catalogue/facets/declared.py, ``STRUCTURE_FACETS``)."""

    filterset_class = StructureFilterSet
    queryset = Structure.objects.for_directory()
    paginate_by = STRUCTURES_PER_PAGE
    template_name = "catalogue/structure_list.html"

    def paginate_queryset(self, queryset, page_size):
        """The structures of the page, each with its published sheets counted (a correlated
        subquery, evaluated for the rows of the page only)."""
        return super().paginate_queryset(
            count_per(queryset, "structure", Within.catalogue()), page_size
        )


class StructureDetailView(ActionPageMixin, ListView):
    template_name = "catalogue/structure_detail.html"

    def get_queryset(self):
        self.structure = get_object_or_404(
            Structure.objects.for_directory(), slug=self.kwargs["slug"]
        )
        return Action.objects.catalogue().filter(structure=self.structure)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            structure=self.structure,
            card=identity_card(self.structure),
            themes=option_counts(
                THEME, Within(Action.objects.published().filter(structure=self.structure))
            )
            .filter(action_count__gt=0)
            .order_by("-action_count", "position"),
            **kwargs,
        )


class FederationListView(ListView):
    template_name = "catalogue/federation_list.html"
    context_object_name = "federations"

    def get_queryset(self):
        """Both counts as correlated subqueries: a count over the join would be multiplied by
        the other, and Django would group by the subquery, evaluating it once per sheet."""
        structures = (
            Structure.objects.filter(federation=OuterRef("pk"))
            .order_by()
            .values("federation")
            .annotate(n=Count("pk"))
        )
        return (
            option_counts(FEDERATION, Within.catalogue())
            .annotate(structure_count=Coalesce(Subquery(structures.values("n")), 0))
            .prefetch_related("departments")
        )


class FederationDetailView(ActionPageMixin, ListView):
    template_name = "catalogue/federation_detail.html"

    def get_queryset(self):
        self.federation = get_object_or_404(
            Federation.objects.prefetch_related("departments"), slug=self.kwargs["slug"]
        )
        return Action.objects.catalogue().filter(structure__federation=self.federation)

    def get_context_data(self, **kwargs):
        federation = self.federation
        return super().get_context_data(
            federation=federation,
            structures=count_per(
                Structure.objects.filter(federation=federation), "structure", Within.catalogue()
            ).select_related("department"),
            themes=option_counts(THEME, Within.value(FEDERATION, federation))
            .filter(action_count__gt=0)
            .order_by("-action_count", "position"),
            **kwargs,
        )
