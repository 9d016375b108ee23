"""The API's addresses: /api/v1/ (api/v1.py), and a problem detail for any other."""

from django.urls import path, re_path

from .v1 import api, unknown_address

urlpatterns = [
    path("v1/", api.urls),
    re_path(r"^", unknown_address),
]
