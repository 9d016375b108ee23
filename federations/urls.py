from django.urls import path

from . import views

app_name = "federations"

urlpatterns = [
    path("departements/", views.DepartmentListView.as_view(), name="department_list"),
    path(
        "departements/<str:code>/", views.DepartmentDetailView.as_view(), name="department_detail"
    ),
    path("structures/<slug:slug>/", views.StructureDetailView.as_view(), name="structure_detail"),
    path("federations/", views.FederationListView.as_view(), name="federation_list"),
    path(
        "federations/<slug:slug>/", views.FederationDetailView.as_view(), name="federation_detail"
    ),
]
