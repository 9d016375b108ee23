"""Bar and column charts of a ``Dataset``, rendered on the server as SVG markup.

- ``bar_chart``: one horizontal bar per row (themes, publics, dimensions, federations, kinds
  of funder), the label written above its bar so that long labels keep the full width on a
  phone, the value printed at the end of the bar.
- ``column_chart``: one vertical column per row, for a series in order (sheets per year), the
  label under the column and the value above it.

Bars are proportional to the charted column, from zero (values are counts or amounts, never
negative); a zero has no bar and "no data" none either, both written out. Each chart is an
image for assistive technologies (``role="img"``) named by its ``<title>`` and described by a
``<desc>`` that lists every value, and the page shows the same dataset as a table next to it
(``templates/observatory/includes/chart.html``). One colour for all bars (``palette.BAR``,
3:1 against the background), labels and values as text: nothing is said by colour alone.

Sizes are CSS pixels at the chart's natural width; the stylesheet lets a chart shrink to a
narrow screen (``max-width: 100%``), never grow.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from . import palette
from .figures import ChartKind, Dataset
from .svg import CHARACTER_WIDTH, FONT_FAMILY, labelled, number, text_width

FONT_SIZE = 13
LINE_HEIGHT = 17
BAR_WIDTH = 440
BAR_HEIGHT = 14
ROW_GAP = 10
COLUMN_HEIGHT = 160
MIN_COLUMN_SLOT = 40
# A short series (three years) still gets a chart of a readable size.
MIN_COLUMNS_WIDTH = 320


def render(dataset: Dataset) -> SafeString:
    return column_chart(dataset) if dataset.chart is ChartKind.COLUMNS else bar_chart(dataset)


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, cut between words."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def description(dataset: Dataset) -> str:
    values = " ; ".join(
        _("%(label)s : %(value)s") % {"label": row.label, "value": dataset.charted_text(row)}
        for row in dataset.rows
    )
    return " ".join(part for part in (dataset.description, values) if part)


def proportion(value, top) -> float:
    return float(value) / float(top) if value and top else 0.0


def svg(dataset: Dataset, kind: str, width: float, height: float, body: SafeString) -> SafeString:
    dom_id = f"graphique-{dataset.slug}"
    aria, heading = labelled(dom_id, dataset.title, description(dataset))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" id="{id}" '
        'role="img"{aria} viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'font-family="{font}" font-size="{size}" fill="{text}">{heading}{body}</svg>',
        kind=kind,
        id=dom_id,
        aria=aria,
        w=number(width),
        h=number(height),
        font=FONT_FAMILY,
        size=FONT_SIZE,
        text=palette.TEXT,
        heading=heading,
        body=body,
    )


def bar_chart(dataset: Dataset) -> SafeString:
    texts = [dataset.charted_text(row) for row in dataset.rows]
    top = max((dataset.charted_value(row) or 0 for row in dataset.rows), default=0)
    value_space = max((text_width(text, FONT_SIZE) for text in texts), default=0) + 8
    bar_space = BAR_WIDTH - value_space
    per_line = int(BAR_WIDTH / (FONT_SIZE * CHARACTER_WIDTH))
    parts = []
    y = 0.0
    for row, text in zip(dataset.rows, texts, strict=True):
        for line in wrap(row.label, per_line):
            y += LINE_HEIGHT
            parts.append(format_html('<text x="0" y="{}">{}</text>', number(y - 4), line))
        length = bar_space * proportion(dataset.charted_value(row), top)
        if length:
            parts.append(
                format_html(
                    '<rect x="0" y="{}" width="{}" height="{}" fill="{}"/>',
                    number(y),
                    number(max(length, 1)),
                    BAR_HEIGHT,
                    palette.BAR,
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-weight="600">{}</text>',
                number(length + 4 if length else 0),
                number(y + BAR_HEIGHT - 2),
                text,
            )
        )
        y += BAR_HEIGHT + ROW_GAP
    return svg(dataset, "bars", BAR_WIDTH, max(y, 1), mark_safe("".join(parts)))


def column_chart(dataset: Dataset) -> SafeString:
    texts = [dataset.charted_text(row) for row in dataset.rows]
    top = max((dataset.charted_value(row) or 0 for row in dataset.rows), default=0)
    written = [*texts, *(row.label for row in dataset.rows)]
    widest = max((text_width(text, FONT_SIZE) for text in written), default=0)
    slot = max(MIN_COLUMN_SLOT, widest + 8, MIN_COLUMNS_WIDTH / max(len(dataset.rows), 1))
    width = slot * max(len(dataset.rows), 1)
    baseline = LINE_HEIGHT + COLUMN_HEIGHT
    parts = []
    for index, (row, text) in enumerate(zip(dataset.rows, texts, strict=True)):
        middle = slot * index + slot / 2
        height = COLUMN_HEIGHT * proportion(dataset.charted_value(row), top)
        if height:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    number(middle - slot * 0.3),
                    number(baseline - height),
                    number(slot * 0.6),
                    number(max(height, 1)),
                    palette.BAR,
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-weight="600">{}</text>',
                number(middle),
                number(baseline - height - 4),
                text,
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}">{}</text>', number(middle), number(baseline + 16), row.label
            )
        )
    axis = format_html(
        '<line x1="0" y1="{y}" x2="{w}" y2="{y}" stroke="{colour}"/>',
        y=number(baseline + 0.5),
        w=number(width),
        colour=palette.FRAME,
    )
    body = format_html('<g text-anchor="middle">{}</g>{}', mark_safe("".join(parts)), axis)
    return svg(dataset, "columns", width, baseline + LINE_HEIGHT + 4, body)
