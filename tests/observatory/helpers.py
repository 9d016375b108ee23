"""Datasets and a parser for the observatory's tests."""

from importlib import import_module
from xml.etree import ElementTree

from observatory import maps

# (code, name, région) of the 101 départements, as the data migration creates them.
DEPARTMENTS = import_module("federations.migrations.0002_seed_regions_and_departments").DEPARTMENTS

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(str(markup))


def tag(name: str) -> str:
    return f"{SVG}{name}"


def department_dataset(values: dict[str, int | None], *, slug="fiches", description=""):
    """The dataset of a map over every département of the reference data, in its order."""
    return maps.by_department(
        values,
        departments=[(code, name) for code, name, _region in DEPARTMENTS],
        href=lambda code: f"/departements/{code}/",
        slug=slug,
        title="Fiches publiées par département",
        header="Fiches publiées",
        description=description,
    )
