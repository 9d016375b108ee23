"""Every colour of the map and the charts against what it is drawn on (WCAG 2.1)."""

import pytest

from observatory import palette


def luminance(colour: str) -> float:
    """Relative luminance of an sRGB colour ``#rrggbb`` (WCAG 2.1 definition)."""
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_formula_matches_known_ratios():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == 1


@pytest.mark.parametrize(
    ("name", "foreground", "background", "minimum"),
    palette.CONTRASTS,
    ids=[name for name, *_ in palette.CONTRASTS],
)
def test_colour_contrast(name, foreground, background, minimum):
    assert contrast(foreground, background) >= minimum


def test_every_colour_that_carries_information_is_checked():
    checked = {
        colour
        for _, foreground, background, _ in palette.CONTRASTS
        for colour in (foreground, background)
    }
    carriers = {
        *palette.CLASSES,
        palette.ZERO,
        palette.NO_DATA_LINES,
        palette.BAR,
        palette.TEXT,
        palette.MUTED_TEXT,
        palette.FRAME,
    }
    assert carriers <= checked


def test_classes_darken_from_first_to_last_by_steps_that_tell_them_apart():
    for lighter, darker in zip(palette.CLASSES, palette.CLASSES[1:], strict=False):
        assert contrast(lighter, darker) >= 1.4, (lighter, darker)
        assert luminance(lighter) > luminance(darker)
