"""Test settings: the same project, with fast hashing, in-memory mail and strict templates."""

import os
import sys

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "ops.storage.CompleteFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_CODE = "fr"
# The primary only, whatever the environment: the tests' data lives in a transaction that never
# commits, which no other connection sees. tests/replica/ adds a real replica of its own.
DATABASES = {"default": DATABASES["default"]}  # noqa: F405

# Serve static files straight from the finders (no collectstatic before tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Production hardening (config/settings/base.py) that the test client's plain HTTP would trip
# over; content security policy and login throttling stay on, as in production.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0

# Strict templates: a variable that does not resolve fails the test that renders it ----------


class UndefinedTemplateVariable(Exception):
    pass


class _FailOnUndefinedVariable(str):
    """``string_if_invalid`` (a ``str`` for Django's check templates.E002) that raises instead
    of writing nothing: a missing variable (``{{ typo }}``, ``{{ x|default:"" }}`` when ``x``
    is missing), a method that needs arguments or alters data, a missing related object.
    ``{% if %}`` and ``{% for %}`` keep Django's behaviour: a missing value is false, empty."""

    def __mod__(self, name):
        raise UndefinedTemplateVariable(f"'{name}' in {_rendering_template()}")

    def __str__(self):
        raise UndefinedTemplateVariable(f"a value that did not resolve in {_rendering_template()}")


def _rendering_template() -> str:
    frame = sys._getframe(2)
    while frame is not None:
        context = frame.f_locals.get("context")
        template = getattr(getattr(context, "render_context", None), "template", None)
        if getattr(template, "origin", None) is not None:
            return template.origin.name
        frame = frame.f_back
    return "an unknown template"


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = _FailOnUndefinedVariable("%s")  # noqa: F405

# The page cache (pagecache/) is off in tests but its own (tests/pagecache/): a test changes
# data inside a transaction that never commits, where the catalogue version cannot move.
PAGE_CACHE_NAMESPACES = ()
