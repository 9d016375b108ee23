"""Regenerate ``departements.json`` from the ``pygal_maps_fr`` wheel (see README.md here).

    pip download --no-deps --dest /tmp/geodata pygal_maps_fr==1.1.0
    .venv/bin/python -m observatory.geodata.build /tmp/geodata/pygal_maps_fr-1.1.0-py3-none-any.whl

The package's ``fr.departments.svg`` draws every département as a ``<g class="zCODE">`` in three
groups: ``departements`` (metropolitan France with Corsica, under a translation),
``paris-petite-couronne`` (a zoom on Paris and its three neighbours) and ``dom-com`` (the
overseas départements). What is kept, and how:

- the translation is applied, so every path is in the coordinates of the SVG's viewBox;
- a Bézier curve whose control points lie within ``FLATNESS`` of its chord becomes that chord
  (a curve stays within the hull of its control points, so the shape moves by less than that);
  the test is symmetric, so a border shared by two départements is flattened alike on both
  sides and no gap opens between them;
- coordinates are rounded to one decimal and written relative to the previous *rounded* point,
  so rounding never drifts along a border; segments that rounding made empty are dropped;
- Saint-Pierre-et-Miquelon (975, a collectivité, not a département) is left out;
- each shape gets its bounding box (from its points and control points), which the renderer
  uses to zoom on a set of départements.

Only the standard library is used, so the script runs without the package installed.
"""

import json
import re
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

SOURCE = "pygal_maps_fr/fr.departments.svg"
TARGET = Path(__file__).resolve().parent / "departements.json"
SVG = "{http://www.w3.org/2000/svg}"
LAYERS = {"departements": "metropole", "paris-petite-couronne": "zoom", "dom-com": "outre-mer"}
LEFT_OUT = {"975"}
DECIMALS = 1
# In viewBox units (the whole map is about 1,920 wide): a pixel when the map is shown 1,000
# pixels wide, about three when one région fills 600 pixels. It takes the file from 330 kB to
# 210 kB (70 kB compressed) and keeps the small turns of the borders that the source draws as
# curves (a flatness of 1,000, every curve a chord, gives 120 kB but straightens them).
FLATNESS = 2.0
TOKEN = re.compile(r"[MmLlCcZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
ARITY = {"m": 2, "l": 2, "c": 6, "z": 0}


def tokenize(path: str) -> list[str]:
    tokens = TOKEN.findall(path)
    if re.sub(r"[\s,]", "", path) != "".join(tokens):
        raise ValueError(f"unsupported path data: {path[:60]}…")
    return tokens


def absolute_points(path: str, offset: tuple[float, float]):
    """Yield ``(command, points)`` with the points absolute and translated by ``offset``.

    Supports what the source uses: M/m, L/l, C/c and Z/z, with implicit repetitions (after a
    moveto, further pairs are linetos)."""
    tokens = tokenize(path)
    x = y = 0.0
    start = (0.0, 0.0)
    position = 0
    command = None
    while position < len(tokens):
        if tokens[position].isalpha():
            command = tokens[position]
            position += 1
        elif command is None:
            raise ValueError("path data must start with a command")
        lower = command.lower()
        if lower == "z":
            x, y = start
            yield "z", []
            command = None
            continue
        arity = ARITY[lower]
        numbers = [float(token) for token in tokens[position : position + arity]]
        position += arity
        relative = command.islower()
        points = []
        for index in range(0, arity, 2):
            px, py = numbers[index], numbers[index + 1]
            points.append((x + px, y + py) if relative else (px, py))
        x, y = points[-1]
        if lower == "m":
            start = (x, y)
            # Further pairs after a moveto are linetos of the same relativity.
            command = "l" if relative else "L"
        yield lower, [(px + offset[0], py + offset[1]) for px, py in points]


def number(value: float) -> str:
    text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def distance_to_chord(point, start, end) -> float:
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    length_squared = dx * dx + dy * dy
    if length_squared == 0:
        return ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length_squared))
    return ((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2) ** 0.5


def flattened(command: str, points, current):
    """A curve close enough to its chord as a lineto, anything else as it is."""
    if command == "c" and all(
        distance_to_chord(control, current, points[2]) <= FLATNESS for control in points[:2]
    ):
        return "l", points[2:]
    return command, points


def compact(path: str, offset: tuple[float, float]) -> tuple[str, list[float]]:
    """The path rounded and relative, with its bounding box ``[x0, y0, x1, y1]``.

    Every subpath is written from an absolute moveto, then relative to the previous rounded
    point."""
    parts = []
    xs, ys = [], []
    start = current = start_rounded = previous = None
    for command, points in absolute_points(path, offset):
        if command == "z":
            parts.append("z")
            current, previous = start, start_rounded
            continue
        if command == "m":
            start = current = points[0]
            start_rounded = previous = (round(start[0], DECIMALS), round(start[1], DECIMALS))
            parts.append(f"M{number(previous[0])},{number(previous[1])}")
            xs.append(previous[0])
            ys.append(previous[1])
            continue
        command, points = flattened(command, points, current)
        current = points[-1]
        rounded = [(round(px, DECIMALS), round(py, DECIMALS)) for px, py in points]
        xs += [px for px, _ in rounded]
        ys += [py for _, py in rounded]
        deltas = [(px - previous[0], py - previous[1]) for px, py in rounded]
        if all(abs(dx) < 1e-9 and abs(dy) < 1e-9 for dx, dy in deltas):
            continue
        text = " ".join(f"{number(dx)},{number(dy)}" for dx, dy in deltas)
        # A lineto after a lineto needs no letter: the pairs repeat the command.
        if command == "l" and parts[-1].startswith("l"):
            parts[-1] += " " + text
        else:
            parts.append(command + text)
        previous = rounded[-1]
    bbox = [min(xs), min(ys), max(xs), max(ys)]
    return "".join(parts), [round(value, DECIMALS) for value in bbox]


def translation(element) -> tuple[float, float]:
    match = re.fullmatch(r"translate\(([-\d.]+)[ ,]([-\d.]+)\)", element.get("transform", ""))
    return (float(match[1]), float(match[2])) if match else (0.0, 0.0)


def shapes(svg_text: str) -> list[dict]:
    root = ElementTree.fromstring(svg_text)
    found = []
    for group in root.iter(f"{SVG}g"):
        layer = LAYERS.get(group.get("id"))
        if layer is None:
            continue
        offset = translation(group)
        for area in group.findall(f"{SVG}g"):
            code = area.get("class").split()[0].removeprefix("z")
            if code in LEFT_OUT:
                continue
            paths = [compact(path.get("d"), offset) for path in area.iter(f"{SVG}path")]
            xs0, ys0, xs1, ys1 = zip(*(bbox for _, bbox in paths), strict=True)
            found.append(
                {
                    "code": code,
                    "layer": layer,
                    "d": "".join(d for d, _ in paths),
                    "bbox": [min(xs0), min(ys0), max(xs1), max(ys1)],
                }
            )
    return found


def build(wheel: Path) -> dict:
    with zipfile.ZipFile(wheel) as archive:
        svg_text = archive.read(SOURCE).decode()
    found = shapes(svg_text)
    return {
        "source": f"{wheel.name}:{SOURCE}",
        "bbox": [
            min(shape["bbox"][0] for shape in found),
            min(shape["bbox"][1] for shape in found),
            max(shape["bbox"][2] for shape in found),
            max(shape["bbox"][3] for shape in found),
        ],
        "shapes": found,
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    data = build(Path(sys.argv[1]))
    TARGET.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{TARGET}: {len(data['shapes'])} shapes, {TARGET.stat().st_size} bytes")
