"""manage.py export_open_data: the tables, the JSON, the Frictionless Data Package (valid for
``frictionless validate``), the DCAT description, published atomically."""

import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from frictionless import validate

from actions.enums import PublicationStatus
from actions.models import Action, Funding, Public
from actions.sections import SECTIONS
from catalogue.records import Links, sheet_records
from federations.enums import StructureKind
from opendata import datainclusion
from opendata import export as export_module
from opendata.tables import tables
from tests.actions.factories import AttachmentFactory, build_catalogue
from tests.catalogue.unpublished import leaked, unpublished_sheets
from tests.federations.factories import StructureFactory
from tests.opendata.conftest import BASE_URL, read_table

pytestmark = pytest.mark.django_db


def package_of(directory) -> dict:
    return json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))


class TestTheSample:
    def test_frictionless_finds_the_package_valid(self, sample, export):
        report = validate(export() / "datapackage.json")
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])

    def test_the_csvs_read_back_give_every_published_sheet_and_funding_line(self, sample, export):
        directory = export()
        published = Action.objects.published()
        assert {row["slug"] for row in read_table(directory, "actions")} == set(
            published.values_list("slug", flat=True)
        )
        lines = Funding.objects.filter(action__in=published)
        assert {
            (int(r["id"]), r["action"], r["funder"], Decimal(r["amount"]))
            for r in read_table(directory, "fundings")
        } == {
            (line.pk, line.action.slug, line.funder.slug, line.amount)
            for line in lines.select_related("action", "funder")
        }

    def test_the_json_holds_the_sheets_as_the_api_serves_them(self, sample, export, client):
        sheets = json.loads((export() / "actions.json").read_text(encoding="utf-8"))
        assert len(sheets) == 22
        stored = next(sheet for sheet in sheets if sheet["slug"] == "samedis-festifs")
        api = client.get("/api/v1/actions/samedis-festifs/").content.decode()
        assert stored == json.loads(api.replace("http://testserver", BASE_URL))

    def test_the_dcat_description_lists_every_file(self, sample, export):
        directory = export()
        dcat = json.loads((directory / "dcat.jsonld").read_text(encoding="utf-8"))
        assert dcat["@type"] == "dcat:Dataset"
        assert {
            "@value": "Fiches action des centres sociaux et espaces de vie sociale",
            "@language": "fr",
        } in dcat["dct:title"]
        urls = {d["dcat:downloadURL"]["@id"]: d for d in dcat["dcat:distribution"]}
        for resource in package_of(directory)["resources"]:
            distribution = urls[f"{BASE_URL}/donnees/{resource['path']}"]
            assert distribution["dcat:byteSize"]["@value"] == resource["bytes"]
        assert dcat["dct:license"] == {
            "@id": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
        }

    def test_the_correspondences_are_a_table_of_the_package(self, sample, export):
        rows = read_table(export(), "datainclusion")
        assert {
            "vocabulary": "publics",
            "value": "seniors",
            "datainclusion_vocabulary": "publics",
            "datainclusion_value": "seniors",
            "datainclusion_label": "Séniors",
            "match": "exactMatch",
        } in rows
        assert any(r["datainclusion_value"] == "fcsf" for r in rows)

    def test_the_command_reports_what_it_wrote(self, sample, tmp_path, capsys):
        call_command("export_open_data", str(tmp_path / "sortie"))
        assert "22 fiches" in capsys.readouterr().out
        assert Action.objects.filter(publication_status=PublicationStatus.PUBLISHED).count() == 22


class TestTheFormat:
    def test_every_section_has_a_column_or_a_table(self, db, export):
        package = package_of(export())
        columns = {f["name"] for f in package["resources"][0]["schema"]["fields"]}
        names = {r["name"] for r in package["resources"]}
        for section in SECTIONS:
            assert (
                section.field in columns
                or f"action_{section.field}" in names
                or (section.field in names)
            ), section.field

    def test_primary_and_foreign_keys_tie_the_tables(self, db, export):
        package = package_of(export())
        by_name = {r["name"]: r for r in package["resources"]}
        assert by_name["actions"]["schema"]["primaryKey"] == ["slug"]
        assert by_name["action_themes"]["schema"]["primaryKey"] == ["action", "theme"]
        references = {
            (key["fields"][0], key["reference"]["resource"])
            for key in by_name["fundings"]["schema"]["foreignKeys"]
        }
        assert references == {("action", "actions"), ("funder", "partners")}
        for resource in package["resources"]:
            for key in resource.get("schema", {}).get("foreignKeys", []):
                assert key["reference"]["resource"] in by_name

    def test_titles_and_descriptions_in_french_and_english(self, db, export):
        package = package_of(export())
        assert package["title"] and package["title_en"] and package["description_en"]
        by_name = {resource["name"]: resource for resource in package["resources"]}
        assert (by_name["actions"]["title"], by_name["actions"]["title_en"]) == (
            "Fiches action",
            "Action sheets",
        )
        assert by_name["fundings"]["title_en"] == "Funding lines"
        amount = next(f for f in by_name["fundings"]["schema"]["fields"] if f["name"] == "amount")
        assert amount["description_en"] == "In euros, decimal point."
        for resource in package["resources"]:
            assert resource["title_en"] and resource["description_en"], resource["name"]
            for field in resource.get("schema", {}).get("fields", []):
                assert field["title"] and field["title_en"], (resource["name"], field["name"])

    def test_the_licence_is_the_licence_ouverte_2(self, db, export):
        (licence,) = package_of(export())["licenses"]
        assert licence["name"] == "etalab-2.0"
        assert licence["path"] == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"

    def test_each_row_has_exactly_the_columns_of_its_table(self, db):
        (action,) = build_catalogue(1)
        AttachmentFactory(action=action)
        (record,) = sheet_records([action.pk], Links(BASE_URL))
        for table in tables():
            rows = table.from_record(record) if table.from_record else table.rows(Links(BASE_URL))
            row = next(iter(rows))
            assert set(row) == {column.name for column in table.columns}, table.name


class TestOnlyPublishedData:
    def test_no_file_names_an_unpublished_sheet_a_private_partner_or_a_person(self, sample, export):
        secrets = unpublished_sheets(StructureFactory())
        directory = export()
        for path in sorted(directory.iterdir()):
            assert leaked(path.read_text(encoding="utf-8"), secrets) == [], path.name
        assert len(read_table(directory, "actions")) == 22

    def test_no_email_address_in_any_file(self, sample, export):
        directory = export()
        for path in directory.glob("*.csv"):
            assert "@" not in path.read_text(encoding="utf-8"), path.name


class TestDataInclusion:
    def test_every_correspondence_names_a_value_of_the_portal(self, db):
        publics = set(Public.objects.values_list("slug", flat=True))
        for row in datainclusion.rows():
            if row["vocabulary"] == "publics":
                assert row["value"] in publics, row
            elif row["vocabulary"] == "structures.kind":
                assert row["value"] in StructureKind.values, row


class TestPublication:
    def test_the_destination_points_at_the_new_export_and_the_previous_one_is_removed(
        self, db, export
    ):
        directory = export()
        first = directory.resolve()
        assert directory.is_symlink()
        export()
        assert directory.resolve() != first and not first.exists()
        assert (directory / "datapackage.json").exists()

    def test_a_failed_export_leaves_the_previous_one_in_place(self, db, export, monkeypatch):
        directory = export()
        before = (directory / "datapackage.json").read_text()

        def broken(*args, **kwargs):
            raise RuntimeError("disque plein")

        monkeypatch.setattr(export_module, "write_tables", broken)
        with pytest.raises(RuntimeError):
            export()
        assert (directory / "datapackage.json").read_text() == before
        assert [p.name for p in directory.parent.iterdir() if p.name.startswith(".")] == [
            directory.resolve().name
        ]

    def test_an_empty_folder_is_taken_but_a_folder_with_files_is_refused(self, db, tmp_path):
        empty = tmp_path / "vide"
        empty.mkdir()
        call_command("export_open_data", str(empty), verbosity=0)
        assert (empty / "datapackage.json").exists()
        taken = tmp_path / "pris"
        taken.mkdir()
        (taken / "notes.txt").write_text("à garder")
        with pytest.raises(CommandError):
            call_command("export_open_data", str(taken))
        assert (taken / "notes.txt").read_text() == "à garder"
