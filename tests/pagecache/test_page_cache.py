"""Anonymous public pages from the shared cache (pagecache/): what is stored, what is served,
and that a write shows at once."""

import gzip
import re

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import RequestFactory
from django.urls import reverse

from actions.models import Theme
from pagecache import versions
from pagecache.middleware import PageCacheMiddleware
from tests.actions.factories import ActionFactory, theme
from tests.federations.factories import StructureFactory, UserFactory, department

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

CATALOGUE = "/actions/"


@pytest.fixture
def sheets():
    structure = StructureFactory(department=department("94"))
    for title in ("Séjour familles", "Café des parents"):
        ActionFactory(
            title=title, structure=structure, published=True, themes=[theme("parentalite")]
        )


def theme_count(html: str, slug: str) -> int:
    """The count the catalogue's sidebar shows beside a theme."""
    return int(re.search(rf'value="{slug}".*?class="facet-count">(\d+)', html, re.S).group(1))


class TestServedFromTheCache:
    def test_the_second_anonymous_request_is_a_hit_without_rendering(
        self, client, page_cache, sheets, django_assert_max_num_queries
    ):
        first = client.get(CATALOGUE)
        assert first["X-Page-Cache"] == "miss"
        # The version's row and the page's row of the database cache: nothing else.
        with django_assert_max_num_queries(2):
            second = client.get(CATALOGUE)
        assert second["X-Page-Cache"] == "hit"
        assert second.content == first.content
        assert "Café des parents" in second.content.decode()

    def test_query_strings_in_another_order_share_one_page(self, client, page_cache, sheets):
        client.get(CATALOGUE, QUERY_STRING="theme=parentalite&department=94")
        response = client.get(CATALOGUE, QUERY_STRING="department=94&theme=parentalite")
        assert response["X-Page-Cache"] == "hit"

    def test_each_language_has_its_own_page(self, client, page_cache, sheets):
        french = client.get(CATALOGUE, HTTP_ACCEPT_LANGUAGE="fr")
        english = client.get(CATALOGUE, HTTP_ACCEPT_LANGUAGE="en")
        assert english["X-Page-Cache"] == "miss"
        assert english["Content-Language"] == "en"
        assert 'lang="en"' in english.content.decode()
        again = client.get(CATALOGUE, HTTP_ACCEPT_LANGUAGE="fr")
        assert again["X-Page-Cache"] == "hit"
        assert again["Content-Language"] == "fr"
        assert again.content == french.content

    def test_the_observatory_feed_and_sitemap_are_cached_too(self, client, page_cache, sheets):
        for name in ("observatory:index", "opendata:feed", "opendata:sitemap"):
            client.get(reverse(name))
            assert client.get(reverse(name))["X-Page-Cache"] == "hit", name

    def test_headers_suit_a_shared_proxy(self, client, page_cache, sheets, settings):
        response = client.get(CATALOGUE)
        assert response["Cache-Control"] == (
            f"public, max-age={settings.PAGE_CACHE_MAX_AGE}, "
            f"stale-while-revalidate={settings.PAGE_CACHE_STALE_WHILE_REVALIDATE}"
        )
        vary = {header.strip() for header in response["Vary"].split(",")}
        assert {"Accept-Encoding", "Accept-Language", "Cookie"} <= vary
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"].endswith("GMT")
        assert not response.cookies


class TestConditionalRequests:
    def test_a_client_with_the_current_etag_gets_304(self, client, page_cache, sheets):
        etag = client.get(CATALOGUE)["ETag"]
        response = client.get(CATALOGUE, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == etag

    def test_a_client_with_the_current_date_gets_304(self, client, page_cache, sheets):
        last_modified = client.get(CATALOGUE)["Last-Modified"]
        response = client.get(CATALOGUE, HTTP_IF_MODIFIED_SINCE=last_modified)
        assert response.status_code == 304

    def test_another_etag_gets_the_page(self, client, page_cache, sheets):
        client.get(CATALOGUE)
        assert client.get(CATALOGUE, HTTP_IF_NONE_MATCH='"old"').status_code == 200


@pytest.mark.django_db(transaction=True)
class TestWritesShowAtOnce:
    """Real commits: the version moves when a writing transaction commits."""

    def test_a_write_followed_by_a_read_shows_the_new_counts_at_once(
        self, client, page_cache, sheets
    ):
        before = client.get(CATALOGUE)
        client.get(CATALOGUE)  # stored, and served
        assert theme_count(before.content.decode(), "parentalite") == 2
        ActionFactory(
            title="Atelier cuisine",
            published=True,
            structure=StructureFactory(department=department("31")),
            themes=[theme("parentalite")],
        )
        after = client.get(CATALOGUE)
        assert after["X-Page-Cache"] == "miss"
        assert theme_count(after.content.decode(), "parentalite") == 3
        assert "Atelier cuisine" in after.content.decode()

    def test_a_bulk_update_without_signals_moves_the_version_too(self, client, page_cache, sheets):
        etag = client.get(CATALOGUE)["ETag"]
        before = versions.current().number
        Theme.objects.filter(slug="parentalite").update(name="Parents et enfants")
        assert versions.current().number > before
        response = client.get(CATALOGUE, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200
        assert "Parents et enfants" in response.content.decode()

    def test_a_rolled_back_write_keeps_the_version(self, page_cache, sheets):
        from django.db import transaction

        before = versions.current().number
        with pytest.raises(RuntimeError), transaction.atomic():
            Theme.objects.filter(slug="parentalite").update(name="Jamais vu")
            raise RuntimeError
        assert versions.current().number == before


class TestNeverCached:
    def test_signed_in_people_are_neither_served_nor_stored(self, client, page_cache, sheets):
        client.get(CATALOGUE)  # an anonymous page stored
        client.force_login(UserFactory())
        for _ in range(2):
            response = client.get(CATALOGUE)
            assert "X-Page-Cache" not in response
            assert "public" not in response.get("Cache-Control", "")
            assert "Se déconnecter" in response.content.decode()
            assert "Content-Encoding" not in response

    def test_the_workspace_and_the_admin_are_never_cached(self, client, page_cache, sheets):
        for url in ("/admin/login/", reverse("workspace:dashboard"), reverse("login")):
            for _ in range(2):
                assert "X-Page-Cache" not in client.get(url), url

    def test_posts_are_never_served_from_it(self, client, page_cache, sheets):
        client.get(CATALOGUE)
        assert "X-Page-Cache" not in client.post(CATALOGUE)

    def test_a_visitor_with_a_pending_message_gets_a_fresh_page(self, client, page_cache, sheets):
        client.get(CATALOGUE)
        client.cookies[CookieStorage.cookie_name] = "a-message"
        assert "X-Page-Cache" not in client.get(CATALOGUE)

    def test_a_page_that_sets_a_cookie_is_not_stored(self, page_cache, sheets):
        rendered = []

        def view(request):
            rendered.append(request)
            response = HttpResponse("langue choisie")
            response.set_cookie("django_language", "en")
            return response

        self.assert_rendered_each_time(view, rendered)

    def test_a_page_that_carries_a_csrf_token_is_not_stored(self, page_cache, sheets):
        rendered = []

        def view(request):
            rendered.append(request)
            return HttpResponse(f"<input value='{get_token(request)}'>")

        self.assert_rendered_each_time(CsrfViewMiddleware(view), rendered)

    @staticmethod
    def assert_rendered_each_time(view, rendered):
        def with_user(request):
            from django.contrib.auth.models import AnonymousUser

            request.user = AnonymousUser()
            return view(request)

        middleware = PageCacheMiddleware(with_user)
        for _ in range(2):
            response = middleware(RequestFactory().get(CATALOGUE))
            assert "X-Page-Cache" not in response
        assert len(rendered) == 2


class TestLighterPages:
    def test_the_catalogue_travels_gzipped_in_at_most_half_its_bytes(
        self, client, page_cache, sheets
    ):
        plain = client.get(CATALOGUE)
        compressed = client.get(CATALOGUE, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert compressed["Content-Encoding"] == "gzip"
        assert len(compressed.content) <= len(plain.content) / 2
        assert gzip.decompress(compressed.content) == plain.content
        assert client.get(CATALOGUE, HTTP_ACCEPT_ENCODING="gzip")["X-Page-Cache"] == "hit"


class TestRedis:
    def test_pages_are_served_from_a_real_redis_server(
        self, client, redis_page_cache, sheets, django_assert_max_num_queries
    ):
        client.get(CATALOGUE)
        with django_assert_max_num_queries(1):  # the version's row only
            response = client.get(CATALOGUE)
        assert response["X-Page-Cache"] == "hit"
        assert len(redis_page_cache._cache.get_client().keys("*")) == 1

    def test_pages_are_still_served_when_redis_is_down(self, client, page_cache, sheets, settings):
        unreachable = {
            "BACKEND": "pagecache.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
        settings.CACHES = {**settings.CACHES, settings.PAGE_CACHE: unreachable}
        for _ in range(2):
            response = client.get(CATALOGUE)
            assert response.status_code == 200
            assert "Café des parents" in response.content.decode()
