"""The portal's admin site: the moderation of the action sheets, named as such."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    site_header = _("Fiches action — modération")
    site_title = _("Fiches action — modération")
    index_title = _("Accueil de la modération")
    # The side menu of every model took 300 px of a 1280 px screen from the moderation queue;
    # the index and the breadcrumbs lead to every model as well.
    enable_nav_sidebar = False
