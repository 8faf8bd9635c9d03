"""Which ``next`` targets may be followed after login: same-site relative paths only.

Pure function, no Flask. Browsers forgive a lot: they treat ``//host`` and ``/\\host`` as another
site, drop tabs and newlines anywhere in a URL and control characters or spaces at its ends, and a
proxy may decode ``%2F`` before the browser sees it. So anything unusual is refused, not repaired,
and the caller falls back to its default page.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

MAX_NEXT_LENGTH = 2048
_DECODE_ROUNDS = 3
# Control and invisible formatting characters, line and paragraph separators.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def _is_relative_path(path: str, *, allow_spaces: bool) -> bool:
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return False
    for ch in path:
        if unicodedata.category(ch) in _FORBIDDEN_CATEGORIES:
            return False
        if ch.isspace() and not allow_spaces:
            return False
    parts = urlsplit(path)
    return not parts.scheme and not parts.netloc


def safe_next_path(target: object) -> str | None:
    """Return ``target`` unchanged when it is a relative path on this site, else None.

    The raw value must not contain any whitespace; its percent-decoded forms (``%20`` is a fine
    path character) must still be relative paths, with no control characters."""
    if not isinstance(target, str) or not target or len(target) > MAX_NEXT_LENGTH:
        return None
    if not _is_relative_path(target, allow_spaces=False):
        return None
    candidate = target
    for _ in range(_DECODE_ROUNDS):
        decoded = unquote(candidate)
        if decoded == candidate:
            return target
        if not _is_relative_path(decoded, allow_spaces=True):
            return None
        candidate = decoded
    return None  # still changing after several decodings: nobody needs that
