"""sitemap.xml: every public page, in sections of at most ``PAGE`` addresses (an index
/sitemap.xml, then /sitemap-<section>.xml?p=2…), so 100,000 sheets make ten files."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from actions.models import Action
from federations.models import Department, Federation, Structure

PAGE = 10_000


class PagesSitemap(Sitemap):
    """The pages that are not about one row: home, catalogue, lists, open data, API docs."""

    changefreq = "daily"

    def items(self):
        return [
            "catalogue:home",
            "catalogue:action_list",
            "catalogue:theme_list",
            "catalogue:department_list",
            "catalogue:federation_list",
            "opendata:index",
            "api-v1:openapi-view",
        ]

    def location(self, item):
        return reverse(item)


class SheetsSitemap(Sitemap):
    limit = PAGE
    changefreq = "weekly"

    def items(self):
        return Action.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, action):
        return action.updated_at

    def get_latest_lastmod(self):
        """One aggregate for the index, rather than a pass over every sheet."""
        return Action.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class StructuresSitemap(Sitemap):
    limit = PAGE

    def items(self):
        return Structure.objects.only("slug").order_by("pk")


class DepartmentsSitemap(Sitemap):
    def items(self):
        return Department.objects.only("code").order_by("code")

    def location(self, department):
        return reverse("catalogue:department_detail", args=[department.code])


class FederationsSitemap(Sitemap):
    def items(self):
        return Federation.objects.only("slug").order_by("pk")


SITEMAPS = {
    "pages": PagesSitemap,
    "actions": SheetsSitemap,
    "structures": StructuresSitemap,
    "departements": DepartmentsSitemap,
    "federations": FederationsSitemap,
}
