"""One check, run in its own process: `python -m vetting.serve.worker REQUEST.json OUT_DIR`;
with `--requests` after them, the 联审 requests of a check already made (written when asked for).

The server starts it with the check's private folder as working directory, so messages and
reports name the uploaded files by the names the person gave them. A separate process keeps the
server responsive while a large roster is read and gives its memory back when the check ends.

Progress goes to stdout as JSON lines (`{"stage": …}`), then one line `{"done": summary}` or
`{"error": …}`; stderr is kept in the folder for an internal error and never logged.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    from ..errors import UserError
    from .library import CheckRequest, error_dict, run_check, write_requests

    request = CheckRequest.from_dict(json.loads(Path(argv[0]).read_text(encoding="utf-8")))
    out_dir = Path(argv[1])
    try:
        if argv[2:] == ["--requests"]:
            summary = write_requests(request, out_dir)
        else:
            summary = run_check(request, out_dir, lambda stage, info: _emit({"stage": stage, **info}))
    except UserError as e:
        _emit({"error": error_dict(e, Path.cwd())})
        return 2
    _emit({"done": summary})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
