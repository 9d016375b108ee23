from django.contrib import admin
from django.urls import include, path

from actions.views import HomeView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", HomeView.as_view(), name="home"),
    path("", include("actions.urls")),
    path("", include("federations.urls")),
    path("comptes/", include("workspace.accounts")),
    path("", include("workspace.urls")),
]
