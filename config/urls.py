from django.contrib import admin
from django.urls import include, path

from ops import views as ops_views

urlpatterns = [
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("api.urls")),
    # Before the catalogue: the observatory answers two of its network pages, with figures.
    path("", include("observatory.urls")),
    path("", include("opendata.urls")),
    path("", include("catalogue.urls")),
    path("", include("actions.urls")),
    path("comptes/", include("workspace.accounts")),
    path("", include("workspace.urls")),
    path("", include("alerts.urls")),
]

# 400, 403 and 404 are Django's views with the portal's templates (templates/4xx.html).
handler500 = "ops.views.server_error"
