"""Who may talk to the server: Host and Origin checks and the access token.

- Host: only the names this server answers to (the loopback names, or the host asked for), so
  a web page whose domain is re-pointed at 127.0.0.1 (DNS rebinding) is refused.
- Origin: a request that a page of another origin sends (fetch, a form) is refused (no CSRF);
  a state-changing request without Origin is accepted only when the browser says it came from
  this origin or from the person (Sec-Fetch-Site), or from a program (no such header).
- Token: when the server listens on anything but the loopback interface, every request must
  carry the random token printed on the console: `?token=` once (it becomes a cookie, as
  Jupyter does), the cookie, or an `X-Vetting-Token` header.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import socket
import traceback
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import Headers
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]

log = logging.getLogger("vetting.serve")

LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1"}
SAFE_METHODS = {"GET", "HEAD"}

# Applied to every response: no caching of roster data, no sniffing, no referrer, no framing
# by other sites.
COMMON_HEADERS = {
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "SAMEORIGIN",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


def is_loopback(host: str) -> bool:
    return host.lower() in LOOPBACK_NAMES


def allowed_host_names(host: str) -> set[str]:
    """The names a browser may use in the Host header to reach a server bound to `host`."""
    names = set(LOOPBACK_NAMES)
    names.add(host.strip("[]").lower())
    try:
        wildcard = ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        wildcard = False
    if wildcard:  # 0.0.0.0 / ::: this machine's names and addresses
        for name in {socket.gethostname(), socket.getfqdn()}:
            names.add(name.lower())
            try:
                for info in socket.getaddrinfo(name, None):
                    names.add(str(info[4][0]).lower())
            except OSError:
                pass
    return names


def split_host(value: str) -> tuple[str, int | None]:
    """`127.0.0.1:8765` -> ("127.0.0.1", 8765); `[::1]:80` -> ("::1", 80)."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        name, rest = value[1:end], value[end + 1 :]
    elif value.count(":") == 1:
        name, rest = value.split(":")
        rest = ":" + rest
    else:
        name, rest = value, ""
    if rest.startswith(":"):
        return name, int(rest[1:]) if rest[1:].isdigit() else -1
    return name, None


@dataclass
class Guard:
    """ASGI middleware: every HTTP request passes the checks above before reaching the app."""

    app: ASGIApp
    port: int
    hosts: set[str]
    token: str | None = None
    refused: list[str] = field(default_factory=list)  # reasons, for tests (never request data)

    @property
    def cookie(self) -> str:
        return f"vetting-token-{self.port}"  # cookies do not tell ports apart: the port in the name

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response = self.check(scope)
        if response is None:

            async def send_with_headers(message: MutableMapping[str, Any]) -> None:
                if message["type"] == "http.response.start":
                    raw = list(message.get("headers", []))
                    present = {k.lower() for k, _ in raw}
                    raw += [(k.encode(), v.encode()) for k, v in COMMON_HEADERS.items() if k.encode() not in present]
                    message = {**message, "headers": raw}
                await send(message)

            started = False

            async def send_tracked(message: MutableMapping[str, Any]) -> None:
                nonlocal started
                started = started or message["type"] == "http.response.start"
                await send_with_headers(message)

            try:
                await self.app(scope, receive, send_tracked)
            except Exception as e:  # a bug: logged without its message (which may quote a roster)
                log.error("internal error: %s at %s", type(e).__name__, _where(e))
                if not started:
                    await JSONResponse(
                        {"error": {"message": "vetting 内部错误（程序缺陷） / internal error", "details": []}}, status_code=500
                    )(scope, receive, send_with_headers)
            return
        for k, v in COMMON_HEADERS.items():
            response.headers.setdefault(k, v)
        await response(scope, receive, send)

    def check(self, scope: Scope) -> Response | None:
        headers = Headers(scope=scope)
        method = scope["method"]
        name, port = split_host(headers.get("host", ""))
        if name not in self.hosts or port not in (self.port, None if self.port == 80 else self.port):
            return self._refuse(421, "host", "Host 不被接受（只接受本机地址） / Host not allowed")
        host = headers.get("host", "").strip().lower()
        origin = headers.get("origin")
        if origin is not None and origin.lower() != f"http://{host}":
            return self._refuse(403, "origin", "来源（Origin）不被接受 / cross-origin request refused")
        site = headers.get("sec-fetch-site")
        if method not in SAFE_METHODS and origin is None and site not in (None, "same-origin", "none"):
            return self._refuse(403, "origin", "来源不被接受 / cross-site request refused")
        if self.token is None:
            return None
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        given = query.get("token")
        if given is not None and hmac.compare_digest(given.encode(), self.token.encode()):
            if method in SAFE_METHODS and not scope["path"].startswith("/api/"):
                # a link with the token: remember it in a cookie and drop it from the address
                rest = urlencode([(k, v) for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1")) if k != "token"])
                r = RedirectResponse(scope["path"] + (f"?{rest}" if rest else ""), status_code=303)
                r.set_cookie(self.cookie, self.token, httponly=True, samesite="strict", path="/")
                return r
            return None
        cookies = _cookies(headers.get("cookie", ""))
        for candidate in (cookies.get(self.cookie), headers.get("x-vetting-token")):
            if candidate is not None and hmac.compare_digest(candidate.encode(), self.token.encode()):
                return None
        if method in SAFE_METHODS and scope["path"] == "/":
            self.refused.append("token")
            return HTMLResponse(TOKEN_PAGE, status_code=401)
        return self._refuse(401, "token", "需要访问令牌（见启动 vetting serve 的窗口） / access token required")

    def _refuse(self, status: int, reason: str, message: str) -> Response:
        self.refused.append(reason)
        return JSONResponse({"error": {"message": message}}, status_code=status)


def _where(e: BaseException) -> str:
    """Where an exception was raised (file:line of each frame), without its message."""
    frames = traceback.extract_tb(e.__traceback__)
    return " < ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in reversed(frames[-4:]))


def _cookies(header: str) -> dict[str, str]:
    out = {}
    for part in header.split(";"):
        if "=" in part:
            k, v = part.split("=", 1)
            out[k.strip()] = v.strip().strip('"')
    return out


TOKEN_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>vetting · 需要访问令牌</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font:15px/1.6 system-ui,sans-serif;max-width:640px;margin:60px auto;padding:0 20px">
<h1 style="font-size:20px">需要访问令牌 / Access token required</h1>
<p>请打开启动 <code>vetting serve</code> 的窗口里打印的完整地址（含 <code>?token=</code>），或在下面粘贴令牌。</p>
<p>Open the full address printed where <code>vetting serve</code> was started, or paste the token below.</p>
<form method="get" action="/"><input name="token" autocomplete="off" size="40" autofocus>
<button type="submit">进入 / Enter</button></form></body></html>
"""
