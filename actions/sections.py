"""The sections of a published action sheet, in the published order.

One list serves the importer (labels of the text format), the public sheet (headings) and the
completeness indicator (which sections count), so the format is described once.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    field: str
    label: str  # exactly as printed in the published format (French)
    heading: str  # heading shown in the portal (translatable)
    many: bool = False  # a many-to-many or reverse relation rather than a column
    counts_for_completeness: bool = True


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
        "themes", "Mots clés associés à l'action", _("Mots clés associés à l'action"), many=True
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
    Section("limits", "Suite de l'action : Limites", _("Suite de l'action : limites")),
    Section(
        "perspectives", "Suite de l'action : Perspectives", _("Suite de l'action : perspectives")
    ),
)

SECTIONS_BY_FIELD = {section.field: section for section in SECTIONS}
COMPLETENESS_SECTIONS = tuple(s for s in SECTIONS if s.counts_for_completeness)
