"""Django's authentication views with the portal's templates and French URLs.

Password reset links are built from ``settings.SITE_URL`` rather than from the request's Host
header, so a forged Host cannot redirect the link elsewhere.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_body.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    @property
    def extra_email_context(self):
        return {"site_url": settings.SITE_URL}


urlpatterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, next_page=reverse_lazy("workspace:dashboard")
        ),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("mot-de-passe/oubli/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reinitialisation/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reinitialisation/terminee/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
