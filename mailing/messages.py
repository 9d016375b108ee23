"""Building and sending an e-mail from its templates.

A message named ``name`` has three templates in ``templates/emails/``: ``name_subject.txt``
(one line), ``name_body.txt`` and ``name_body.html`` (which extends ``emails/layout.html``).
They are rendered in French, whatever language the request that caused them was in.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation

EMAIL_LANGUAGE = "fr"


def absolute(path: str) -> str:
    """An absolute link for an e-mail, built from ``SITE_URL`` (never from a request's Host)."""
    return settings.SITE_URL + path


def render(name: str, context: dict, *, headers: dict | None = None, to: str):
    """The message ``name`` for one recipient, with both bodies."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(EMAIL_LANGUAGE):
        subject = render_to_string(f"emails/{name}_subject.txt", context)
        text = render_to_string(f"emails/{name}_body.txt", context).strip() + "\n"
        html = render_to_string(f"emails/{name}_body.html", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()),  # a header holds a single line
        text,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    return message


def send(messages) -> None:
    """Send ``messages`` over one connection; a mail server failure is raised (the task that
    sends them is tried again later: ``mailing.retries``)."""
    messages = list(messages)
    if messages:
        get_connection().send_messages(messages)
