"""What a long run is doing (reading, checking, writing), shown on stderr when it is a terminal.

The display appears only once a run has taken `delay` seconds (a small roster finishes before
anything is drawn), is transient (erased when the run ends, so the terminal keeps only the
report), never writes to stdout (where a machine format may go) and is not made at all when
stderr is not a terminal or the user asked for `--quiet`.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

STAGES = {
    "starting": "读取政策",
    "reading": "读取名单",
    "checking": "检查规则",
    "computing": "计算统计",
    "writing": "写出报告",
}
DELAY_SECONDS = 2.0


class StageProgress:
    """`stage(name)` as a run moves on; `close()` (or leaving the `with`) erases the display."""

    def __init__(self, console: Console | None, *, enabled: bool, delay: float = DELAY_SECONDS):
        self.console = console
        self.enabled = enabled and console is not None
        self.delay = delay
        self.started = time.monotonic()
        self.current = "starting"
        self._lock = threading.Lock()
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._timer: threading.Timer | None = None
        self._closed = False
        if self.enabled:
            self._timer = threading.Timer(delay, self._show)
            self._timer.daemon = True
            self._timer.start()

    def __enter__(self) -> StageProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _label(self) -> str:
        return STAGES.get(self.current, self.current)

    def _show(self) -> None:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with self._lock:
            if self._closed:
                return
            self._progress = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                console=self.console, transient=True,
                # stdout is the report's (JSON, SARIF…): the display must not capture it.
                redirect_stdout=False, redirect_stderr=False,
            )
            self._task = self._progress.add_task(self._label(), total=None)
            # Elapsed time counts from the start of the run, not from when the display appeared
            # (rich's clock is time.monotonic too).
            self._progress.tasks[0].start_time = self.started
            self._progress.start()

    def stage(self, name: str) -> None:
        with self._lock:
            self.current = name
            if self._progress is not None and self._task is not None:
                self._progress.update(self._task, description=self._label(), refresh=True)

    def pause(self) -> None:
        """Before something else writes to the same terminal (the console report): the display
        is erased and does not come back."""
        self.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()
            if self._progress is not None:
                self._progress.stop()
                self._progress = None

    @property
    def shown(self) -> bool:
        return self._progress is not None
