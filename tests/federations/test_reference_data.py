import pytest

from federations.models import Department, Region

pytestmark = pytest.mark.django_db


def test_every_region_is_present_after_migrate():
    assert Region.objects.count() == 18
    assert Region.objects.get(code="11").name == "Île-de-France"
    assert Region.objects.get(code="94").name == "Corse"


def test_every_department_is_present_with_its_insee_code():
    assert Department.objects.count() == 101
    codes = set(Department.objects.values_list("code", flat=True))
    assert {"01", "2A", "2B", "94", "95", "971", "974", "976"} <= codes
    assert "20" not in codes
    assert "975" not in codes


@pytest.mark.parametrize(
    ("code", "name", "region_code"),
    [
        ("94", "Val-de-Marne", "11"),
        ("2A", "Corse-du-Sud", "94"),
        ("974", "La Réunion", "04"),
        ("90", "Territoire de Belfort", "27"),
        ("62", "Pas-de-Calais", "32"),
    ],
)
def test_department_belongs_to_its_region(code, name, region_code):
    department = Department.objects.select_related("region").get(code=code)
    assert department.name == name
    assert department.region.code == region_code


def test_every_region_has_departments():
    assert not Region.objects.filter(departments__isnull=True).exists()
