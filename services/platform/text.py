"""The one rule for free text people type (names, notes): no control or invisible characters.

A NUL byte makes PostgreSQL refuse the row (a 500), and bidi overrides (U+202E) or zero-width
characters make a name display as something else than it is ("Invoice" that reads "eciovnI", two
projects that look the same). Forms show the message as a field error; the services check again,
so every interface (forms, CLI, the coming API) refuses the same input.
"""

from __future__ import annotations

import unicodedata

# Cc: control characters (NUL, ESC, ...); Cf: format characters (bidi overrides, zero-width
# space and joiners, soft hyphen); Cs/Cn: lone surrogates and unassigned code points; Zl/Zp:
# the Unicode line and paragraph separators, which break a line where no one expects it.
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"})
# Line breaks and tabs are fine in a note (a multi-line field), nowhere else.
MULTILINE_ALLOWED = frozenset("\n\r\t")

UNPRINTABLE_MESSAGE = (
    "Remove the control or invisible characters (such as NUL, direction marks or zero-width "
    "spaces): use letters, digits, spaces and punctuation only."
)


class UnprintableText(ValueError):
    """Text with a character no one can see or type on purpose; the message is for the user."""

    def __init__(self) -> None:
        super().__init__(UNPRINTABLE_MESSAGE)


def is_printable(text: str, *, multiline: bool = False) -> bool:
    allowed = MULTILINE_ALLOWED if multiline else frozenset()
    return not any(
        unicodedata.category(ch) in FORBIDDEN_CATEGORIES and ch not in allowed for ch in text
    )


def check_printable(text: str, *, multiline: bool = False) -> str:
    """``text`` unchanged, or :class:`UnprintableText`."""
    if not is_printable(text, multiline=multiline):
        raise UnprintableText
    return text
