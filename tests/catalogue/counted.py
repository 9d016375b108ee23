"""Reading the counted facets of a catalogue or directory response, for the tests."""


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    """The options that give something: every option is listed, those giving nothing too."""
    return {value: n for value, n in counts.items() if n}
