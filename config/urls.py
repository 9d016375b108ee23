from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the catalogue: the observatory answers two of its network pages, with figures.
    path("", include("observatory.urls")),
    path("", include("catalogue.urls")),
    path("", include("actions.urls")),
    path("comptes/", include("workspace.accounts")),
    path("", include("workspace.urls")),
]
