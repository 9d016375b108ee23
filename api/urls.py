"""The API's addresses: /api/v1/ (api/v1.py), and a problem detail for any other.

The API reads only: HEAD is answered as GET (the server sends the headers alone), any other
method than GET, HEAD and OPTIONS (CORS preflights, answered by django-cors-headers) is a 405
problem detail rather than ninja's plain-text one.
"""

from functools import wraps

from django.urls import URLPattern, include, path, re_path
from django.utils.translation import gettext as _

from .problems import problem
from .v1 import api, unknown_address

READ = ("GET", "HEAD", "OPTIONS")


def read_only(view):
    @wraps(view)
    def answer(request, *args, **kwargs):
        if request.method == "HEAD":
            request.method = "GET"
            try:
                return view(request, *args, **kwargs)
            finally:
                request.method = "HEAD"
        if request.method not in READ:
            detail = _("L'API est en lecture seule : GET ou HEAD seulement.")
            return problem(request, 405, detail, headers={"Allow": ", ".join(READ)})
        return view(request, *args, **kwargs)

    return answer


def read_only_patterns(patterns):
    return [URLPattern(p.pattern, read_only(p.callback), p.default_args, p.name) for p in patterns]


# (Not named app_name: a module's app_name would give its own include a namespace.)
v1_patterns, v1_app, v1_namespace = api.urls
urlpatterns = [
    path("v1/", include((read_only_patterns(v1_patterns), v1_app), namespace=v1_namespace)),
    re_path(r"^", unknown_address),
]
