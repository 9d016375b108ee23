"""The Atom feed of newly published sheets, for any selection of the catalogue:
``/actions/feed/?theme=culture&departement=94`` follows what ``/actions/?theme=…`` lists, the
newest publications first (whatever the page's sort)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from actions.models import Action
from catalogue.filters import ActionFilterSet

FEED_SIZE = 50


class NewSheetsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        return ActionFilterSet(data=request.GET, queryset=Action.objects.catalogue())

    def _query(self, filterset: ActionFilterSet) -> str:
        data = filterset.data.copy()
        data.pop("sort", None)
        return data.urlencode()

    def title(self, filterset):
        query = self._query(filterset)
        title = _("Nouvelles fiches action des centres sociaux")
        return f"{title} ({query})" if query else title

    def subtitle(self, filterset):
        return _("Les dernières fiches publiées de cette sélection du catalogue.")

    def link(self, filterset):
        query = self._query(filterset)
        return reverse("catalogue:action_list") + (f"?{query}" if query else "")

    def feed_url(self, filterset):
        query = self._query(filterset)
        return reverse("opendata:feed") + (f"?{query}" if query else "")

    def items(self, filterset):
        selected = filterset.select(filterset.queryset)
        return selected.order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, action):
        return action.title

    def item_description(self, action):
        return Truncator(action.summary).words(60)

    def item_pubdate(self, action):
        return action.published_at

    def item_updateddate(self, action):
        return action.updated_at

    def item_author_name(self, action):
        return action.structure.name

    def item_categories(self, action):
        return [theme.name for theme in action.themes.all()]
