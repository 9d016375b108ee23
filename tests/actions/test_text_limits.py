"""Every free text a client sends is bounded: too long is a field error (admin; the workspace:
tests/workspace/test_form_limits.py) or a rejected sheet (importer), never a server error; at
their limits the texts fit in PostgreSQL's search vector."""

import functools
import random
import string

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from actions.enums import ActionStatus
from actions.importer.loader import Outcome, Source, import_sheets
from actions.models import Action
from federations.text import TEXT_MAX_LENGTH
from tests.actions.factories import ActionFactory, sheet_text
from tests.actions.test_moderation_admin import form_data

pytestmark = pytest.mark.django_db

SEARCHED_TEXTS = (
    "summary",
    "experience",
    "description",
    "end_reason",
    "financial_resources",
    "people_mobilised",
    "result_territory",
    "result_centre",
    "result_residents",
    "limits",
    "perspectives",
)


def distinct_words(length: int, *, seed: int = 1) -> str:
    """``length`` characters of distinct short words: the worst case of a search vector."""
    rng = random.Random(seed)
    words, size = [], 0
    while size < length:
        word = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 7)))
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:length].strip()


@functools.cache
def one_megabyte() -> str:
    """A megabyte of distinct words, made when a test first needs it (not at collection)."""
    return distinct_words(1_000_000)


def test_every_text_of_a_sheet_is_bounded_on_the_model():
    for name in (*SEARCHED_TEXTS, "diagnostic", "impacts", "success_factors"):
        assert Action._meta.get_field(name).max_length == TEXT_MAX_LENGTH, name
    action = ActionFactory.build(summary="x" * (TEXT_MAX_LENGTH + 1))
    with pytest.raises(ValidationError) as error:
        action.full_clean(exclude=["structure", "slug"])
    assert "summary" in error.value.message_dict


def test_a_megabyte_of_words_in_the_admin_form_is_a_field_error(admin_client):
    action = ActionFactory(description="Avant")
    url = reverse("admin:actions_action_change", args=[action.pk])
    data = form_data(admin_client.get(url)) | {"description": one_megabyte()}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["description"]
    action.refresh_from_db()
    assert action.description == "Avant"


def test_the_importer_rejects_a_sheet_with_a_section_too_long_and_changes_nothing():
    text = sheet_text("Fiche raisonnable") + "\n" + sheet_text("Fiche trop longue")
    text = text.replace("Une animatrice prépare", f"{one_megabyte()} Une animatrice prépare", 2)
    text = text.replace(f"{one_megabyte()} Une animatrice prépare", "Une animatrice prépare", 1)

    report = import_sheets(sources=[Source("fiches.txt", text)], strict=True)

    rejected = report.rejected
    assert [(r.title, r.outcome) for r in rejected] == [("Fiche trop longue", Outcome.REJECTED)]
    assert rejected[0].line > 1
    assert rejected[0].detail == (
        f"section « description générale » trop longue : "
        f"{len(one_megabyte()) + len(' Une animatrice prépare les ateliers avec les habitants.')}"
        f" caractères, {TEXT_MAX_LENGTH} au plus"
    )
    assert not Action.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_a_sheet_with_every_searched_text_at_its_limit_fits_in_its_search_vector():
    texts = {
        name: distinct_words(TEXT_MAX_LENGTH, seed=seed) for seed, name in enumerate(SEARCHED_TEXTS)
    }
    action = ActionFactory(title=distinct_words(255), status=ActionStatus.FINISHED, **texts)
    assert Action.objects.filter(pk=action.pk, search_vector__isnull=False).exists()
