"""Dates as people write them, in French and in English (``mailing.dates``)."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from mailing.dates import french_date, written_date


class TestWrittenDate:
    @pytest.mark.parametrize(
        ("language", "value", "rest", "expected"),
        [
            ("fr", date(2026, 12, 1), "F Y", "1er décembre 2026"),
            ("fr", date(2026, 12, 2), "F Y", "2 décembre 2026"),
            ("fr", date(2025, 1, 6), "N Y", "6 janv. 2025"),
            ("fr", date(2025, 2, 1), "N Y", "1er févr. 2025"),
            ("fr", date(2025, 6, 6), "N Y", "6 juin 2025"),
            ("en", date(2026, 12, 1), "F Y", "1 December 2026"),
            ("en", date(2025, 1, 6), "N Y", "6 Jan. 2025"),
        ],
    )
    def test_in_the_active_language(self, language, value, rest, expected):
        with translation.override(language):
            assert written_date(value, rest) == expected

    def test_an_aware_moment_is_written_in_local_time(self, settings):
        settings.TIME_ZONE = "Europe/Paris"
        with translation.override("fr"):
            # 23:30 UTC on 30 November is 00:30 on 1 December in Paris.
            moment = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
            assert written_date(moment, "F Y, H:i") == "1er décembre 2026, 00:30"

    def test_nothing_is_written_for_no_date(self):
        assert written_date(None) == ""

    def test_emails_write_french_whatever_the_language(self):
        with translation.override("en"):
            assert french_date(date(2026, 12, 1)) == "1er décembre 2026"

    def test_the_template_filters(self):
        template = Template('{% load mailing %}{{ d|written_date }} · {{ d|written_date:"N Y" }}')
        with translation.override("fr"):
            assert (
                template.render(Context({"d": date(2026, 1, 1)}))
                == "1er janvier 2026 · 1er janv. 2026"
            )
