"""The development outbox: every delivered mail as a file in the instance folder.

On when ``MAIL_OUTBOX`` is set (development only; production refuses it). ``mail.deliver`` writes
here whether it runs in the web process or in the worker: both use the same instance folder
(``TIMESHEET_INSTANCE_PATH``), so the outbox page sees the worker's mails too. Each mail is one
``.eml`` file named by the time it was written, so the newest sorts last; it is written to a
temporary name and renamed, so a reader never sees half a mail.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

FOLDER = "outbox"
SUFFIX = ".eml"


@dataclass(frozen=True)
class OutboxMail:
    name: str
    to: str
    subject: str
    date: str
    body: str


def is_enabled() -> bool:
    return bool(current_app.config.get("MAIL_OUTBOX"))


def folder() -> Path:
    return Path(current_app.instance_path) / FOLDER


def write(message: EmailMessage) -> Path:
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
    partial = target / f"{name}.part"
    partial.write_bytes(message.as_bytes(policy=policy.SMTP))
    path = target / f"{name}{SUFFIX}"
    os.replace(partial, path)
    return path


def newest(limit: int = 50) -> list[OutboxMail]:
    """The last ``limit`` mails, newest first."""
    target = folder()
    if not target.is_dir():
        return []
    paths = sorted(target.glob(f"*{SUFFIX}"), reverse=True)[:limit]
    return [_read(path) for path in paths]


def _read(path: Path) -> OutboxMail:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    body = message.get_body(("plain",))
    text = body.get_content() if body is not None else ""
    return OutboxMail(
        name=path.stem,
        to=str(message["To"] or ""),
        subject=str(message["Subject"] or ""),
        date=str(message["Date"] or ""),
        body=text.replace("\r\n", "\n"),
    )
