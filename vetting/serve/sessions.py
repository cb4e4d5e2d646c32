"""Sessions: one private folder per open page, its checks, and their worker processes.

The server's folder is created with `tempfile.mkdtemp` (readable by this user only); each page
gets a sub-folder when it opens and loses it when it closes (the page says so), when it has not
been heard from for a while, or when the server stops. Each check has its own folder inside:
the uploads under the names the person gave them, and the outputs in `.out/`.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

IDLE_SECONDS = 30 * 60  # a page pings every minute while it is open
MAX_RUNNING = 2  # checks at once (each is a process that may hold a large roster)


@dataclass
class Job:
    number: int
    folder: Path
    state: str = "queued"  # queued | running | done | error
    stage: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    proc: subprocess.Popen[bytes] | None = None
    requests: dict[str, Any] | None = None  # the 联审 requests once written: their summary or error
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def out(self) -> Path:
        return self.folder / ".out"

    def view(self) -> dict[str, Any]:
        return {
            "job": self.number,
            "state": self.state,
            "stage": self.stage,
            "summary": self.summary,
            "error": self.error,
            "seconds": round((self.finished or time.monotonic()) - self.started, 1),
        }


@dataclass
class Session:
    id: str
    folder: Path
    last_seen: float = field(default_factory=time.monotonic)
    jobs: dict[int, Job] = field(default_factory=dict)
    counter: int = 0

    def next_folder(self, kind: str) -> tuple[int, Path]:
        self.counter += 1
        folder = self.folder / f"{kind}-{self.counter}"
        folder.mkdir(mode=0o700)
        return self.counter, folder

    def last_done(self, before: int) -> Job | None:
        done = [j for n, j in self.jobs.items() if n < before and j.state == "done"]
        return max(done, key=lambda j: j.number) if done else None


class Store:
    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root is not None else Path(tempfile.mkdtemp(prefix="vetting-serve-"))
        self.root.mkdir(mode=0o700, exist_ok=True)
        os.chmod(self.root, 0o700)
        self.sessions: dict[str, Session] = {}
        self.lock = threading.Lock()
        self.slots = threading.Semaphore(MAX_RUNNING)
        self.closed = False

    def new(self) -> Session:
        sid = secrets.token_urlsafe(18)
        folder = self.root / sid
        folder.mkdir(mode=0o700)
        s = Session(sid, folder)
        with self.lock:
            self.sessions[sid] = s
        return s

    def get(self, sid: str) -> Session | None:
        with self.lock:
            s = self.sessions.get(sid)
        if s is not None:
            s.last_seen = time.monotonic()
        return s

    def end(self, sid: str) -> bool:
        with self.lock:
            s = self.sessions.pop(sid, None)
        if s is None:
            return False
        for job in s.jobs.values():
            _kill(job)
        shutil.rmtree(s.folder, ignore_errors=True)
        return True

    def sweep(self, idle: float = IDLE_SECONDS) -> int:
        now = time.monotonic()
        with self.lock:
            stale = [sid for sid, s in self.sessions.items() if now - s.last_seen > idle]
        return sum(self.end(sid) for sid in stale)

    def close(self) -> None:
        self.closed = True
        for sid in list(self.sessions):
            self.end(sid)
        shutil.rmtree(self.root, ignore_errors=True)

    # -- checks ------------------------------------------------------------------------------
    def start(self, session: Session, job: Job, request: dict[str, Any]) -> None:
        """Run a check in a worker process (in a thread that waits for a free slot)."""
        session.jobs[job.number] = job
        (job.folder / ".request.json").write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
        threading.Thread(target=self._run, args=(job,), daemon=True, name=f"check-{job.number}").start()

    def _run(self, job: Job) -> None:
        with self.slots:
            if self.closed or not job.folder.exists():
                return
            job.state = "running"
            job.started = time.monotonic()
            env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUTF8": "1"}
            with (job.folder / ".worker.log").open("wb") as log:
                job.proc = subprocess.Popen(
                    [sys.executable, "-m", "vetting.serve.worker", ".request.json", ".out"],
                    cwd=job.folder, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, env=env,
                )
                assert job.proc.stdout is not None
                for raw in job.proc.stdout:
                    try:
                        msg = json.loads(raw)
                    except ValueError:
                        continue
                    if "done" in msg:
                        job.summary = msg["done"]
                    elif "error" in msg:
                        job.error = msg["error"]
                    else:
                        job.stage = msg
                code = job.proc.wait()
            job.finished = time.monotonic()
            if job.summary is not None and code == 0:
                job.state = "done"
                return
            job.state = "error"
            if job.error is None:
                job.error = internal_error(job.folder / ".worker.log", code)


    def requests(self, job: Job) -> dict[str, Any]:
        """Write the 联审 requests of a finished check (once; a worker process like the check's):
        `{"done": summary}` or `{"error": …}`."""
        with job.lock:
            if job.requests is not None:
                return job.requests
            with self.slots:
                if self.closed or not job.folder.exists():
                    return {"error": internal_error(job.folder / ".requests.log", -1)}
                env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUTF8": "1"}
                with (job.folder / ".requests.log").open("wb") as log:
                    proc = subprocess.run(
                        [sys.executable, "-m", "vetting.serve.worker", ".request.json", ".out", "--requests"],
                        cwd=job.folder, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, env=env,
                    )
            result: dict[str, Any] | None = None
            for raw in proc.stdout.splitlines():
                try:
                    msg = json.loads(raw)
                except ValueError:
                    continue
                if "done" in msg or "error" in msg:
                    result = msg
            if result is None or (proc.returncode != 0 and "error" not in result):
                result = {"error": internal_error(job.folder / ".requests.log", proc.returncode)}
            job.requests = result
            return result


def internal_error(log: Path, code: int) -> dict[str, Any]:
    """A worker that failed without a user error: a bug. The page shows its traceback (the
    person can pass it on); the server's own log gets nothing of it."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")[-6000:]
    except OSError:
        text = ""
    return {
        "message": "vetting 内部错误（程序缺陷），请把下面的信息报告给维护者 / internal error: please report it",
        "details": [],
        "where": None,
        "hint": None,
        "internal": text or f"exit status {code}",
    }


def _kill(job: Job) -> None:
    p = job.proc
    if p is not None and p.poll() is None:
        p.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            p.wait(timeout=5)
