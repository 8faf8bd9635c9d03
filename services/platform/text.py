"""Text a person or a program sent, checked before it is stored.

PostgreSQL cannot store a NUL character, and no database driver can encode a lone surrogate (a
JSON body may carry ``"\\ud800"``): either one would be a 500 instead of a message. Other control
characters (except tab and line breaks) never come from a keyboard, so they are refused too.
"""

from __future__ import annotations

import re

_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

UNSTORABLE_MESSAGE = "Remove the control characters (they cannot be stored)."


def has_unstorable_characters(text: str) -> bool:
    return _UNSTORABLE.search(text) is not None
