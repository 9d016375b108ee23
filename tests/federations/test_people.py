"""People and federations named in few words, the same way on every page."""

import pytest

from federations.models import Federation
from federations.people import person_name
from tests.federations.factories import UserFactory


class TestPersonName:
    def test_full_name_then_email_then_login(self):
        assert (
            person_name(UserFactory.build(first_name="Alice", last_name="Teure")) == "Alice Teure"
        )
        assert (
            person_name(UserFactory.build(first_name="", last_name="", email="a@example.org"))
            == "a@example.org"
        )
        assert (
            person_name(UserFactory.build(first_name="", last_name="", email="", username="al"))
            == "al"
        )
        assert person_name(None) == ""


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Fédération des centres sociaux de la Somme", "Somme"),
        ("Fédération des centres sociaux de l'Aude", "Aude"),
        ("Fédération des centres sociaux du Val-d'Oise", "Val-d'Oise"),
        ("Fédération des centres sociaux des Bouches-du-Rhône", "Bouches-du-Rhône"),
        ("Fédération des centres sociaux de Loire-Atlantique", "Loire-Atlantique"),
        ("Fédération des centres sociaux et socioculturels de l’Yonne", "Yonne"),
        ("Fédération régionale des centres sociaux d'Occitanie", "Occitanie"),
        ("Union des centres sociaux", "Union des centres sociaux"),
    ],
)
def test_a_federation_short_name_drops_what_every_federation_name_says(name, short):
    assert Federation(name=name).short_name == short
