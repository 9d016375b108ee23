"""A choropleth map of the départements, rendered on the server as SVG markup.

``by_department`` turns ``{code: value}`` into the map's dataset, each département linked by a
callable (the caller's URLs, none hard-coded here); ``choropleth`` draws it, and the same
dataset makes the table under the map and its CSV.

Geometry
    ``geodata/departements.json`` (from the PyPI package ``pygal_maps_fr``, LGPL 3.0 or later;
    see geodata/README.md) draws everything in one viewBox of about 1,920 × 1,780 units, y down.
    Metropolitan France is in the middle, with Corsica south-east of the Côte d'Azur; the five
    overseas départements are insets, each at its own scale (their sizes are not comparable):
    Guadeloupe, Martinique and Guyane on the left, Mayotte and La Réunion on the right; Paris
    and its three neighbours (75, 92, 93, 94), a few pixels wide on the metropolitan map, are
    enlarged top right. Each inset is framed.

    On the whole map every département is one link; the small metropolitan copies of 75, 92,
    93 and 94 are coloured too but are decoration (hidden from assistive technologies, not
    links), their links being the enlarged ones. Restricted to a set of codes (a federation's
    territory), the viewBox is the bounding box of those départements plus a margin, their
    neighbours inside it are drawn in a neutral grey without links, and no inset is framed;
    a set made of Paris and its neighbours only is drawn from the enlargement.

Classes
    Values are counts. Zero and "no data" (``None``, or no row for the département) are classes
    of their own. The positive values get at most five classes with "nice" bounds: the upper
    bound of class *i* is the i/5 quantile of the positive values rounded up to 1, 2 or 5 × 10ⁿ,
    bounds that collapse are merged, and the last class ends at the maximum (``class_breaks``).
    So the legend reads "1 à 2, 3 à 5, 6 à 10, 11 à 20, 21 à 143" rather than exact quantiles,
    and each class holds roughly a fifth of the départements. Restricted maps compute their
    classes from the territory's values only.

Accessibility
    The ``<svg>`` is a group labelled by its ``<title>`` (not ``role="img"``, which would hide
    the links inside). Each département is an ``<a href>``, so it is reachable with the keyboard
    in the order of the dataset's rows (the table's order), with a ``<title>`` giving its name
    and value ("Nord (59) — Fiches publiées : 12"). On hover and on focus, the same words appear
    under the map and the département's border turns black (hover) or to the portal's focus
    colour with a black halo (focus); CSS only (``static/css/observatory.css``): no script, no
    inline style, nothing for a Content Security Policy to block. Colours come from
    ``palette`` (contrast checked by the tests); zero is dotted and "no data" hatched, so no
    value depends on colour alone, and the page shows the same figures in a table.

Sizes inside the drawing (text, patterns, borders) are given for a map 400 px wide and scaled
with the viewBox, so that a restricted map looks like the whole one.
"""

import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from math import ceil, log10
from pathlib import Path

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import palette
from .figures import Column, Dataset, Row
from .svg import FONT_FAMILY, labelled, number, text_width

GEODATA = Path(__file__).resolve().parent / "geodata" / "departements.json"
METROPOLE, ZOOM, OVERSEAS = "metropole", "zoom", "outre-mer"
MAX_CLASSES = 5
DESIGN_WIDTH = 400
FONT_SIZE = 12


@dataclass(frozen=True)
class Shape:
    code: str
    layer: str
    d: str
    bbox: tuple[float, float, float, float]


# What ``geodata/build.py`` writes in a path: nothing that needs escaping in an attribute.
PATH_DATA = re.compile(r"[MlcCLz0-9., -]+")


@cache
def geometry() -> tuple[Shape, ...]:
    """The vendored shapes, read once per process. Their path data is checked here once, so
    that it need not be escaped again each time a map is drawn (200 kB, most of the time)."""
    data = json.loads(GEODATA.read_text(encoding="utf-8"))
    shapes = []
    for shape in data["shapes"]:
        if not PATH_DATA.fullmatch(shape["d"]):
            raise ValueError(f"{GEODATA}: unexpected path data for {shape['code']}")
        path = mark_safe(shape["d"])
        shapes.append(Shape(shape["code"], shape["layer"], path, tuple(shape["bbox"])))
    return tuple(shapes)


# Classes ---------------------------------------------------------------------------------


def nice_ceiling(value: float) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50… that is at least ``value`` (``value`` ≥ 1)."""
    power = 10 ** int(log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    raise AssertionError("unreachable: 10 × power exceeds value")


def class_breaks(values: Iterable[int | None], *, classes: int = MAX_CLASSES):
    """``[(lower, upper), …]``: the classes of the positive values, bounds included."""
    positives = sorted(value for value in values if value is not None and value > 0)
    if not positives:
        return []
    top = positives[-1]
    uppers = []
    for index in range(1, classes):
        quantile = positives[ceil(len(positives) * index / classes) - 1]
        upper = nice_ceiling(quantile)
        if upper < top and (not uppers or upper > uppers[-1]):
            uppers.append(upper)
    uppers.append(top)
    lowers = [1, *(upper + 1 for upper in uppers[:-1])]
    return list(zip(lowers, uppers, strict=True))


@dataclass(frozen=True)
class Bin:
    css: str
    label: str
    fill: str


def class_colours(count: int) -> list[str]:
    """``count`` colours of the palette, spread from the lightest to the darkest."""
    if count == 1:
        return [palette.CLASSES[len(palette.CLASSES) // 2]]
    last = len(palette.CLASSES) - 1
    return [palette.CLASSES[round(index * last / (count - 1))] for index in range(count)]


class Classifier:
    """The bins of a map (classes, zero, no data) with their legend labels and fills."""

    def __init__(self, values: list[int | None], *, dom_id: str, format_value):
        self.breaks = class_breaks(values)
        colours = class_colours(len(self.breaks)) if self.breaks else []
        self.classes = [
            Bin(
                css=f"classe-{index}",
                label=(
                    format_value(lower)
                    if lower == upper
                    else _("%(lower)s à %(upper)s")
                    % {"lower": format_value(lower), "upper": format_value(upper)}
                ),
                fill=colour,
            )
            for index, ((lower, upper), colour) in enumerate(
                zip(self.breaks, colours, strict=True), 1
            )
        ]
        self.zero = Bin(css="zero", label=format_value(0), fill=f"url(#{dom_id}-zero)")
        self.no_data = Bin(css="sans-donnee", label=_("pas de données"), fill=f"url(#{dom_id}-nd)")

    def bin(self, value: int | None) -> Bin:
        if value is None:
            return self.no_data
        if value == 0:
            return self.zero
        for (_lower, upper), found in zip(self.breaks, self.classes, strict=True):
            if value <= upper:
                return found
        raise ValueError(f"{value} is outside the classes")


# Layout ----------------------------------------------------------------------------------

Box = tuple[float, float, float, float]


def union(boxes: Iterable[Box]) -> Box:
    x0, y0, x1, y1 = zip(*boxes, strict=True)
    return min(x0), min(y0), max(x1), max(y1)


def padded(box: Box, margin: float) -> Box:
    return box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin


def intersects(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@dataclass(frozen=True)
class Layout:
    areas: list[Shape]
    # Shapes drawn without a link: coloured by value (the Paris copies) or as context.
    decoration: list[Shape]
    frames: list[Box]
    box: Box
    restricted: bool


def layout(only: Collection[str] | None) -> Layout:
    """What to draw, and the viewBox: the whole map, or the départements ``only`` zoomed on."""
    shapes = geometry()
    enlarged = {shape.code for shape in shapes if shape.layer == ZOOM}
    codes = set(only or ()) & {shape.code for shape in shapes}
    if codes:
        layers = {ZOOM} if codes <= enlarged else {METROPOLE, OVERSEAS}
        candidates = [shape for shape in shapes if shape.layer in layers]
        areas = [shape for shape in candidates if shape.code in codes]
        area_box = union(shape.bbox for shape in areas)
        margin = max(area_box[2] - area_box[0], area_box[3] - area_box[1]) * 0.04
        box = padded(area_box, margin)
        context = [s for s in candidates if s.code not in codes and intersects(s.bbox, box)]
        return Layout(areas=areas, decoration=context, frames=[], box=box, restricted=True)
    # The whole map (also when the restriction names no known département).
    areas = [s for s in shapes if s.layer != METROPOLE or s.code not in enlarged]
    copies = [s for s in shapes if s.layer == METROPOLE and s.code in enlarged]
    frames = [padded(s.bbox, 12) for s in shapes if s.layer == OVERSEAS]
    frames.append(padded(union(s.bbox for s in shapes if s.layer == ZOOM), 12))
    box = padded(union([*(s.bbox for s in shapes), *frames]), 4)
    return Layout(areas=areas, decoration=copies, frames=frames, box=box, restricted=False)


# Rendering -------------------------------------------------------------------------------


def definitions(dom_id: str, box: Box, scale: float) -> SafeString:
    """The patterns of zero and "no data", and the frame that keeps the neighbours of a
    federation's territory from running under the legend."""
    tile = number(6 * scale)
    return format_html(
        '<defs><clipPath id="{id}-cadre"><rect x="{x}" y="{y}" width="{w}" height="{h}"/>'
        '</clipPath><pattern id="{id}-zero" patternUnits="userSpaceOnUse" width="{tile}" '
        'height="{tile}"><rect width="{tile}" height="{tile}" fill="{zero}"/>'
        '<circle cx="{half}" cy="{half}" r="{dot}" fill="{dots}"/></pattern>'
        '<pattern id="{id}-nd" patternUnits="userSpaceOnUse" width="{tile}" height="{tile}" '
        'patternTransform="rotate(45)"><rect width="{tile}" height="{tile}" fill="{no_data}"/>'
        '<line x1="{half}" y1="0" x2="{half}" y2="{tile}" stroke="{lines}" '
        'stroke-width="{line}"/></pattern></defs>',
        id=dom_id,
        x=number(box[0]),
        y=number(box[1]),
        w=number(box[2] - box[0]),
        h=number(box[3] - box[1]),
        tile=tile,
        half=number(3 * scale),
        dot=number(1.3 * scale),
        line=number(1.6 * scale),
        zero=palette.ZERO,
        dots=palette.ZERO_DOTS,
        no_data=palette.NO_DATA,
        lines=palette.NO_DATA_LINES,
    )


def legend(
    bins: list[Bin], *, caption: str, box: Box, top: float, scale: float
) -> tuple[SafeString, float]:
    """The legend under the map, items flowing in rows; returns it and its bottom."""
    size, swatch, gap = FONT_SIZE * scale, 14 * scale, 16 * scale
    y = top + size
    parts = [
        format_html(
            '<text x="{}" y="{}" font-weight="bold">{}</text>', number(box[0]), number(y), caption
        )
    ]
    x, y = box[0], y + 8 * scale
    for item in bins:
        width = swatch + 6 * scale + text_width(item.label, size)
        if x > box[0] and x + width > box[2]:
            x, y = box[0], y + swatch + 8 * scale
        parts.append(
            format_html(
                '<g class="legende-{css}"><rect x="{x}" y="{y}" width="{w}" height="{w}" '
                'fill="{fill}" stroke="{frame}" stroke-width="{stroke}"/>'
                '<text x="{tx}" y="{ty}">{label}</text></g>',
                css=item.css,
                x=number(x),
                y=number(y),
                w=number(swatch),
                fill=item.fill,
                frame=palette.FRAME,
                stroke=number(0.75 * scale),
                tx=number(x + swatch + 6 * scale),
                ty=number(y + swatch - 2 * scale),
                label=item.label,
            )
        )
        x += width + gap
    return mark_safe("".join(parts)), y + swatch


def by_department(
    values: Mapping[str, int | None],
    *,
    departments: Iterable[tuple[str, str]],
    href: Callable[[str], str],
    slug: str,
    title: str,
    header: str,
    description: str = "",
) -> Dataset:
    """The dataset of a map: one row per département of ``departments`` (code, name), in
    their order, labelled "Nord (59)", with the value of ``values`` (``None`` if absent) and
    the link ``href(code)``."""
    return Dataset(
        slug=slug,
        title=title,
        label_header=_("Département"),
        columns=(Column(header),),
        rows=tuple(
            Row(label=f"{name} ({code})", values=(values.get(code),), key=code, href=href(code))
            for code, name in departments
        ),
        description=description,
    )


def choropleth(dataset: Dataset, *, only: Collection[str] | None = None) -> SafeString:
    """The map of ``dataset``, whose rows are keyed by département code and each have a link,
    coloured by its charted column; restricted to the codes ``only`` if given. A département
    without a row is drawn as "no data", without a link; a row without a shape is ignored."""
    if missing := [row.key for row in dataset.rows if not row.href]:
        raise ValueError(f"{dataset.slug}: every département needs a link ({missing})")
    dom_id = f"carte-{dataset.slug}"
    plan = layout(only)
    rows = {row.key: row for row in dataset.rows}

    def value(code: str) -> int | None:
        return dataset.charted_value(rows[code]) if code in rows else None

    classifier = Classifier(
        [value(shape.code) for shape in plan.areas if shape.code in rows],
        dom_id=dom_id,
        format_value=dataset.charted_column.format,
    )
    x0, y0, x1, y1 = plan.box
    scale = (x1 - x0) / DESIGN_WIDTH
    order = {row.key: index for index, row in enumerate(dataset.rows)}
    linked = sorted((s for s in plan.areas if s.code in rows), key=lambda s: order[s.code])
    readout_y = number(y1 + 18 * scale)
    readout_x = number(x0)
    areas = []
    for shape in linked:
        row, found = rows[shape.code], classifier.bin(value(shape.code))
        summary = escape(dataset.summary(row))
        areas.append(
            format_html(
                '<a href="{}" class="departement {}" data-code="{}"><title>{}</title>'
                '<path d="{}" fill="{}"/>'
                '<text class="lecture" x="{}" y="{}" visibility="hidden">{}</text></a>',
                row.href,
                found.css,
                shape.code,
                summary,
                shape.d,
                found.fill,
                readout_x,
                readout_y,
                summary,
            )
        )
    decoration = format_html_join(
        "",
        '<path d="{}" fill="{}"/>',
        [
            *(
                (
                    shape.d,
                    palette.CONTEXT if plan.restricted else classifier.bin(value(shape.code)).fill,
                )
                for shape in plan.decoration
            ),
            *((s.d, classifier.no_data.fill) for s in plan.areas if s.code not in rows),
        ],
    )
    frames = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" rx="{}"/>',
        (
            (number(a), number(b), number(c - a), number(d - b), number(4 * scale))
            for a, b, c, d in plan.frames
        ),
    )
    used = {classifier.bin(value(shape.code)) for shape in plan.areas}
    key, bottom = legend(
        [
            item
            for item in (classifier.zero, *classifier.classes, classifier.no_data)
            if item in used
        ],
        caption=dataset.charted_column.header,
        box=plan.box,
        top=y1 + 30 * scale,
        scale=scale,
    )
    aria, heading = labelled(dom_id, dataset.title, dataset.description)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="choropleth" id="{id}" '
        'viewBox="{x} {y} {w} {h}" role="group"{aria} font-family="{font}" font-size="{size}" '
        'fill="{text}">{heading}{defs}'
        '<g stroke="{border}" stroke-width="{stroke}" stroke-linejoin="round">'
        '<g aria-hidden="true" clip-path="url(#{id}-cadre)">{decoration}'
        '<g fill="none" stroke="{frame}">{frames}</g></g>'
        '<g class="departements">{areas}</g></g><g class="legende">{legend}</g></svg>',
        id=dom_id,
        x=number(x0),
        y=number(y0),
        w=number(x1 - x0),
        h=number(bottom + 6 * scale - y0),
        aria=aria,
        font=FONT_FAMILY,
        size=number(FONT_SIZE * scale),
        text=palette.TEXT,
        heading=heading,
        defs=definitions(dom_id, plan.box, scale),
        border=palette.BORDER,
        stroke=number(0.75 * scale),
        decoration=decoration,
        frame=palette.FRAME,
        frames=frames,
        areas=mark_safe("".join(areas)),
        legend=key,
    )
