"""The open data: /donnees/ and the files of the latest export."""

from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("donnees/", views.OpenDataView.as_view(), name="index"),
    path("donnees/<str:name>", views.download, name="file"),
]
