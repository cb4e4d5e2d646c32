"""`vetting serve`: the same checks on a local web page (spec: serve.md).

Installed with the `web` extra (Starlette, uvicorn, python-multipart). The page uploads files to
this server on the person's own machine; every check runs the library through `library.py`,
exactly as the command line does, in a worker process with its own private folder.
"""

from __future__ import annotations

import secrets
import socket
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import UserError

DEFAULT_PORT = 8765


@dataclass
class Started:
    url: str  # the address to open (with the token when one is needed)
    host: str
    port: int
    token: str | None


def needs_token(host: str) -> bool:
    """Only the loopback interface is open without a token."""
    from .security import is_loopback

    return not is_loopback(host)


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as e:
        sock.close()
        if e.errno in (98, 48, 10048):  # address in use (Linux, macOS, Windows)
            raise UserError(f"端口 {port} 已被占用；请换一个端口：vetting serve --port {port + 1} / port in use") from None
        raise UserError(f"无法在 {host}:{port} 上监听：{e.strerror or e} / cannot listen") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    open_browser: bool = True,
    max_upload: int = 200_000_000,
    on_started: Callable[[Started], None] = lambda s: None,
) -> None:
    """Listen until interrupted; the private folder is deleted when the server stops."""
    try:
        import uvicorn

        from .app import create_app
        from .sessions import Store
    except ImportError as e:
        raise UserError(
            f"vetting serve 需要安装 web 扩展（缺少 {e.name}） / vetting serve needs the web extra",
            hint='pip install "vetting[web]"',
        ) from None
    sock = bind(host, port)
    port = sock.getsockname()[1]
    token = secrets.token_urlsafe(24) if needs_token(host) else None
    store = Store()
    app = create_app(port=port, host=host, token=token, max_upload=max_upload, store=store)
    shown = f"[{host}]" if ":" in host else host
    if host in ("0.0.0.0", "::"):
        shown = socket.gethostname()
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=3)
    server = uvicorn.Server(config)

    def announce() -> None:
        while not server.started and not server.should_exit:
            threading.Event().wait(0.05)
        if server.started:
            on_started(Started(url, host, port, token))
            if open_browser:
                webbrowser.open(url)

    threading.Thread(target=announce, daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        store.close()  # also when the lifespan did not get to run
        sock.close()
