"""Real concurrent requests (PostgreSQL): each round posts two requests at the same instant,
each from its own thread, with its own database connection, through the whole stack
(middleware, views, forms, services). Nothing is lost, duplicated or published unreviewed,
and no request fails. ``bench/concurrency`` measures the same cases through an HTTP server.
"""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from actions.admin_views import reviewed_version_name
from actions.enums import PublicationStatus
from actions.models import Action, Partner
from federations.models import Structure
from tests.actions.factories import ActionFactory, public, theme
from tests.actions.test_moderation_admin import form_data
from tests.federations.factories import MembershipFactory, ModeratorFactory
from tests.workspace.conftest import reload, sheet_data, with_lines

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 5
CREATE = reverse("workspace:action_create")
CHANGELIST = reverse("admin:actions_action_changelist")


@pytest.fixture(autouse=True)
def _postgresql_only(on_postgresql):
    """SQLite serialises every writer on one lock: these races only exist on PostgreSQL."""


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def simultaneously(*posts):
    """Post each ``(client, url, data)`` at the same instant, each from its own thread and
    database connection; the responses, in order (an exception raised by a view fails the
    test)."""
    barrier = threading.Barrier(len(posts))
    responses, errors = [None] * len(posts), []

    def post(index, client, url, data):
        try:
            barrier.wait(timeout=20)
            responses[index] = client.post(url, data)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i, *p)) for i, p in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return responses


def edit_url(action) -> str:
    return reverse("workspace:action_update", args=[action.pk])


def admin_url(action) -> str:
    return reverse("admin:actions_action_change", args=[action.pk])


def statuses(responses) -> list[int]:
    return sorted(response.status_code for response in responses)


def complete_sheet(structure, **fields):
    return ActionFactory(
        structure=structure, themes=[theme("culture")], publics=[public("familles")], **fields
    )


@pytest.fixture
def moderators():
    return ModeratorFactory(username="moderatrice-1"), ModeratorFactory(username="moderatrice-2")


def one_winner(sheet, texts, responses, *, refused=409):
    """Exactly one save went through, the other was refused as a conflict, and the sheet
    holds the winner's text."""
    assert statuses(responses) == sorted([302, refused])
    winner = next(t for t, r in zip(texts, responses, strict=True) if r.status_code == 302)
    stored = reload(sheet)
    assert stored.summary == winner
    assert stored.version == 2


def test_two_workspace_saves_of_one_version_let_exactly_one_through(world):
    colleague = MembershipFactory(federation=world.federation_a).user
    clients = [client_of(world.staff_a), client_of(colleague)]
    for n in range(ROUNDS):
        sheet = complete_sheet(world.structure_a1)
        texts = [f"Tour {n}, écrit par {i}." for i in range(2)]
        responses = simultaneously(
            *(
                (c, edit_url(sheet), sheet_data(sheet, summary=t))
                for c, t in zip(clients, texts, strict=True)
            )
        )
        one_winner(sheet, texts, responses)


def test_two_admin_saves_of_one_version_let_exactly_one_through(world, moderators):
    clients = [client_of(m) for m in moderators]
    for n in range(ROUNDS):
        sheet = complete_sheet(world.structure_a1)
        texts = [f"Tour {n}, modération {i}." for i in range(2)]
        posts = []
        for client, text in zip(clients, texts, strict=True):
            data = form_data(client.get(admin_url(sheet)))
            posts.append((client, admin_url(sheet), {**data, "summary": text}))
        responses = simultaneously(*posts)
        one_winner(sheet, texts, responses)
        refused = next(r for r in responses if r.status_code == 409)
        assert refused.context["adminform"].form["summary"].value() in texts
        assert refused.context["conflict"]["differences"]


def test_an_admin_save_and_a_workspace_save_let_exactly_one_through(world, moderators):
    admin, staff = client_of(moderators[0]), client_of(world.staff_a)
    for n in range(ROUNDS):
        sheet = complete_sheet(world.structure_a1)
        texts = [f"Tour {n}, modération.", f"Tour {n}, fédération."]
        admin_data = {**form_data(admin.get(admin_url(sheet))), "summary": texts[0]}
        responses = simultaneously(
            (admin, admin_url(sheet), admin_data),
            (staff, edit_url(sheet), sheet_data(sheet, summary=texts[1])),
        )
        one_winner(sheet, texts, responses)


def test_a_creation_form_posted_twice_at_once_creates_one_sheet(world):
    clients = [client_of(world.staff_a), client_of(world.staff_a)]
    for n in range(ROUNDS):
        title = f"Double clic {n}"
        data = sheet_data(
            structure=world.structure_a1.pk,
            title=title,
            form_token=str(uuid.uuid4()),
            create_anyway="on",  # the titles of the rounds look alike
        )
        responses = simultaneously(*((c, CREATE, data) for c in clients))
        assert statuses(responses) == [302, 302]
        sheet = Action.objects.get(title=title)
        assert {r["Location"] for r in responses} == {edit_url(sheet)}
        assert sheet.history.count() == 1


def test_two_sheets_created_at_once_with_one_title_get_two_slugs(world):
    clients = [client_of(world.staff_a), client_of(world.staff_b)]
    structures = [world.structure_a1, world.structure_b1]
    for n in range(ROUNDS):
        title = f"Même titre {n}"
        responses = simultaneously(
            *(
                (c, CREATE, sheet_data(structure=s.pk, title=title, create_anyway="on"))
                for c, s in zip(clients, structures, strict=True)
            )
        )
        assert statuses(responses) == [302, 302]
        slugs = set(Action.objects.filter(title=title).values_list("slug", flat=True))
        assert slugs == {f"meme-titre-{n}", f"meme-titre-{n}-2"}


def test_one_new_partner_typed_twice_at_once_is_one_partner(world):
    clients = [client_of(world.staff_a), client_of(world.staff_b)]
    for n in range(ROUNDS):
        name = f"Mécène du tour {n}"
        sheets = [complete_sheet(world.structure_a1), complete_sheet(world.structure_b1)]
        posts = [
            (
                client,
                edit_url(sheet),
                with_lines(sheet_data(sheet), "financements", [{"funder_name": spelling}]),
            )
            for client, sheet, spelling in zip(clients, sheets, [name, name.upper()], strict=True)
        ]
        for _client, _url, data in posts:
            data["financements-0-amount"] = "100"
        responses = simultaneously(*posts)
        assert statuses(responses) == [302, 302]
        partner = Partner.objects.get(name__iexact=name)
        for sheet in sheets:
            assert sheet.fundings.get().funder == partner


def test_a_publication_while_the_contributor_saves_never_publishes_unreviewed_text(
    world, moderators
):
    moderator, staff = client_of(moderators[0]), client_of(world.staff_a)
    for n in range(ROUNDS):
        sheet = complete_sheet(world.structure_a1, submitted=True)
        reviewed = sheet.summary
        publish = {
            "action": "publish_selected",
            "_selected_action": [sheet.pk],
            "index": 0,
            reviewed_version_name(sheet.pk): sheet.version,
        }
        changed = f"Changé au tour {n}, après la lecture de la modération."
        responses = simultaneously(
            (moderator, CHANGELIST, publish),
            (staff, edit_url(sheet), sheet_data(sheet, summary=changed)),
        )
        assert statuses(responses) == [302, 302]
        stored = reload(sheet)
        assert stored.summary == changed  # the contributor's save is never lost
        if stored.publication_status == PublicationStatus.PUBLISHED:
            # published first (the version read), then changed: flagged for moderators
            assert stored.modified_since_publication
        else:
            # changed first: nothing published, flagged as changed since the reading
            assert stored.publication_status == PublicationStatus.SUBMITTED
            assert stored.modified_during_review
        assert stored.summary != reviewed


def test_one_structure_added_twice_at_once_is_one_structure(world):
    clients = [client_of(world.staff_a), client_of(world.staff_a)]
    url = reverse("workspace:structure_create")
    for n in range(ROUNDS):
        data = {
            "federation": world.federation_a.pk,
            "name": f"Centre social du tour {n}",
            "kind": "centre_social",
            "department": world.structure_a1.department_id,
        }
        responses = simultaneously(*((c, url, data) for c in clients))
        assert statuses(responses) == [200, 302]
        assert Structure.objects.filter(name=data["name"]).count() == 1
