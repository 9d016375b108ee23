"""CSRF protection for the forms that stand on cached public pages (the language switch, an
alert on the catalogue): a page shared by every anonymous visitor cannot carry a token, which
is one visitor's secret (and a response that used one sets its cookie, so it is never stored).

Those forms carry a token for signed-in people only (``{% if user.is_authenticated %}``), and
their views check it for them only. A forged request without a signed-in session can only do
what the forger could do from their own browser: choose an interface language, ask for an
alert that the recipient must still confirm by e-mail.
"""

from functools import wraps

from django.views.decorators.csrf import csrf_exempt, csrf_protect


def csrf_protect_signed_in(view):
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def checked(request, *args, **kwargs):
        if request.user.is_authenticated:
            return protected(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    return checked
