#!/usr/bin/env python3
"""Rewrites locale/fr/LC_MESSAGES/django.po from the English catalogue: every plural message
of the source, each form its own text, under the French plural rule.

French is the source language, so it needs no translation, but gettext has no French rule for
messages without an entry: it falls back to the English one and writes "0 actions". Run this
after `makemessages -l en` when a plural message was added or changed (tests/test_i18n.py
fails until then).
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
FRENCH = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"

HEADER = r"""# French plural forms of the portal's messages, written by locale/french_plurals.py
# from the English catalogue (do not edit by hand).
msgid ""
msgstr ""
"Project-Id-Version: fiches-action 0.1.0\n"
"Language: fr\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"
"""
STRING = r'((?:".*"\n)+)'  # a quoted string and its continuation lines


def french_entry(block: str) -> str:
    """The block of an English plural entry, its forms replaced by its own texts."""
    source = "".join(
        line + "\n" for line in block.splitlines() if not line.startswith(("#:", "#|"))
    )
    source = re.sub(r"^msgstr\[\d+\] " + STRING, "", source, flags=re.M)
    msgid = re.search(r"^msgid " + STRING, source, re.M).group(1)
    plural = re.search(r"^msgid_plural " + STRING, source, re.M).group(1)
    return f"{source}msgstr[0] {msgid}msgstr[1] {plural}"


def main() -> None:
    blocks = re.split(r"\n\s*\n", ENGLISH.read_text(encoding="utf-8").strip())
    entries = [french_entry(block) for block in blocks if "\nmsgid_plural " in block]
    FRENCH.parent.mkdir(parents=True, exist_ok=True)
    FRENCH.write_text("\n".join([HEADER, *entries]), encoding="utf-8")


if __name__ == "__main__":
    main()
