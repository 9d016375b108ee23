"""The catalogue on the sample fixture (22 published sheets imported from the published text
format): the numbers a reader would check by hand."""

import csv
import io

import pytest
from django.urls import reverse

from tests.catalogue.counted import nonzero
from tests.sample import load_sample
from tests.shared import shared_data

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive, pytest.mark.usefixtures("sample")]

CATALOGUE = reverse("catalogue:action_list")


@shared_data(scope="module")
def sample():
    load_sample()


def result_count(client, query: str) -> int:
    response = client.get(f"{CATALOGUE}?{query}")
    assert response.status_code == 200
    return response.context["paginator"].count


def facet_counts(client, query: str = "") -> dict[str, dict[str, int]]:
    response = client.get(f"{CATALOGUE}?{query}")
    return {
        facet.name: {option.value: option.count for option in facet.options}
        for facet in response.context["filter"].facets
    }


class TestResultCounts:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("", 22),
            ("theme=vacances-loisirs", 11),
            ("departement=94", 2),
            ("theme=vacances-loisirs&departement=94", 2),
            ("theme=parentalite&theme=vacances-loisirs", 15),
            ("theme=vacances-loisirs&public=seniors", 1),
            ("region=11", 4),
            ("federation=federation-des-centres-sociaux-du-val-de-marne", 2),
            ("funder=caf", 4),
            ("status=finished", 3),
            ("dimension=citoyennete&territoire=une-commune", 5),
            ("initiative=un-groupe-dhabitants", 6),
            ("year_min=2018", 3),
            ("q=BARCELONE&theme=vacances-loisirs", 1),
        ],
    )
    def test_filters_give_the_expected_number_of_sheets(self, client, sample, query, expected):
        assert result_count(client, query) == expected

    def test_searching_barcelone_lists_the_barcelona_trip_first(self, client, sample):
        response = client.get(CATALOGUE, {"q": "barcelone"})
        assert response.context["object_list"][0].title == "Séjour Autofinancé Barcelone"


class TestFacetCounts:
    def test_theme_facet_of_the_whole_catalogue(self, client, sample):
        assert nonzero(facet_counts(client)["theme"]) == {
            "parentalite": 10,
            "vacances-loisirs": 11,
            "culture": 4,
            "education-scolarite": 5,
            "intergenerationnel": 4,
            "mixite-sociale": 5,
            "solidarite": 3,
            "vieillissement": 3,
            "democratie-citoyennete": 4,
            "discriminations": 3,
            "sante": 1,
            "precarite": 1,
            "mobilite-transport": 1,
            "europe-et-international": 1,
        }

    def test_other_facets_of_the_whole_catalogue(self, client, sample):
        counts = facet_counts(client)
        assert counts["status"] == {"ongoing": 19, "finished": 3}
        assert counts["departement"]["94"] == 2
        assert sum(counts["departement"].values()) == 22
        assert counts["region"]["11"] == 4
        assert counts["public"]["familles"] == 6
        assert counts["funder"]["caf"] == 4

    def test_facets_within_the_vacances_loisirs_theme(self, client, sample):
        counts = facet_counts(client, "theme=vacances-loisirs")
        assert counts["theme"]["vacances-loisirs"] == 11  # its own filter is ignored
        assert counts["theme"]["parentalite"] == 10
        assert counts["status"] == {"ongoing": 9, "finished": 2}
        assert counts["public"]["familles"] == 4
        assert counts["public"]["seniors"] == 1
        assert counts["departement"]["94"] == 2
        assert sum(counts["departement"].values()) == 11

    def test_the_option_counts_are_the_result_counts_they_lead_to(self, client, sample):
        counts = facet_counts(client, "theme=vacances-loisirs")
        for public, count in counts["public"].items():
            assert result_count(client, f"theme=vacances-loisirs&public={public}") == count


class TestOtherPagesOnTheSample:
    def test_home_shows_the_headline_figures(self, client, sample):
        figures = client.get(reverse("catalogue:home")).context["figures"]
        assert figures == {"actions": 22, "structures": 22, "departments": 21, "federations": 20}

    def test_export_has_one_row_per_sheet_of_the_selection(self, client, sample):
        response = client.get(reverse("catalogue:action_export"), {"theme": "vacances-loisirs"})
        text = b"".join(response.streaming_content).decode()
        assert len(list(csv.reader(io.StringIO(text)))) == 1 + 11

    def test_the_departement_page_of_val_de_marne(self, client, sample):
        response = client.get(reverse("catalogue:department_detail", args=["94"]))
        assert response.context["paginator"].count == 2
        assert [f.slug for f in response.context["federations"]] == [
            "federation-des-centres-sociaux-du-val-de-marne"
        ]
