"""The web application: the page, its static files and a small JSON API.

    GET  /                                  the page
    GET  /api/config                        shipped policies, upload limit, version
    POST /api/session                       a new session (a private folder) for an open page
    POST /api/s/{sid}/ping | /end           keep it / end it (the folder is deleted)
    POST /api/s/{sid}/policy                check an uploaded policy file (errors with line, column)
    POST /api/s/{sid}/returns               read the departments' returns (department, round; errors with file, row)
    POST /api/s/{sid}/check                 upload rosters (+ options) and start a check
    GET  /api/s/{sid}/jobs/{n}              its progress, then its summary or error
    GET  /api/s/{sid}/jobs/{n}/report       the HTML report (shown in a sandboxed frame)
    POST /api/s/{sid}/jobs/{n}/requests     write the 联审 requests (when first asked for)
    GET  /api/s/{sid}/jobs/{n}/download/{k} an output: xlsx, html, json, stats, plan, slate, requests,
                                            ledger, merged, forms, or all as zip
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import shutil
import threading
import zipfile
from collections.abc import AsyncIterator
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from .. import __version__
from . import library
from .security import Guard
from .sessions import Job, Session, Store
from .uploads import Form, UploadError, receive_form

STATIC = {
    "page.js": "text/javascript; charset=utf-8",
    "page.css": "text/css; charset=utf-8",
}
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# The report is the same page `lint -f html` writes (inline style and script, nothing loaded);
# the frame that shows it is sandboxed (its scripts run, but cannot reach the server's API).
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox allow-scripts"
)
DEFAULT_MAX_UPLOAD = 200_000_000


def _static(name: str) -> bytes:
    return (files(__package__) / "static" / name).read_bytes()


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "details": [], **extra}}, status_code=status)


def create_app(*, port: int, host: str = "127.0.0.1", token: str | None = None,
               max_upload: int = DEFAULT_MAX_UPLOAD, store: Store | None = None) -> Guard:
    """The ASGI application behind its guard (Host, Origin, token)."""
    from .security import allowed_host_names

    store = store if store is not None else Store()
    policies_cache: list[dict[str, Any]] = []

    def session_of(request: Request) -> Session:
        s = store.get(request.path_params["sid"])
        if s is None:
            raise _Gone()
        return s

    def job_of(request: Request) -> Job:
        s = session_of(request)
        job = s.jobs.get(int(request.path_params["n"]))
        if job is None:
            raise _Gone()
        return job

    async def page(request: Request) -> Response:
        return Response(_static("index.html"), media_type="text/html; charset=utf-8",
                        headers={"content-security-policy": PAGE_CSP})

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return Response("not found", status_code=404)
        return Response(_static(name), media_type=STATIC[name])

    policies_lock = threading.Lock()

    def shipped() -> list[dict[str, Any]]:
        with policies_lock:
            if not policies_cache:
                policies_cache.extend(library.shipped_policies())
        return policies_cache

    async def config(request: Request) -> Response:
        await asyncio.to_thread(shipped)
        return JSONResponse({"version": __version__, "policies": policies_cache, "max_upload": max_upload})

    async def new_session(request: Request) -> Response:
        s = store.new()
        return JSONResponse({"session": s.id})

    async def ping(request: Request) -> Response:
        session_of(request)
        return JSONResponse({"ok": True})

    async def end(request: Request) -> Response:
        return JSONResponse({"ended": store.end(request.path_params["sid"])})

    async def check_policy(request: Request) -> Response:
        s = session_of(request)
        _, folder = s.next_folder("policy")
        try:
            form = await receive_form(request, folder, max_upload)
            uploaded = form.files.get("policy_file", [])
            if not uploaded:
                return _error(400, "请选择政策文件（.yaml） / choose a policy file")
            result = await asyncio.to_thread(library.check_policy, uploaded[0][1], folder)
            return JSONResponse(result)
        except UploadError as e:
            return _error(e.status, e.message)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def policy_of(form: Form) -> str | Response:
        """The policy a form asks for: a shipped policy's name or the uploaded file's name."""
        policy = form.fields.get("policy", "national")
        if policy == "upload":
            uploaded = form.names("policy_file")
            if not uploaded:
                return _error(400, "选择了“上传政策文件”，但没有选择文件 / choose the policy file")
            return uploaded[0]
        if library.shipped_policy_path(policy) is None:
            return _error(400, f"没有这个随附政策：{policy} / no such shipped policy")
        return policy

    def returns_of(form: Form) -> tuple[list[str], list[str]] | Response:
        """The returns' saved names and the hits-only declarations (`DEPT=FILE`, as `--hits-only`
        takes them) from the form's `hits_only` field: a JSON object {file name: department}."""
        uploaded = [(original, path.name) for original, path in form.files.get("returns", [])]
        raw = form.fields.get("hits_only") or "{}"
        try:
            declared = json.loads(raw)
        except ValueError:
            declared = None
        if not isinstance(declared, dict) or not all(isinstance(v, str) and v.strip() for v in declared.values()):
            return _error(400, "“仅列有问题人员”的部门无法识别 / hits_only must map file names to departments")
        for name in declared:
            if name not in {o for o, _ in uploaded}:
                return _error(400, f"“仅列有问题人员”的文件没有上传：{name} / hits-only file not uploaded")
        hits = [f"{declared[o].strip()}={n}" for o, n in uploaded if o in declared]
        return [n for o, n in uploaded if o not in declared], hits

    async def check_returns(request: Request) -> Response:
        s = session_of(request)
        _, folder = s.next_folder("returns")
        try:
            form = await receive_form(request, folder, max_upload)
            if not form.files.get("returns"):
                return _error(400, "请选择部门回复文件 / choose the departments' return files")
            policy = policy_of(form)
            returns = returns_of(form)
            if isinstance(policy, Response):
                return policy
            if isinstance(returns, Response):
                return returns
            if form.fields.get("policy") == "upload":
                policy = str(folder / policy)
            result = await asyncio.to_thread(
                library.check_returns, [folder / n for n in returns[0]], [_in(folder, h) for h in returns[1]], policy, folder)
            original = {path.name: name for name, path in form.files["returns"]}  # as the page knows them
            for r in result.get("returns", []):
                r["path"] = original.get(r["path"], r["path"])
            if not result["ok"] and result["error"].get("where") in original:
                result["error"]["file"] = original[result["error"]["where"]]
            return JSONResponse(result, status_code=200 if result["ok"] else 422)
        except UploadError as e:
            return _error(e.status, e.message)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    async def check(request: Request) -> Response:
        s = session_of(request)
        number, folder = s.next_folder("check")
        try:
            form = await receive_form(request, folder, max_upload)
        except UploadError as e:
            shutil.rmtree(folder, ignore_errors=True)
            return _error(e.status, e.message)
        rosters = form.names("rosters")
        if not rosters:
            shutil.rmtree(folder, ignore_errors=True)
            return _error(400, "请先选择要检查的名单文件 / choose at least one roster")
        policy = policy_of(form)
        returns = returns_of(form)
        round_text = form.fields.get("review_round") or "1"
        if isinstance(policy, Response) or isinstance(returns, Response) or not round_text.isdigit() \
                or not 1 <= int(round_text) <= 99:
            shutil.rmtree(folder, ignore_errors=True)
            if isinstance(policy, Response):
                return policy
            if isinstance(returns, Response):
                return returns
            return _error(400, f"联审轮次应为 1 到 99 的整数，而不是 {round_text} / the round must be 1 to 99")
        waivers = form.names("waivers")
        before = s.last_done(number)
        request_doc = library.CheckRequest(
            rosters=rosters,
            policy=policy,
            as_of=form.fields.get("as_of") or None,
            waivers=waivers[0] if waivers else None,
            previous=form.names("previous"),
            reserve=form.names("reserve"),
            units=next(iter(form.names("units")), None),
            lang="en" if form.fields.get("lang") == "en" else "zh",
            baseline=str(before.out / "baseline.json") if before is not None else None,
            returns=returns[0],
            hits_only=returns[1],
            review_round=int(round_text),
        )
        job = Job(number, folder)
        store.start(s, job, request_doc.__dict__)
        return JSONResponse(job.view())

    async def job_status(request: Request) -> Response:
        return JSONResponse(job_of(request).view())

    async def report(request: Request) -> Response:
        job = job_of(request)
        path = job.out / "report.html"
        if job.state != "done" or not path.is_file():
            return _error(404, "报告尚未生成 / not ready")
        return FileResponse(path, media_type="text/html; charset=utf-8",
                            headers={"content-security-policy": REPORT_CSP})

    async def requests(job: Job) -> Response | None:
        """The 联审 requests of a check, written on first demand: None once they are there."""
        if job.state != "done":
            return _error(404, "结果尚未生成 / not ready")
        assert job.summary is not None
        if not (job.summary.get("review") or {}).get("requests"):
            return _error(404, "这次检查所用的政策没有联审部门 / the policy has no review departments")
        result = await asyncio.to_thread(store.requests, job)
        if "error" in result:
            return JSONResponse({"error": result["error"]}, status_code=422)
        return None

    async def make_requests(request: Request) -> Response:
        job = job_of(request)
        refused = await requests(job)
        return refused or JSONResponse(job.requests)

    async def download(request: Request) -> Response:
        job = job_of(request)
        kind = request.path_params["kind"]
        if job.state != "done":
            return _error(404, "结果尚未生成 / not ready")
        assert job.summary is not None
        lang = job.summary.get("lang", "zh")
        stem = _stem(job)
        if kind in ("requests", "zip") and (job.summary.get("review") or {}).get("requests"):
            refused = await requests(job)
            if refused is not None and kind == "requests":
                return refused
        if kind == "zip":
            data = await asyncio.to_thread(_zip, job, stem, lang)
            return Response(data, media_type="application/zip",
                            headers=_disposition(f"{'审查结果' if lang == 'zh' else 'vetting'}-{stem}.zip"))
        if kind not in library.OUTPUTS:
            return _error(404, "没有这种下载 / no such download")
        name = _download_name(kind, stem, lang)
        path = job.out / library.OUT_FILES[kind]
        if not path.is_file():
            return _error(404, "这次检查没有这项结果 / not produced by this check")
        media = {"html": "text/html; charset=utf-8", "forms": "text/html; charset=utf-8", "json": "application/json",
                 "plan": "application/json", "requests": "application/zip"}.get(
            kind, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        return FileResponse(path, media_type=media, headers=_disposition(name))

    routes = [
        Route("/", page),
        Route("/static/{name}", static),
        Route("/api/config", config),
        Route("/api/session", new_session, methods=["POST"]),
        Route("/api/s/{sid}/ping", ping, methods=["POST"]),
        Route("/api/s/{sid}/end", end, methods=["POST"]),
        Route("/api/s/{sid}/policy", check_policy, methods=["POST"]),
        Route("/api/s/{sid}/returns", check_returns, methods=["POST"]),
        Route("/api/s/{sid}/check", check, methods=["POST"]),
        Route("/api/s/{sid}/jobs/{n:int}", job_status),
        Route("/api/s/{sid}/jobs/{n:int}/report", report),
        Route("/api/s/{sid}/jobs/{n:int}/requests", make_requests, methods=["POST"]),
        Route("/api/s/{sid}/jobs/{n:int}/download/{kind}", download),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async def sweeper() -> None:
            while True:
                await asyncio.sleep(60)
                store.sweep()

        task = asyncio.create_task(sweeper())
        asyncio.get_running_loop().run_in_executor(None, shipped)  # ready before the page asks
        try:
            yield
        finally:
            task.cancel()
            store.close()

    async def gone(request: Request, exc: Exception) -> Response:
        return _error(410, "会话已结束，请刷新页面 / the session has ended: reload the page")

    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={_Gone: gone})
    app.state.store = store
    return Guard(app, port=port, hosts=allowed_host_names(host), token=token)


class _Gone(Exception):
    pass


def _in(folder: Path, hits: str) -> str:
    """`DEPT=FILE` with the file in `folder` (the returns check reads outside a worker)."""
    dept, _, name = hits.partition("=")
    return f"{dept}={folder / name}"


def _stem(job: Job) -> str:
    assert job.summary is not None
    inputs = job.summary.get("inputs") or []
    first = Path(inputs[0]["path"]).stem if inputs else "roster"
    return first + (f"-{len(inputs)}" if len(inputs) > 1 else "")


def _download_name(kind: str, stem: str, lang: str) -> str:
    zh, en, suffix = library.OUTPUTS[kind]
    return f"{zh if lang == 'zh' else en}-{stem}{suffix}"


def _zip(job: Job, stem: str, lang: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for kind in library.OUTPUTS:
            if kind == "requests":  # the request workbooks themselves, in a folder of the zip
                folder = job.out / library.REQUESTS_DIR
                for p in sorted(folder.glob("*.xlsx")) if folder.is_dir() else []:
                    z.write(p, f"{Path(_download_name(kind, stem, lang)).stem}/{p.name}")
            elif (job.out / library.OUT_FILES[kind]).is_file():
                z.write(job.out / library.OUT_FILES[kind], _download_name(kind, stem, lang))
    return buf.getvalue()


def _disposition(name: str) -> dict[str, str]:
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return {"content-disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"}
