from django.urls import path

from . import views

app_name = "observatory"

urlpatterns = [
    path("observatoire/", views.ObservatoryView.as_view(), name="index"),
    # The catalogue's network pages with their figures: the catalogue's addresses (reversed by
    # its URL names), answered here because config/urls.py lists these URLs first.
    path("departements/<str:code>/", views.DepartmentFiguresView.as_view()),
    path("federations/<slug:slug>/", views.FederationFiguresView.as_view()),
]
