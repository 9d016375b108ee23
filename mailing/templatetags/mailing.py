"""Dates in templates (``mailing.dates``): ``{{ value|french_date }}`` « 1er décembre 2026 »
whatever the language (e-mails); ``{{ value|written_date }}`` the same in the page's language,
``{{ value|written_date:"N Y H:i" }}`` « 6 janv. 2025 10:30 »."""

from django import template

from mailing import dates

register = template.Library()

register.filter("french_date", dates.french_date)
register.filter("written_date", dates.written_date)
