from django.urls import path

from . import views
from .csv_export import EXCEL_CSV, XLSX

app_name = "catalogue"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("actions/", views.ActionListView.as_view(), name="action_list"),
    path("actions/export.csv", views.ActionExportView.as_view(), name="action_export"),
    path(
        "actions/export-excel.csv",
        views.ActionExportView.as_view(export_format=EXCEL_CSV),
        name="action_export_excel",
    ),
    path(
        "actions/export.xlsx",
        views.ActionExportView.as_view(export_format=XLSX),
        name="action_export_xlsx",
    ),
    path("actions/<slug:slug>/", views.ActionDetailView.as_view(), name="action_detail"),
    path("actions/<slug:slug>/fiche.pdf", views.ActionPdfView.as_view(), name="action_pdf"),
    path("themes/", views.ThemeListView.as_view(), name="theme_list"),
    path("accessibilite/", views.AccessibilityView.as_view(), name="accessibility"),
    path("departements/", views.DepartmentListView.as_view(), name="department_list"),
    path(
        "departements/<str:code>/", views.DepartmentDetailView.as_view(), name="department_detail"
    ),
    path("structures/", views.StructureListView.as_view(), name="structure_list"),
    path("structures/<slug:slug>/", views.StructureDetailView.as_view(), name="structure_detail"),
    path("federations/", views.FederationListView.as_view(), name="federation_list"),
    path(
        "federations/<slug:slug>/", views.FederationDetailView.as_view(), name="federation_detail"
    ),
]
