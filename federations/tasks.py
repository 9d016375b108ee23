"""The invitation e-mail, sent by the background worker (``run_worker``)."""

from django_tasks import task

from mailing.messages import absolute, render, send
from mailing.retries import retry_on_failure

from .models import Invitation


@task()
def send_invitation(*, invitation_id: int, attempt: int = 1) -> None:
    invitation = (
        Invitation.objects.select_related("federation", "structure", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return
    context = {"invitation": invitation, "accept_url": absolute(invitation.get_absolute_url())}
    with retry_on_failure(send_invitation, attempt=attempt, invitation_id=invitation_id):
        send([render("invitation", context, to=invitation.email)])
