from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from ops import views as ops_views
from pagecache.csrf import csrf_protect_signed_in

urlpatterns = [
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    # Django's own view, on every cached page: a token for signed-in people only.
    path("i18n/setlang/", csrf_protect_signed_in(set_language), name="set_language"),
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
