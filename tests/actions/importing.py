"""Helpers of the importer's tests: its commands run as a person runs them."""

from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError


def command(name: str, *args) -> tuple[int, str]:
    """Run the management command ``name``: (exit status, everything it wrote)."""
    out = StringIO()
    try:
        call_command(name, *map(str, args), stdout=out, stderr=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def only(report):
    """The one result of an import report."""
    (result,) = report.results
    return result
