from django.urls import path

from . import invitations, views

app_name = "workspace"

urlpatterns = [
    path("espace/", views.DashboardView.as_view(), name="dashboard"),
    path("espace/actions/nouvelle/", views.ActionCreateView.as_view(), name="action_create"),
    path(
        "espace/actions/<int:pk>/modifier/",
        views.ActionUpdateView.as_view(),
        name="action_update",
    ),
    path(
        "espace/partenaires/suggestions/",
        views.PartnerSuggestionsView.as_view(),
        name="partner_suggestions",
    ),
    path(
        "espace/structures/nouvelle/",
        views.StructureCreateView.as_view(),
        name="structure_create",
    ),
    path("espace/invitations/", invitations.InvitationsView.as_view(), name="invitations"),
]
