"""Public pages of the catalogue. Only published sheets are ever read here."""

from django.views.generic import DetailView, ListView, TemplateView, View
from django_filters.views import FilterMixin, FilterView

from .csv_export import csv_response
from .facet_keys import TOTAL
from .filters import ActionFilterSet
from .models import Action
from .pagination import DeferredJoinPaginator
from .sheet import sheet_sections

LATEST_ON_HOME = 6


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
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        published = Action.objects.published()
        return super().get_context_data(
            themes=published.theme_counts(index_key=TOTAL),
            latest=Action.objects.catalogue()[:LATEST_ON_HOME],
            figures=published.headline_figures(index_key=TOTAL),
            search_form=ActionFilterSet().form,
            **kwargs,
        )


class ActionListView(BoundFilterMixin, FilterView):
    queryset = Action.objects.catalogue()
    paginate_by = 20
    paginator_class = DeferredJoinPaginator
    template_name = "actions/action_list.html"

    def get_paginator(self, queryset, per_page, **kwargs):
        """The facets count the selection too, when they read the facet index (PostgreSQL):
        the paginator takes that count instead of counting again."""
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if self.filterset.result_count is not None:
            paginator.count = self.filterset.result_count
        return paginator


class ActionExportView(BoundFilterMixin, View):
    """The catalogue's current selection as CSV, one row per sheet."""

    def get_queryset(self):
        return Action.objects.for_export()

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset(self.get_filterset_class())
        return csv_response(filterset.qs, request=request)


class ActionDetailView(DetailView):
    queryset = Action.objects.for_sheet()
    template_name = "actions/action_detail.html"
    context_object_name = "action"

    def get_context_data(self, **kwargs):
        action = self.object
        return super().get_context_data(
            sections=sheet_sections(action),
            similar=Action.objects.published().similar_to(action),
            **kwargs,
        )


class ThemeListView(ListView):
    template_name = "actions/theme_list.html"
    context_object_name = "themes"

    def get_queryset(self):
        return Action.objects.published().theme_counts(index_key=TOTAL)
