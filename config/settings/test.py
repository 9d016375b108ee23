"""Test settings: the same project, with fast hashing, in-memory mail and strict templates."""

import os

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

# Serve static files straight from the finders (no collectstatic before tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Production hardening (config/settings/base.py) that the test client's plain HTTP would trip
# over; content security policy and login throttling stay on, as in production.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
