"""Django's authentication views with the portal's templates and French URLs.

Password reset links are built from ``settings.SITE_URL`` rather than from the request's Host
header, so a forged Host cannot redirect the link elsewhere. Reset requests are rate-limited
and failed logins locked out (``ops/throttling.py``).
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _

from ops.throttling import password_reset_limited

from .invitations import AcceptInvitationView


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_body.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    @property
    def extra_email_context(self):
        return {"site_url": settings.SITE_URL}

    def post(self, request, *args, **kwargs):
        if password_reset_limited(request):
            form = self.get_form()
            form.add_error(
                None,
                _(
                    "Trop de demandes de réinitialisation ont été faites pour cette adresse. "
                    "Vérifiez votre boîte de réception (et les indésirables), ou réessayez "
                    "dans une heure."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


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
    path("invitation/<str:token>/", AcceptInvitationView.as_view(), name="invitation_accept"),
]
