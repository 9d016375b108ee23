from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("catalogue.urls")),
    path("", include("actions.urls")),
    path("comptes/", include("workspace.accounts")),
    path("", include("workspace.urls")),
]
