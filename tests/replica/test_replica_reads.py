"""Public reads from a real streaming replica (config/replica.py): what is read there and
what is not, read-your-writes, the fallback to the primary, and the page cache's keys."""

import re
from logging import WARNING

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from config import replica as replica_reads
from config.replica import PIN_COOKIE, REPLICA, pin_to_primary
from config.settings import base
from tests.actions.factories import ActionFactory, theme
from tests.federations.factories import (
    FederationFactory,
    MembershipFactory,
    StructureFactory,
    department,
)
from tests.ops.servers import free_port
from tests.workspace.conftest import sheet_data

from .conftest import queries_on

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA]),
    pytest.mark.usefixtures("replica_in_use"),
]

CATALOGUE = "/actions/"


@pytest.fixture
def structure():
    return StructureFactory(federation=FederationFactory(), department=department("94"))


def publish(structure, title: str):
    return ActionFactory(
        title=title, structure=structure, published=True, themes=[theme("parentalite")]
    )


def pinned(client):
    """The client as after a save: the signed cookie that keeps its reads on the primary."""
    response = HttpResponse()
    pin_to_primary(response)
    client.cookies.update(response.cookies)
    return client


def theme_count(html: str) -> int:
    return int(re.search(r'value="parentalite".*?class="facet-count">(\d+)', html, re.S).group(1))


class TestWhatIsReadWhere:
    def test_an_anonymous_catalogue_page_is_read_on_the_replica_only(
        self, client, replica_in_use, structure
    ):
        publish(structure, "Café des parents")
        replica_in_use.catch_up()
        with queries_on(DEFAULT_DB_ALIAS) as primary, queries_on(REPLICA) as copy:
            response = client.get(CATALOGUE)
        assert response.status_code == 200
        assert "Café des parents" in response.content.decode()
        assert copy
        assert primary == []

    def test_the_page_shows_the_replicas_state_not_the_primarys(
        self, client, replica_in_use, structure
    ):
        publish(structure, "Café des parents")
        with replica_in_use.paused():
            publish(structure, "Séjour familles")
            page = client.get(CATALOGUE).content.decode()
        assert "Café des parents" in page
        assert "Séjour familles" not in page

    def test_the_streamed_csv_is_read_on_the_replica_to_its_last_row(
        self, client, replica_in_use, structure
    ):
        publish(structure, "Café des parents")
        with replica_in_use.paused():
            publish(structure, "Séjour familles")
            with queries_on(DEFAULT_DB_ALIAS) as primary:
                response = client.get(reverse("catalogue:action_export"))
                body = b"".join(response.streaming_content).decode()
        assert "Café des parents" in body
        assert "Séjour familles" not in body
        assert primary == []

    def test_the_workspace_reads_and_writes_on_the_primary(self, client, replica_in_use, structure):
        staff = MembershipFactory(federation=structure.federation).user
        sheet = publish(structure, "Café des parents")
        client.force_login(staff)
        with queries_on(REPLICA) as copy:
            assert client.get(reverse("workspace:dashboard")).status_code == 200
            data = sheet_data(sheet, title="Café des parents du samedi")
            edit = reverse("workspace:action_update", args=[sheet.pk])
            assert client.post(edit, data).status_code == 302
        assert copy == []

    def test_a_signed_in_visitor_of_a_public_page_has_the_session_read_on_the_primary(
        self, client, replica_in_use, structure
    ):
        client.force_login(MembershipFactory(federation=structure.federation).user)
        publish(structure, "Café des parents")
        replica_in_use.catch_up()
        with queries_on(DEFAULT_DB_ALIAS) as primary, queries_on(REPLICA) as copy:
            assert "Café des parents" in client.get(CATALOGUE).content.decode()
        assert copy
        assert any("django_session" in sql for sql in primary)
        assert not any("django_session" in sql or "auth_user" in sql for sql in copy)


class TestReadYourWrites:
    def test_the_person_who_saved_reads_the_primary_and_others_the_replica(
        self, client, replica_in_use, structure, settings
    ):
        staff = MembershipFactory(federation=structure.federation).user
        sheet = publish(structure, "Café des parents")
        client.force_login(staff)
        page = reverse("catalogue:action_detail", args=[sheet.slug])
        with replica_in_use.paused():
            edit = reverse("workspace:action_update", args=[sheet.pk])
            saved = client.post(edit, sheet_data(sheet, title="Café des parents du samedi"))
            assert saved.cookies[PIN_COOKIE]["max-age"] == settings.REPLICA_PIN_SECONDS
            assert "Café des parents du samedi" in client.get(page).content.decode()
            other = Client()
            assert "Café des parents du samedi" not in other.get(page).content.decode()

    def test_a_pin_stops_after_its_time(self, client, replica_in_use, structure, settings):
        publish(structure, "Café des parents")
        with replica_in_use.paused():
            publish(structure, "Séjour familles")
            pinned(client)
            assert "Séjour familles" in client.get(CATALOGUE).content.decode()
            settings.REPLICA_PIN_SECONDS = 0
            assert "Séjour familles" not in client.get(CATALOGUE).content.decode()

    def test_an_unsigned_pin_is_ignored(self, client, replica_in_use, structure):
        publish(structure, "Café des parents")
        with replica_in_use.paused():
            publish(structure, "Séjour familles")
            client.cookies[PIN_COOKIE] = "1"
            assert "Séjour familles" not in client.get(CATALOGUE).content.decode()


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_NAMESPACES = base.PUBLIC_PAGE_NAMESPACES


class TestPageCacheOnAStaleReplica:
    def test_a_stale_replica_stores_its_pages_under_its_own_version_only(
        self, client, replica_in_use, structure, page_cache
    ):
        """The version is read where the page is: a replica behind the primary serves and
        stores the pages of its state under its state's key, never under the primary's
        newer version, which would keep old counts after the replica caught up."""
        publish(structure, "Café des parents")
        replica_in_use.catch_up()
        first = client.get(CATALOGUE)
        assert (first["X-Page-Cache"], theme_count(first.content.decode())) == ("miss", 1)
        writer = Client()
        with replica_in_use.paused():
            publish(structure, "Séjour familles")
            stale = client.get(CATALOGUE)
            assert (stale["X-Page-Cache"], stale["ETag"]) == ("hit", first["ETag"])
            fresh = pinned(writer).get(CATALOGUE)
            assert fresh["ETag"] != first["ETag"]
            assert theme_count(fresh.content.decode()) == 2
        replica_in_use.catch_up()
        caught_up = client.get(CATALOGUE)
        assert (caught_up["X-Page-Cache"], caught_up["ETag"]) == ("hit", fresh["ETag"])
        assert theme_count(caught_up.content.decode()) == 2


class TestARequestThatLosesTheReplica:
    """The replica lost between two reads of a view: the request is run again on the primary
    (config/replica.py, ``ReplicaReadsMiddleware``). The replica is paused with a sheet
    published since on the primary only, so that a page tells which server it was read on."""

    @pytest.fixture
    def behind(self, replica_in_use, structure):
        publish(structure, "Café des parents")
        with replica_in_use.paused():
            publish(structure, "Séjour familles")
            yield replica_in_use

    def test_a_page_whose_replica_is_lost_mid_view_is_answered_from_the_primary(
        self, client, behind, caplog
    ):
        with behind.lost_before(read=2):
            response = client.get(CATALOGUE)
        assert response.status_code == 200
        assert "Séjour familles" in response.content.decode()
        assert [(r.name, r.levelname) for r in caplog.records if r.levelno >= WARNING] == [
            ("config.replica", "WARNING")
        ]
        # Its broken connection closed, the replica is used again once checked.
        with queries_on(REPLICA) as copy:
            assert "Séjour familles" not in client.get(CATALOGUE).content.decode()
        assert copy

    def test_the_page_answered_from_the_primary_is_stored_under_the_primarys_version(
        self, client, behind, page_cache
    ):
        with behind.lost_before(read=3):  # the version, a first read, then lost
            answered = client.get(CATALOGUE)
        assert (answered.status_code, answered["X-Page-Cache"]) == (200, "miss")
        assert theme_count(answered.content.decode()) == 2
        on_the_primary = pinned(Client()).get(CATALOGUE)
        assert (on_the_primary["X-Page-Cache"], on_the_primary["ETag"]) == (
            "hit",
            answered["ETag"],
        )
        on_the_replica = client.get(CATALOGUE)
        assert on_the_replica["X-Page-Cache"] == "miss"
        assert theme_count(on_the_replica.content.decode()) == 1

    def test_a_csv_whose_replica_is_lost_while_streaming_stops_and_leaves_the_replica_aside(
        self, client, replica_in_use, structure, settings
    ):
        """Its status and first rows may be sent already: it cannot be answered again."""
        publish(structure, "Café des parents")
        replica_in_use.catch_up()
        response = client.get(reverse("catalogue:action_export"))
        settings.REPLICA_CHECK_INTERVAL = 60
        with replica_in_use.lost_before(read=1), pytest.raises(OperationalError):
            b"".join(response.streaming_content)
        assert connections[REPLICA].connection is None
        assert not replica_reads.replica_usable()  # until the next check

    def test_a_post_that_loses_its_database_is_not_run_again(self, replica_in_use):
        attempts = []

        def lost(execute, sql, params, many, context):
            attempts.append(sql)
            # As if the replica had just failed too: the method alone keeps it from a rerun.
            connections[REPLICA].errors_occurred = True
            raise OperationalError("server closed the connection unexpectedly")

        client = Client(raise_request_exception=False)
        with connections[DEFAULT_DB_ALIAS].execute_wrapper(lost):
            response = client.post(reverse("alerts:subscribe"), {"email": "a@example.org"})
        assert response.status_code == 503
        assert len(attempts) == 1


class TestFallback:
    """Last in the module: the last test stops the replica for good (a standby started again
    may wait up to 15 s for the primary's next snapshot of running transactions)."""

    def test_a_replica_out_of_reach_is_left_aside_until_a_check_finds_it_again(
        self, client, replica_in_use, structure, settings
    ):
        publish(structure, "Café des parents")
        replica_in_use.catch_up()
        copy_settings = connections[REPLICA].settings_dict
        port, copy_settings["PORT"] = copy_settings["PORT"], str(free_port())
        connections[REPLICA].close()
        settings.REPLICA_CHECK_INTERVAL = 60
        with queries_on(DEFAULT_DB_ALIAS) as primary:
            assert "Café des parents" in client.get(CATALOGUE).content.decode()
        assert primary
        copy_settings["PORT"] = port
        with queries_on(REPLICA) as copy:
            assert client.get(CATALOGUE).status_code == 200
        assert copy == []  # not tried again before the next check
        replica_reads._health.until = 0.0  # the next check is due
        with queries_on(REPLICA) as copy:
            assert "Café des parents" in client.get(CATALOGUE).content.decode()
        assert copy

    def test_a_replica_lagging_more_than_allowed_is_left_aside(
        self, client, replica_in_use, structure, settings
    ):
        publish(structure, "Café des parents")
        with replica_in_use.paused():
            publish(structure, "Séjour familles")
            replica_in_use.receive()
            assert "Séjour familles" not in client.get(CATALOGUE).content.decode()
            settings.REPLICA_MAX_LAG = 0
            assert "Séjour familles" in client.get(CATALOGUE).content.decode()

    def test_reads_go_to_the_primary_at_once_when_the_replica_stops(
        self, client, replica_in_use, structure
    ):
        publish(structure, "Café des parents")
        replica_in_use.catch_up()
        with queries_on(REPLICA) as copy:
            assert client.get(CATALOGUE).status_code == 200
        assert copy
        replica_in_use.stop()
        with queries_on(DEFAULT_DB_ALIAS) as primary:
            response = client.get(CATALOGUE)
        assert response.status_code == 200
        assert "Café des parents" in response.content.decode()
        assert primary
