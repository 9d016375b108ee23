"""The observatory's figures as datasets (observatory/figures.py): one per map or chart, with
its title, its columns and its rows, which the page draws, lists in a table and serves as CSV.

Counts of themes and publics are the sheets that have each one: a sheet can have several, so
they do not add up to the selection's size (the descriptions say so). Bars come in decreasing
order, ties in the vocabulary's order; years in order, those without a sheet included.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext

from actions.formatting import format_euros
from federations.enums import StructureKind

from . import maps
from .figures import ChartKind, Column, Dataset, Row, Unit
from .funding import FUNDER_GROUPS, Amounts, FundingFigures
from .services import Figures, NetworkFigures, SelectionFigures, Structures

# The per-federation chart lists the federations with the most sheets, the others in one row.
FEDERATIONS_SHOWN = 15
# The funders listed on a network page.
FUNDERS_SHOWN = 10


def sheets_column() -> Column:
    return Column(_("Fiches publiées"))


def department_href(code: str) -> str:
    return reverse("catalogue:department_detail", args=[code])


def department_map(counts: dict[str, int], departments, *, description: str = "") -> Dataset:
    """The map of the published sheets in each of ``departments`` ((code, name) pairs), each
    linked to its page; a département without a count has none (0)."""
    return maps.by_department(
        {code: counts.get(code, 0) for code, _name in departments},
        departments=departments,
        href=department_href,
        slug="departements",
        title=_("Fiches publiées par département"),
        header=_("Fiches publiées"),
        description=description,
    )


def by_count(rows: list[Row]) -> tuple[Row, ...]:
    """Rows in decreasing order of their first value, ties in their given order."""
    return tuple(sorted(rows, key=lambda row: -(row.values[0] or 0)))


def facet_chart(
    figures: Figures, facet_name: str, *, slug: str, title: str, label_header: str, description=""
) -> Dataset:
    facet = figures.facets[facet_name]
    return Dataset(
        slug=slug,
        title=title,
        label_header=label_header,
        columns=(sheets_column(),),
        # The sidebar lists every option; a chart, those the selection has.
        rows=by_count(
            [
                Row(option.label, (option.count,), key=option.value)
                for option in facet.options
                if option.count
            ]
        ),
        description=description,
    )


def several_per_sheet() -> str:
    return _("Une fiche peut en avoir plusieurs : les nombres ne s’additionnent pas.")


def years_chart(figures: Figures) -> Dataset:
    description = ""
    if figures.undated:
        description = ngettext(
            "%(count)s fiche sans année n’est pas comptée.",
            "%(count)s fiches sans année ne sont pas comptées.",
            figures.undated,
        ) % {"count": figures.undated}
    rows = ()
    if span := figures.year_range:
        first, last = span
        rows = tuple(
            Row(str(year), (figures.years.get(year, 0),), key=str(year))
            for year in range(first, last + 1)
        )
    return Dataset(
        slug="annees",
        title=_("Fiches par année de l’action"),
        label_header=_("Année"),
        columns=(sheets_column(),),
        rows=rows,
        description=description,
        chart=ChartKind.COLUMNS,
    )


def funding_chart(funding: FundingFigures) -> Dataset:
    def values(amounts: Amounts):
        return (amounts.total, amounts.median, amounts.sheets)

    return Dataset(
        slug="financements",
        title=_("Financements déclarés par type de financeur"),
        label_header=_("Type de financeur"),
        columns=(
            Column(_("Total déclaré"), Unit.EUROS),
            Column(_("Médiane par fiche financée"), Unit.EUROS),
            Column(_("Fiches financées")),
        ),
        rows=tuple(
            Row(str(group.label), values(funding.groups[group.key]), key=group.key)
            for group in FUNDER_GROUPS
        ),
        description=_(
            "Lignes de financement des fiches. Caf ; État ; collectivités territoriales : "
            "communes et intercommunalités, départements, régions ; autres : associations, "
            "entreprises et fondations, autres partenaires. La médiane porte sur les fiches que "
            "ce type de financeur finance."
        ),
    )


def structure_kind_chart(kinds: dict[str, Structures], *, description: str) -> Dataset:
    """Every kind of structure, with its structures and their published sheets."""
    return Dataset(
        slug="structures",
        title=_("Structures par type"),
        label_header=_("Type de structure"),
        columns=(Column(_("Structures")), sheets_column()),
        rows=tuple(
            Row(str(kind.label), (counted.structures, counted.sheets), key=kind.value)
            for kind in StructureKind
            for counted in [kinds.get(kind, Structures())]
        ),
        description=description,
    )


def federations_chart(figures: SelectionFigures) -> Dataset:
    names = {option.value: option.label for option in figures.facets["federation"].options}
    counted = sorted(
        ((slug, counts) for slug, counts in figures.federations.items() if slug is not None),
        key=lambda item: (-item[1].sheets, names.get(item[0], item[0])),
    )
    shown, others = counted[:FEDERATIONS_SHOWN], counted[FEDERATIONS_SHOWN:]
    rows = [
        Row(names.get(slug, slug), (counts.structures, counts.sheets), key=slug)
        for slug, counts in shown
    ]
    if others:
        rows.append(
            Row(
                ngettext(
                    "Autre fédération (%(count)s)", "Autres fédérations (%(count)s)", len(others)
                )
                % {"count": len(others)},
                (
                    sum(counts.structures for _slug, counts in others),
                    sum(counts.sheets for _slug, counts in others),
                ),
                key="autres",
            )
        )
    if alone := figures.federations.get(None):
        rows.append(Row(_("Sans fédération"), (alone.structures, alone.sheets), key="aucune"))
    return Dataset(
        slug="federations",
        title=_("Structures et fiches par fédération"),
        label_header=_("Fédération"),
        columns=(Column(_("Structures")), sheets_column()),
        rows=tuple(rows),
        description=(
            ngettext(
                "La fédération qui compte le plus de fiches, puis les autres ensemble.",
                "Les %(count)s fédérations qui comptent le plus de fiches, puis les autres "
                "ensemble.",
                FEDERATIONS_SHOWN,
            )
            % {"count": FEDERATIONS_SHOWN}
            if others
            else ""
        ),
        charted=1,
    )


def selection_datasets(figures: SelectionFigures) -> dict[str, Dataset]:
    """The observatory's datasets, by slug, in the page's order (the map first)."""
    datasets = [
        department_map(
            figures.counts("departement"),
            figures.departments,
            description=_("Les fiches de la sélection, par département de la structure."),
        ),
        years_chart(figures),
        facet_chart(
            figures,
            "theme",
            slug="themes",
            title=_("Fiches par thème"),
            label_header=_("Thème"),
            description=several_per_sheet(),
        ),
        facet_chart(
            figures,
            "public",
            slug="publics",
            title=_("Fiches par public"),
            label_header=_("Public"),
            description=several_per_sheet(),
        ),
        facet_chart(
            figures,
            "dimension",
            slug="dimensions",
            title=_("Fiches par dimension"),
            label_header=_("Dimension"),
        ),
        funding_chart(figures.funding),
        structure_kind_chart(
            figures.kinds,
            description=_("Les structures qui mènent au moins une fiche de la sélection."),
        ),
        federations_chart(figures),
    ]
    return {dataset.slug: dataset for dataset in datasets}


def network_datasets(
    figures: NetworkFigures, *, funder_href: Callable[[str], str] | None = None
) -> dict[str, Dataset]:
    """The datasets of a network page (a federation, a département), by slug, in the page's
    order (the map of its territory first)."""
    funders = figures.facets["funder"].options[:FUNDERS_SHOWN]
    datasets = [
        department_map(
            {department.code: department.action_count for department in figures.territory},
            [(department.code, department.name) for department in figures.territory],
        ),
        facet_chart(
            figures,
            "status",
            slug="etat",
            title=_("Fiches publiées par état de l’action"),
            label_header=_("État de l’action"),
        ),
        facet_chart(
            figures,
            "theme",
            slug="themes",
            title=_("Fiches par thème"),
            label_header=_("Thème"),
            description=several_per_sheet(),
        ),
        funding_chart(figures.funding),
        Dataset(
            slug="financeurs",
            title=_("Principaux financeurs"),
            label_header=_("Financeur"),
            columns=(Column(_("Fiches financées")),),
            rows=tuple(
                Row(
                    option.label,
                    (option.count,),
                    key=option.value,
                    href=funder_href(option.value) if funder_href else None,
                )
                for option in funders
            ),
            description=_("Par fiches financées (lignes de financement ou partenariat financier)."),
        ),
        structure_kind_chart(
            figures.structure_kinds,
            description=_("Toutes les structures référencées, qu’elles publient ou non."),
        ),
    ]
    return {dataset.slug: dataset for dataset in datasets}


# Key figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigure:
    value: str
    label: str


def count_figure(count: int, label: str) -> KeyFigure:
    return KeyFigure(number_format(count, force_grouping=True), label)


def common_key_figures(figures: Figures) -> tuple[list[KeyFigure], list[KeyFigure]]:
    """The figures every page shows: sheets first; funding and years last."""
    first = [
        count_figure(
            figures.total,
            npgettext("chiffre clé", "action publiée", "actions publiées", figures.total),
        )
    ]
    last = []
    whole = figures.funding.whole
    if whole.sheets:
        last.append(KeyFigure(format_euros(whole.total), _("de financements déclarés")))
        last.append(KeyFigure(format_euros(whole.median), _("médiane par fiche financée")))
    if span := figures.year_range:
        first_year, last_year = span
        value = str(first_year) if first_year == last_year else f"{first_year} – {last_year}"
        last.append(KeyFigure(value, _("années des actions")))
    return first, last


def selection_key_figures(figures: SelectionFigures) -> list[KeyFigure]:
    first, last = common_key_figures(figures)
    departments = sum(1 for count in figures.counts("departement").values() if count)
    federations = sum(1 for slug in figures.federations if slug is not None)
    return [
        *first,
        count_figure(
            figures.structures,
            npgettext("chiffre clé", "structure", "structures", figures.structures),
        ),
        count_figure(
            departments, npgettext("chiffre clé", "département", "départements", departments)
        ),
        count_figure(
            federations, npgettext("chiffre clé", "fédération", "fédérations", federations)
        ),
        *last,
    ]


def network_key_figures(figures: NetworkFigures) -> list[KeyFigure]:
    first, last = common_key_figures(figures)
    structures = sum(counted.structures for counted in figures.structure_kinds.values())
    return [
        *first,
        count_figure(structures, npgettext("chiffre clé", "structure", "structures", structures)),
        *last,
    ]
