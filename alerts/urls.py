from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("alertes/", views.AlertListView.as_view(), name="list"),
    path("alertes/nouvelle/", views.SubscribeView.as_view(), name="subscribe"),
    path("alertes/confirmer/<str:key>/", views.ConfirmView.as_view(), name="confirm"),
    path("alertes/gerer/<str:token>/", views.ManageView.as_view(), name="manage"),
    path(
        "alertes/desinscription/<str:token>/",
        views.UnsubscribeView.as_view(),
        name="unsubscribe",
    ),
]
