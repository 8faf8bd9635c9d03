"""The development outbox page (blueprint ``dev``): the mails the app sent, newest first, with
their links clickable, so nobody digs a confirmation link out of a log.

Registered by ``app.py:register_blueprints`` only when ``MAIL_OUTBOX`` is on: in any other config
the URL does not exist at all (404), rather than existing behind a check that could be forgotten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from services.platform import outbox

bp = Blueprint("dev", __name__, url_prefix="/dev")

LINK = re.compile(r"https?://[^\s<>\"']+")


@dataclass(frozen=True)
class Piece:
    text: str
    is_link: bool


def with_links(body: str) -> list[Piece]:
    """The body cut into plain text and http(s) links, for the template to render as anchors
    (Jinja escapes both; nothing from the mail is trusted as HTML)."""
    pieces: list[Piece] = []
    position = 0
    for match in LINK.finditer(body):
        if match.start() > position:
            pieces.append(Piece(body[position : match.start()], False))
        pieces.append(Piece(match.group(0), True))
        position = match.end()
    if position < len(body):
        pieces.append(Piece(body[position:], False))
    return pieces


@bp.get("/outbox")
def mail_outbox() -> ResponseReturnValue:
    mails = [(mail, with_links(mail.body)) for mail in outbox.newest()]
    return render_template("dev/outbox.html", mails=mails)
