"""A signed-in HTTP client for the load and fault tests: one keep-alive connection, its own
cookies and CSRF token, and a place of its own behind the (simulated) TLS proxy: every request
says ``X-Forwarded-Proto: https`` and comes from its own ``X-Forwarded-For`` address, as a proxy
in front of gunicorn would send them (the server trusts one proxy: PROXY_FIX_X_FOR=1)."""

from __future__ import annotations

import http.client
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

CSRF = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"|'
                  rb'name="csrf_token" value="([^"]+)"')  # fmt: skip


@dataclass
class Answer:
    at: float
    method: str
    path: str
    status: int
    body: bytes
    location: str | None = None


@dataclass
class SignedInClient:
    host: str
    port: int
    address: str
    timeout: float = 30.0
    cookies: dict[str, str] = field(default_factory=dict)
    answers: list[Answer] = field(default_factory=list)
    _conn: http.client.HTTPConnection | None = None

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-For": self.address,
            "X-Forwarded-Proto": "https",
            # Flask-WTF checks the Referer of HTTPS form posts (same origin).
            "Referer": f"https://{self.host}:{self.port}/",
            "Accept": "text/html",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Answer:
        body = urlencode(form).encode() if form is not None else None
        extra = {"Content-Type": "application/x-www-form-urlencoded"} if body else None
        for attempt in range(2):
            if self._conn is None:
                self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self._conn.request(method, path, body=body, headers=self._headers(extra))
                response = self._conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the server closed between two requests: reconnect.
                self._conn.close()
                self._conn = None
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        answer = Answer(
            time.monotonic(), method, path, response.status, data, response.getheader("Location")
        )
        self.answers.append(answer)
        return answer

    def csrf_token(self, path: str) -> str:
        page = self.request("GET", path)
        assert page.status == 200, (path, page.status, page.body[:300])
        match = CSRF.search(page.body)
        assert match, page.body[:500]
        return (match.group(1) or match.group(2)).decode()

    def log_in(self, email: str, password: str) -> None:
        token = self.csrf_token("/auth/login")
        answer = self.request(
            "POST", "/auth/login", {"csrf_token": token, "email": email, "password": password}
        )
        assert answer.status == 302, (answer.status, answer.body[:500])

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
