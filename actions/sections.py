"""The sections of a published action sheet, in the published order.

One list serves the importer (labels of the text formats), the public sheet (headings) and the
completeness indicator (which sections count), so the format is described once.

The observatory printed its sheets in an older layout before the current one (see
``fixtures/senacs/``): questions such as "Quels furent les facteurs de réussite de cette
expérience ?" as headings, without the "- " of the current labels. ``legacy_labels`` maps each
of those headings onto the section that holds the same content today (both "Thèmes" and
"Mots clés associés à l'actions" are keywords); a section printed identically in both layouts
("Description générale") needs none. Three old sections have no counterpart in the current
format: they are sections of their own, without ``label``, that only old sheets fill in, and
they do not count for completeness (a sheet written today has no such section to fill in).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    field: str
    label: str  # exactly as printed in the current published format (French); "" if absent
    heading: str  # heading shown in the portal (translatable)
    many: bool = False  # a many-to-many or reverse relation rather than a column
    counts_for_completeness: bool = True
    legacy_labels: tuple[str, ...] = ()  # headings of the older layout that differ from label


SECTIONS: tuple[Section, ...] = (
    Section("structure", "Structure organisatrice", _("Structure organisatrice")),
    Section(
        "attachments",
        "Fichier(s) associé(s)",
        _("Fichier(s) associé(s)"),
        many=True,
        counts_for_completeness=False,
    ),
    Section("status", "Statut de l'action", _("Statut de l'action")),
    Section(
        "end_reason",
        "Raisons pour lesquelles l'action est terminée",
        _("Raisons pour lesquelles l'action est terminée"),
        counts_for_completeness=False,
    ),
    Section("dimension", "Dimension", _("Dimension")),
    Section(
        "themes",
        "Mots clés associés à l'action",
        _("Mots clés associés à l'action"),
        many=True,
        legacy_labels=("Thèmes", "Mots clés associés à l'actions"),
    ),
    Section("summary", "Résumé", _("Résumé")),
    Section(
        "initiatives",
        "Qui est à l'initiative de l'action ?",
        _("Qui est à l'initiative de l'action ?"),
        many=True,
    ),
    Section("territory_scale", "Territoire concerné", _("Territoire concerné")),
    Section(
        "diagnostic",
        "",
        _("Éléments de diagnostic à l'origine de l'expérience"),
        counts_for_completeness=False,
        legacy_labels=("Quels furent les éléments de diagnostic à l'origine de l'expérience ?",),
    ),
    Section(
        "experience",
        "Description de l'expérience, ses objectifs, ses acteurs et ses différentes phases.",
        _("Description de l'expérience, ses objectifs, ses acteurs et ses différentes phases"),
    ),
    Section("publics", "Public", _("Public"), many=True),
    Section(
        "partners",
        "Avec qui cette action a-t-elle été menée ?",
        _("Avec qui cette action a-t-elle été menée ?"),
        many=True,
    ),
    Section("description", "Description générale", _("Description générale")),
    Section(
        "financial_resources",
        "Ressources financières mobilisées pour cette action",
        _("Ressources financières mobilisées pour cette action"),
    ),
    Section(
        "people_mobilised",
        "Nombre de personnes mobilisés pour cette action",
        _("Nombre de personnes mobilisées pour cette action"),
    ),
    Section("result_territory", "Résultat sur le territoire", _("Résultat sur le territoire")),
    Section("result_centre", "Résultat pour le centre social", _("Résultat pour le centre social")),
    Section("result_residents", "Résultat pour les habitants", _("Résultat pour les habitants")),
    Section(
        "impacts",
        "",
        _("Impacts ou effets positifs sur le public, le centre social ou l'environnement"),
        counts_for_completeness=False,
        legacy_labels=(
            "Quels sont les impacts ou effets positifs produits par cette expérience au niveau "
            "du public, du centre social ou de l'environnement ?",
        ),
    ),
    Section(
        "success_factors",
        "",
        _("Facteurs de réussite"),
        counts_for_completeness=False,
        legacy_labels=("Quels furent les facteurs de réussite de cette expérience ?",),
    ),
    Section(
        "limits",
        "Suite de l'action : Limites",
        _("Suite de l'action : limites"),
        legacy_labels=("Quelles sont les limites de cette expérience ?",),
    ),
    Section(
        "perspectives", "Suite de l'action : Perspectives", _("Suite de l'action : perspectives")
    ),
)

SECTIONS_BY_FIELD = {section.field: section for section in SECTIONS}
# The sections of the current published format, in its order.
CURRENT_SECTIONS = tuple(s for s in SECTIONS if s.label)
COMPLETENESS_SECTIONS = tuple(s for s in SECTIONS if s.counts_for_completeness)
