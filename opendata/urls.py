"""The open data and what crawlers read: /donnees/ and its files, the Atom feed of a catalogue
selection (before the catalogue's /actions/<slug>/ in the root URLs), sitemap.xml,
robots.txt."""

from django.contrib.sitemaps import views as sitemaps
from django.urls import path

from . import views
from .feeds import NewSheetsFeed
from .sitemaps import SITEMAPS

app_name = "opendata"

urlpatterns = [
    path("donnees/", views.OpenDataView.as_view(), name="index"),
    path("donnees/<str:name>", views.download, name="file"),
    path("actions/feed/", NewSheetsFeed(), name="feed"),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "opendata:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", views.RobotsView.as_view(), name="robots"),
]
