from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("actions/", views.ActionListView.as_view(), name="list"),
    path("actions/export.csv", views.ActionExportView.as_view(), name="export"),
    path("actions/<slug:slug>/", views.ActionDetailView.as_view(), name="detail"),
    path("themes/", views.ThemeListView.as_view(), name="themes"),
]
