"""The vendored outline of the départements, and the script that regenerates it."""

import json
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from federations.models import Department
from observatory import maps
from observatory.geodata import build


class TestVendoredGeometry:
    @pytest.mark.django_db
    def test_every_department_of_the_reference_data_has_a_shape_and_every_shape_a_department(
        self,
    ):
        codes = set(Department.objects.values_list("code", flat=True))
        assert len(codes) == 101
        drawn = {shape.code for shape in maps.geometry()}
        assert codes - drawn == set(), "départements without a shape"
        assert drawn - codes == set(), "shapes without a département"

    def test_each_department_is_drawn_once_on_the_map_and_its_insets(self):
        layers = Counter(
            shape.code
            for shape in maps.geometry()
            if shape.layer in {maps.METROPOLE, maps.OVERSEAS}
        )
        assert set(layers.values()) == {1}
        overseas = {shape.code for shape in maps.geometry() if shape.layer == maps.OVERSEAS}
        assert overseas == {"971", "972", "973", "974", "976"}
        enlarged = {shape.code for shape in maps.geometry() if shape.layer == maps.ZOOM}
        assert enlarged == {"75", "92", "93", "94"}

    def test_insets_stand_apart_from_metropolitan_france(self):
        shapes = maps.geometry()
        metropolitan = [s.bbox for s in shapes if s.layer == maps.METROPOLE]
        for inset in (s for s in shapes if s.layer != maps.METROPOLE):
            assert not any(maps.intersects(inset.bbox, box) for box in metropolitan), inset.code

    def test_the_file_names_its_source(self):
        data = json.loads(maps.GEODATA.read_text(encoding="utf-8"))
        assert data["source"] == f"pygal_maps_fr-1.1.0-py3-none-any.whl:{build.SOURCE}"


def wheel_with(svg: str, folder) -> Path:
    path = folder / "pygal_maps_fr-0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr(build.SOURCE, svg)
    return path


SOURCE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
  <g id="departements" transform="translate(10,-5)">
    <g class="z01 departement map-element">
      <path d="m 0,10 l 0.04,0 0.04,0 0.04,0 c 1,0 2,0 3,0 c 0,5 5,5 5,0 z" />
    </g>
  </g>
  <g id="dom-com">
    <g class="z975 departement map-element"><path d="M 1,1 l 1,1 z" /></g>
    <g class="z971 departement map-element"><path d="M 50,50 L 60,50 60,60 Z" /></g>
  </g>
</svg>"""


class TestBuildScript:
    def test_translation_rounding_and_flattening(self, tmp_path):
        data = build.build(wheel_with(SOURCE_SVG, tmp_path))
        shapes = {shape["code"]: shape for shape in data["shapes"]}
        assert set(shapes) == {"01", "971"}, "975 is not a département"
        ain = shapes["01"]
        assert ain["layer"] == "metropole"
        # Translated by (10, -5); three tiny steps add up to one rounded step, not zero
        # (rounding never drifts); the flat curve became a lineto joined to the previous
        # one; the round curve stayed a curve.
        assert ain["d"] == "M10,5l0.1,0 3,0c0,5 5,5 5,0z"
        assert ain["bbox"] == [10, 5, 18.1, 10]
        assert shapes["971"] == {
            "code": "971",
            "layer": "outre-mer",
            "d": "M50,50l10,0 0,10z",
            "bbox": [50, 50, 60, 60],
        }
        assert data["bbox"] == [10, 5, 60, 60]

    def test_unsupported_path_commands_are_refused(self):
        with pytest.raises(ValueError, match="unsupported"):
            build.tokenize("M 0,0 A 1 1 0 0 1 5,5")
