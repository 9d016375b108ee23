"""``{% alert_subscription filter %}``: the catalogue's « Recevoir les nouvelles fiches » form
for its current selection (the catalogue's templates load it; the catalogue imports nothing
of this app)."""

from django import template

from alerts.forms import SubscribeForm

register = template.Library()


@register.inclusion_tag("alerts/subscribe_form.html", takes_context=True)
def alert_subscription(context, filterset):
    form = SubscribeForm(initial={"query": filterset.query_string}, user=context["request"].user)
    return {"form": form, "request": context["request"], "csrf_token": context.get("csrf_token")}
