"""Slowing down password guessers and e-mail floods.

- Logins, on ``/comptes/connexion/`` and ``/admin/login/``, by django-axes (``AXES_*`` in the
  settings): after ``AXES_FAILURE_LIMIT`` failures for one username from one address, that pair
  is locked out for ``AXES_COOLOFF_TIME`` (:func:`lockout_response` answers). Other accounts,
  and the same account from elsewhere, are not affected, so nobody can lock a colleague out.
- Password-reset requests by django-ratelimit (axes only counts failed logins): at most
  ``RESET_LIMITS`` requests per hour, per address and per e-mail address asked for. Other
  e-mail-sending forms (alert subscriptions) and expensive views (a sheet's PDF) count theirs
  with :func:`exceeds_any`.
"""

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited


def client_ip(request) -> str:
    """The client's address. Behind the reverse proxy (``SECURE_BEHIND_PROXY``), the proxy's
    ``X-Real-IP``: gunicorn listens on 127.0.0.1 only, so only the proxy reaches it, and the
    proxy overwrites whatever header the client sent (docs/deployment.md)."""
    if settings.BEHIND_PROXY and request.META.get("HTTP_X_REAL_IP"):
        return request.META["HTTP_X_REAL_IP"]
    return request.META.get("REMOTE_ADDR", "")


def _requested_email(group, request) -> str:
    return request.POST.get("email", "").strip().lower()


# (cache group, key, rate): a shared office address, and one mailbox.
RESET_LIMITS = (
    ("password-reset-ip", "ip", "20/h"),
    ("password-reset-email", _requested_email, "3/h"),
)


def exceeds_any(request, limits, *, method: str = "POST") -> bool:
    """Count this request (a POST, unless ``method`` says otherwise) against every (group,
    key, rate) of ``limits``; True when one of them is exceeded."""
    limited = False
    for group, key, rate in limits:
        limited |= is_ratelimited(
            request, group=group, key=key, rate=rate, method=method, increment=True
        )
    return limited


def password_reset_limited(request) -> bool:
    return exceeds_any(request, RESET_LIMITS)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: the login page's layout, a French message
    saying how long to wait, and status 429."""
    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(request, "registration/lockout.html", {"cooloff_minutes": minutes}, status=429)
