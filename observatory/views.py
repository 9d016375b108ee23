"""The observatory's pages.

- ``ObservatoryView`` (``/observatoire/``): the figures of a selection of the catalogue, the
  same query string through the same filters (``ActionFilterSet``), with the catalogue's
  sidebar: a map of the départements and charts, each with its table.
- ``FederationFiguresView`` and ``DepartmentFiguresView``: the catalogue's network pages
  (``/federations/<slug>/``, ``/departements/<code>/``) with "le réseau en chiffres" added.
  They extend the catalogue's views, which cannot import this app (it sits above: see
  docs/architecture.md), and answer the catalogue's addresses because config/urls.py lists
  these URLs first; the pages keep the catalogue's URL names.

On every page, ``?csv=<dataset slug>`` (with the page's selection) answers with that dataset as
CSV instead of the page: the links under each table.
"""

from django.http import Http404
from django.urls import reverse
from django.views.generic import TemplateView

from actions.models import Action
from catalogue import views as catalogue

from .datasets import (
    network_datasets,
    network_key_figures,
    selection_datasets,
    selection_key_figures,
)
from .exports import csv_response
from .figures import Dataset
from .services import (
    federation_territory,
    network_figures,
    region_territory,
    selection_figures,
    with_figures,
)

CSV_PARAMETER = "csv"


def csv_links(datasets: dict[str, Dataset], query: str) -> dict[str, str]:
    """{slug: the relative URL of its CSV}, for the selection ``query`` (a query string)."""
    prefix = f"?{query}&" if query else "?"
    return {slug: f"{prefix}{CSV_PARAMETER}={slug}" for slug in datasets}


def figures_context(datasets: dict[str, Dataset], query: str) -> dict:
    """The map's dataset (slug ``departements``), the charts' datasets, each with its CSV
    link, for the templates."""
    links = csv_links(datasets, query)
    return {
        "datasets": datasets,
        "map": datasets["departements"],
        "map_csv_url": links["departements"],
        "charts": [
            (dataset, links[slug]) for slug, dataset in datasets.items() if slug != "departements"
        ],
    }


class DatasetCSVMixin:
    """Answer ``?csv=<slug>`` with that dataset of the context's ``datasets`` as CSV."""

    def render_to_response(self, context, **kwargs):
        if CSV_PARAMETER not in self.request.GET:
            return super().render_to_response(context, **kwargs)
        dataset = context["datasets"].get(self.request.GET[CSV_PARAMETER])
        if dataset is None:
            raise Http404("Aucun jeu de données de ce nom sur cette page.")
        return csv_response(dataset)


class ObservatoryView(DatasetCSVMixin, TemplateView):
    template_name = "observatory/observatory.html"

    def get_context_data(self, **kwargs):
        # Invalid values are ignored, as in the catalogue: the rest of the selection stands.
        filterset = with_figures(self.request.GET, Action.objects.published())
        figures = selection_figures(filterset)
        return super().get_context_data(
            filter=filterset,
            key_figures=selection_key_figures(figures),
            **figures_context(selection_datasets(figures), filterset.query_string),
            **kwargs,
        )


class NetworkFiguresMixin(DatasetCSVMixin):
    """Adds the figures of the page's selection (``selection_query``) to a network page whose
    context lists its structures (``structures``, annotated with ``action_count``)."""

    def selection_query(self) -> str:
        """The catalogue query string of the page's sheets (each network page: its own)."""
        raise NotImplementedError

    def territory(self):
        """The départements of the page's map, annotated with ``action_count``."""
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.selection_query()
        figures = network_figures(
            query,
            # Read once: the page's list of structures iterates the same results.
            structures=list(context["structures"]),
            territory=self.territory(),
        )
        datasets = network_datasets(
            figures,
            funder_href=lambda slug: f"{reverse('catalogue:action_list')}?{query}&funder={slug}",
        )
        context.update(
            key_figures=network_key_figures(figures),
            **figures_context(datasets, ""),
            territory=[department.code for department in figures.territory],
            observatory_url=f"{reverse('observatory:index')}?{query}",
        )
        return context


class FederationFiguresView(NetworkFiguresMixin, catalogue.FederationDetailView):
    template_name = "observatory/federation_detail.html"

    def selection_query(self) -> str:
        return f"federation={self.federation.slug}"

    def territory(self):
        return federation_territory(self.federation)


class DepartmentFiguresView(NetworkFiguresMixin, catalogue.DepartmentDetailView):
    template_name = "observatory/department_detail.html"

    def selection_query(self) -> str:
        return f"departement={self.department.code}"

    def territory(self):
        return region_territory(self.department)
