"""Reads of the workspace, scoped to what the user may touch and prefetched for their pages."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Case, IntegerField, QuerySet, Value, When

from actions import sections
from actions.enums import PublicationStatus
from actions.models import Action, Partner
from federations.text import name_key

PARTNER_SUGGESTIONS = 20

# Workspace groups, in the order a contributor works through them.
STATUS_ORDER = (
    PublicationStatus.DRAFT,
    PublicationStatus.SUBMITTED,
    PublicationStatus.PUBLISHED,
    PublicationStatus.REJECTED,
)
M2M_HISTORY_FIELDS = ("themes", "publics", "initiatives")
HIDDEN_HISTORY_FIELDS = {
    "slug",
    "created_by",
    "updated_by",
    "created_at",
    "submitted_at",
    "submitted_by",
    "published_at",
    "modified_since_publication",
    "modified_during_review",
}


def workspace_actions(user) -> QuerySet[Action]:
    """The sheets ``user`` may edit, grouped by publication status, last changed first."""
    rank = Case(
        *(When(publication_status=status, then=Value(i)) for i, status in enumerate(STATUS_ORDER)),
        output_field=IntegerField(),
    )
    return (
        Action.objects.editable_by(user)
        .select_related("structure", "updated_by")
        # Everything completeness() reads, so a page costs the same few queries whatever the
        # number of sheets.
        .prefetch_related(*sections.completeness_prefetch())
        .annotate(status_rank=rank)
        .order_by("status_rank", "-updated_at", "-pk")
    )


@dataclass
class HistoryEntry:
    date: datetime
    user: object
    kind: str
    fields: list[str] = field(default_factory=list)
    note: str = ""


def _field_label(name: str) -> str:
    return str(Action._meta.get_field(name).verbose_name)


def _m2m_history_accessors() -> dict[str, str]:
    """m2m field name -> reverse accessor of its history rows on the historical record."""
    accessors = {}
    for relation in Action.history.model._meta.related_objects:
        for name in M2M_HISTORY_FIELDS:
            if relation.related_model.__name__ == f"HistoricalAction_{name}":
                accessors[name] = relation.get_accessor_name()
    return accessors


def recent_changes(action: Action, limit: int = 8) -> list[HistoryEntry]:
    """The last saves of ``action``: who, when and which sections changed.

    Built from django-simple-history's records; each is compared with the one before it
    (m2m rows are prefetched, so the cost does not grow with the number of changes shown).
    """
    accessors = _m2m_history_accessors()
    records = list(
        action.history.select_related("history_user")
        .prefetch_related(*accessors.values())
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        entry = HistoryEntry(
            date=record.history_date,
            user=record.history_user,
            kind=record.history_type,
            note=record.history_change_reason or "",
        )
        if older is not None:
            delta = record.diff_against(older, excluded_fields=M2M_HISTORY_FIELDS)
            names = [name for name in delta.changed_fields if name not in HIDDEN_HISTORY_FIELDS]
            for name, accessor in accessors.items():
                key = f"{Action._meta.get_field(name).m2m_reverse_field_name()}_id"
                new = {getattr(row, key) for row in getattr(record, accessor).all()}
                old = {getattr(row, key) for row in getattr(older, accessor).all()}
                if new != old:
                    names.append(name)
            entry.fields = [_field_label(name) for name in names]
        entries.append(entry)
    return entries


def partner_suggestions(user, typed: str) -> list[str]:
    """Names of the partners ``user`` may see (``PartnerQuerySet.visible_to``) that contain
    ``typed``, spelling aside, for the sheet form's partner and funder inputs; at most
    ``PARTNER_SUGGESTIONS``."""
    key = name_key(typed)
    if not key:
        return []
    partners = Partner.objects.visible_to(user).filter(match_key__contains=key)
    return list(partners.order_by("name").values_list("name", flat=True)[:PARTNER_SUGGESTIONS])
