"""Public pages of the network: départements, structures and federations, with the published
sheets they run. Counts only ever include published sheets."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from actions.facet_keys import TOTAL, facet_key
from actions.models import Action

from .models import Department, Federation, Structure

ACTIONS_PER_PAGE = 20


class ActionPageMixin:
    """A page about one place or organisation, listing its published sheets 20 at a time."""

    paginate_by = ACTIONS_PER_PAGE
    context_object_name = "actions"


class DepartmentListView(ListView):
    template_name = "federations/department_list.html"
    context_object_name = "departments"

    def get_queryset(self):
        return (
            Action.objects.published()
            .department_counts(index_key=TOTAL)
            .order_by("region__name", "code")
        )


class DepartmentDetailView(ActionPageMixin, ListView):
    template_name = "federations/department_detail.html"

    def get_queryset(self):
        self.department = get_object_or_404(
            Department.objects.select_related("region"), code=self.kwargs["code"].upper()
        )
        return Action.objects.catalogue().filter(structure__department=self.department)

    def get_context_data(self, **kwargs):
        department = self.department
        return super().get_context_data(
            department=department,
            structures=Action.objects.published()
            .structure_counts()
            .filter(department=department)
            .select_related("federation"),
            federations=Federation.objects.filter(
                Q(departments=department) | Q(structures__department=department)
            ).distinct(),
            **kwargs,
        )


class StructureDetailView(ActionPageMixin, ListView):
    template_name = "federations/structure_detail.html"

    def get_queryset(self):
        self.structure = get_object_or_404(
            Structure.objects.select_related("department__region", "federation"),
            slug=self.kwargs["slug"],
        )
        return Action.objects.catalogue().filter(structure=self.structure)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            structure=self.structure,
            themes=Action.objects.published()
            .filter(structure=self.structure)
            .theme_counts()
            .filter(action_count__gt=0)
            .order_by("-action_count", "position"),
            **kwargs,
        )


class FederationListView(ListView):
    template_name = "federations/federation_list.html"
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
            Action.objects.published()
            .federation_counts(index_key=TOTAL)
            .annotate(structure_count=Coalesce(Subquery(structures.values("n")), 0))
            .prefetch_related("departments")
        )


class FederationDetailView(ActionPageMixin, ListView):
    template_name = "federations/federation_detail.html"

    def get_queryset(self):
        self.federation = get_object_or_404(
            Federation.objects.prefetch_related("departments"), slug=self.kwargs["slug"]
        )
        return Action.objects.catalogue().filter(structure__federation=self.federation)

    def get_context_data(self, **kwargs):
        federation = self.federation
        published = Action.objects.published()
        return super().get_context_data(
            federation=federation,
            structures=published.structure_counts()
            .filter(federation=federation)
            .select_related("department"),
            themes=published.filter(structure__federation=federation)
            .theme_counts(index_key=facet_key("federation", federation.pk))
            .filter(action_count__gt=0)
            .order_by("-action_count", "position"),
            **kwargs,
        )
