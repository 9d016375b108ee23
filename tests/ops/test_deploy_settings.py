"""Production settings as a new deployment gets them: only SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL set, DEBUG unset. Each case runs Django in a subprocess with exactly that
environment, since the settings are read once per process."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def run_django(code_or_command: list[str], **extra_env) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portail.example.org",
        # Never connected to: check --deploy does not open the database.
        "DATABASE_URL": "postgres://portal:portal@127.0.0.1:9/portal",
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, *code_or_command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_finds_nothing_with_only_the_three_required_variables():
    result = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_plain_http_for_a_test_is_an_explicit_choice_that_check_deploy_reports():
    result = run_django(["manage.py", "check", "--deploy"], HTTPS="false")

    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


SHOW_SETTINGS = """
import django
django.setup()
from django.conf import settings
import sentry_sdk
print(settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS,
      settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE,
      sentry_sdk.get_client().is_active())
"""


def test_https_hsts_and_secure_cookies_are_on_by_default_and_sentry_off():
    result = run_django(["-c", SHOW_SETTINGS])

    assert result.stdout.splitlines()[-1].split() == [
        "True",
        "31536000",
        "True",
        "True",
        "False",
    ], result.stderr


@pytest.mark.parametrize(
    ("variable", "expected"),
    [
        ({"HTTPS": "false"}, ["False", "0", "False", "False", "False"]),
        (
            {"SENTRY_DSN": "https://key@sentry.example.org/1"},
            ["True", "31536000", "True", "True", "True"],
        ),
    ],
)
def test_the_documented_variables_change_them(variable, expected):
    result = run_django(["-c", SHOW_SETTINGS], **variable)

    assert result.stdout.splitlines()[-1].split() == expected, result.stderr
