"""Possible duplicates: a sheet of the same structure whose title is very close.

Titles are compared after ``federations.text.normalize`` (case, accents, spacing) with
difflib's ratio, so the check behaves the same on SQLite and PostgreSQL. A structure has a few
dozen sheets at most, so comparing in Python is cheap.
"""

from difflib import SequenceMatcher

from actions.models import Action
from federations.models import Structure
from federations.text import normalize

SIMILARITY_THRESHOLD = 0.8


def title_similarity(first: str, second: str) -> float:
    return SequenceMatcher(None, normalize(first), normalize(second)).ratio()


def similar_actions(*, structure: Structure, title: str, exclude_pk=None) -> list[Action]:
    """Sheets of ``structure`` whose title is at least 80 % similar to ``title``, closest
    first."""
    candidates = Action.objects.filter(structure=structure).only(
        "pk", "title", "slug", "publication_status", "structure_id", "updated_at"
    )
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    scored = []
    for action in candidates:
        score = title_similarity(title, action.title)
        if score >= SIMILARITY_THRESHOLD:
            action.similarity = score
            scored.append(action)
    return sorted(scored, key=lambda action: -action.similarity)
