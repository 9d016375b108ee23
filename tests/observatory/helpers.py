"""Datasets and a parser for the observatory's tests."""

from importlib import import_module
from xml.etree import ElementTree

from observatory.figures import Column, Dataset, Row

# (code, name, région) of the 101 départements, as the data migration creates them.
DEPARTMENTS = import_module("federations.migrations.0002_seed_regions_and_departments").DEPARTMENTS

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(str(markup))


def tag(name: str) -> str:
    return f"{SVG}{name}"


def department_dataset(values: dict[str, int | None], *, slug="fiches", **options) -> Dataset:
    """Rows for every département of the reference data, in its order, linked to a page."""
    return Dataset(
        slug=slug,
        title="Fiches publiées par département",
        label_header="Département",
        columns=(Column("Fiches publiées"),),
        rows=tuple(
            Row(
                label=f"{name} ({code})",
                values=(values.get(code),),
                key=code,
                href=f"/departements/{code}/",
            )
            for code, name, _region in DEPARTMENTS
        ),
        **options,
    )
