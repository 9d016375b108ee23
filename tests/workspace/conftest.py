from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group

from actions.enums import PublicationStatus
from actions.models import Action
from tests.actions.factories import ActionFactory, AttachmentFactory, public, theme
from tests.federations.factories import (
    FederationFactory,
    MembershipFactory,
    StructureFactory,
    UserFactory,
)
from tests.shared import shared_data
from tests.workspace.files import pdf_bytes

MANAGEMENT_PREFIXES = ("partenaires", "financements", "fichiers")


def sheet_data(action: Action | None = None, **fields) -> dict:
    """POST data for the sheet form: the required sections filled, no lines, overridable.

    With ``action``, the data start from that sheet (and carry its version); formsets then
    declare its existing lines as initial forms, unchanged.
    """
    data = {
        "title": "Séjour familles à la mer",
        "status": "ongoing",
        "end_reason": "",
        "summary": "Une semaine de vacances pour des familles qui ne partent pas.",
        "description": "Préparé avec les familles pendant l'année.",
        "themes": [theme("vacances-loisirs").pk],
        "publics": [public("familles").pk],
    }
    if action is not None:
        data.update(
            {
                "title": action.title,
                "structure": action.structure_id,
                "status": action.status,
                "end_reason": action.end_reason,
                "summary": action.summary,
                "description": action.description,
                "experience": action.experience,
                "year": action.year or "",
                "themes": [t.pk for t in action.themes.all()] or data["themes"],
                "publics": [p.pk for p in action.publics.all()] or data["publics"],
                "version": action.version,
            }
        )
    for prefix in MANAGEMENT_PREFIXES:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "30",
            }
        )
    if action is not None:
        _existing_lines(data, "partenaires", action.partner_links.all(), ["partner.name", "role"])
        _existing_lines(
            data, "financements", action.fundings.all(), ["funder.name", "amount", "year"]
        )
        _existing_lines(data, "fichiers", action.attachments.all(), ["title"])
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def _existing_lines(data, prefix, rows, paths):
    """The lines ``rows`` as posted: each of ``paths`` is an attribute of the row, or of a
    related row ("partner.name" is posted as the line's ``partner_name``)."""
    rows = list(rows)
    data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
    for index, row in enumerate(rows):
        data[f"{prefix}-{index}-id"] = row.pk
        for path in paths:
            value = row
            for attribute in path.split("."):
                value = getattr(value, attribute)
            data[f"{prefix}-{index}-{path.replace('.', '_')}"] = "" if value is None else value


def with_lines(data: dict, prefix: str, lines: list[dict]) -> dict:
    """Append new lines to a formset of ``data``."""
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, line in enumerate(lines):
        for name, value in line.items():
            data[f"{prefix}-{start + offset}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(lines))
    return data


@dataclass
class World:
    """Two federations; A has two structures (one with a director), B one."""

    federation_a: object
    federation_b: object
    structure_a1: object
    structure_a2: object
    structure_b1: object
    staff_a: object
    staff_b: object
    director_a1: object
    moderator: object
    outsider: object
    sheet_a1: Action
    sheet_a2: Action
    sheet_b1_published: Action
    draft_file_a1: object
    published_file_b1: object


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(db, media_root) -> World:
    return build_world()


def world_of_the_module():
    """``world`` built once for a test module whose tests never change its objects in memory
    (they reload what they change): what each test writes is rolled back at its end. Its two
    files go to this test process's storage, not to the ``media_root`` of a test. Use:
    ``world = world_of_the_module()`` and ``pytest.mark.usefixtures("world")``."""

    @shared_data(scope="module")
    def world():
        return build_world()

    return world


def build_world() -> World:
    """The rows of ``World``; its two files go to the storage's current folder."""
    moderators_group, _ = Group.objects.get_or_create(name="Modérateurs")
    federation_a, federation_b = FederationFactory(), FederationFactory()
    structure_a1 = StructureFactory(federation=federation_a, name="Centre social A1")
    structure_a2 = StructureFactory(federation=federation_a, name="Centre social A2")
    structure_b1 = StructureFactory(federation=federation_b, name="Centre social B1")
    staff_a = MembershipFactory(federation=federation_a, user__username="salarie-a").user
    staff_b = MembershipFactory(federation=federation_b, user__username="salarie-b").user
    director_a1 = MembershipFactory(
        director=True,
        federation=federation_a,
        structure=structure_a1,
        user__username="direction-a1",
    ).user
    moderator = UserFactory(username="moderatrice")
    moderator.groups.add(moderators_group)
    outsider = UserFactory(username="sans-adhesion")
    complete = {"themes": [theme("culture")], "publics": [public("familles")]}
    sheet_a1 = ActionFactory(structure=structure_a1, title="Fiche de A1", **complete)
    sheet_a2 = ActionFactory(structure=structure_a2, title="Fiche de A2", **complete)
    sheet_b1 = ActionFactory(
        structure=structure_b1, title="Fiche publiée de B1", published=True, **complete
    )
    return World(
        federation_a=federation_a,
        federation_b=federation_b,
        structure_a1=structure_a1,
        structure_a2=structure_a2,
        structure_b1=structure_b1,
        staff_a=staff_a,
        staff_b=staff_b,
        director_a1=director_a1,
        moderator=moderator,
        outsider=outsider,
        sheet_a1=sheet_a1,
        sheet_a2=sheet_a2,
        sheet_b1_published=sheet_b1,
        draft_file_a1=AttachmentFactory(action=sheet_a1, content=pdf_bytes()),
        published_file_b1=AttachmentFactory(action=sheet_b1, content=pdf_bytes()),
    )


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff_a)
    return client


def reload(action: Action) -> Action:
    return Action.objects.get(pk=action.pk)


__all__ = ["PublicationStatus", "reload", "sheet_data", "with_lines"]
