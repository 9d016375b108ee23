"""Colours of the map and the charts, chosen for contrast (tests/observatory/test_palette.py
computes every ratio that WCAG 2.1 asks for).

The map and the charts are drawn on a white background with white borders between
départements, so every colour that carries information (a class of the map, the "zero" fill,
the lines of the "no data" hatching, a bar) has a contrast of at least 3:1 with white (WCAG
1.4.11, non-text contrast): each shape stays visible against the background and against its
neighbours' borders. Text has at least 4.5:1 (WCAG 1.4.3).

The classes run from light to dark in CIELAB lightness steps of about 11 (L* 60, 49, 38, 27,
16), in one hue family, so that their order reads without a legend and in grey scale. Colour is
never the only carrier of a value: zero is dotted, "no data" is hatched, and every value is
written in the shape's title, in the readout shown on hover and focus, and in the table.
"""

BACKGROUND = "#ffffff"
BORDER = "#ffffff"
TEXT = "#212529"
MUTED_TEXT = "#495057"
# Lines that frame the insets and draw the chart axes (3:1 against the background).
FRAME = "#767676"

CLASSES = ("#009ec7", "#007fbc", "#0060aa", "#004189", "#00255e")
ZERO = "#8a8a8a"
ZERO_DOTS = "#ffffff"
NO_DATA = "#ffffff"
NO_DATA_LINES = "#767676"
# Départements around a federation's territory, for context only: no information, no link.
CONTEXT = "#e9ecef"

BAR = "#0060aa"

# What the tests check: (name, foreground, background, minimum ratio).
CONTRASTS = (
    *((f"class {index}", colour, BACKGROUND, 3) for index, colour in enumerate(CLASSES, 1)),
    *((f"class {index} / border", colour, BORDER, 3) for index, colour in enumerate(CLASSES, 1)),
    ("zero", ZERO, BACKGROUND, 3),
    ("zero / border", ZERO, BORDER, 3),
    ("zero dots", ZERO_DOTS, ZERO, 3),
    ("no data hatching", NO_DATA_LINES, NO_DATA, 3),
    ("no data hatching / border", NO_DATA_LINES, BORDER, 3),
    ("frame", FRAME, BACKGROUND, 3),
    ("bar", BAR, BACKGROUND, 3),
    ("text", TEXT, BACKGROUND, 4.5),
    ("muted text", MUTED_TEXT, BACKGROUND, 4.5),
)
