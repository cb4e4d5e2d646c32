"""Uploads streamed straight into a check's private folder, with a size limit.

The multipart body is parsed as it arrives (python-multipart), so a file never sits in memory
nor in the system's shared temporary folder; the limit counts every byte of the body and stops
the upload as soon as it is passed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

MAX_FIELD = 64 * 1024  # a text field (policy name, date, language)
MAX_FILES = 200
MAX_NAME = 120


class UploadError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Form:
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, list[tuple[str, Path]]] = field(default_factory=dict)  # name -> (original, saved)

    def names(self, key: str) -> list[str]:
        """Saved file names (relative to the folder) of one form field."""
        return [p.name for _, p in self.files.get(key, [])]


def safe_name(name: str, taken: set[str]) -> str:
    """The file name as the person gave it, made safe: no folders, no control characters, no
    leading dot (the folder's own files start with one), unique within the folder."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").split("/")[-1])
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "_", name).strip().lstrip(".").strip()
    if not name:
        name = "upload"
    if len(name) > MAX_NAME:
        p = Path(name)
        suffix = p.suffix[:16]
        name = p.stem[: MAX_NAME - len(suffix)] + suffix
    base, n = name, 2
    while name.lower() in taken:
        p = Path(base)
        name = f"{p.stem} ({n}){p.suffix}"
        n += 1
    taken.add(name.lower())
    return name


async def receive_form(request: Request, folder: Path, limit: int) -> Form:
    """Parse a multipart/form-data body into `folder` (files) and a dict (text fields)."""
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype != b"multipart/form-data" or b"boundary" not in params:
        raise UploadError(400, "请求不是文件上传（multipart/form-data） / expected multipart/form-data")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise UploadError(413, _too_large(limit))
    folder.mkdir(parents=True, exist_ok=True)
    form = Form()
    taken: set[str] = set()
    state: dict[str, object] = {}
    header_field = bytearray()
    header_value = bytearray()
    headers: dict[bytes, bytes] = {}
    errors: list[UploadError] = []

    def on_part_begin() -> None:
        headers.clear()
        state.clear()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header_field.extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header_value.extend(data[start:end])

    def on_header_end() -> None:
        headers[bytes(header_field).lower()] = bytes(header_value)
        header_field.clear()
        header_value.clear()

    def on_headers_finished() -> None:
        _, opts = parse_options_header(headers.get(b"content-disposition", b""))
        name = opts.get(b"name", b"").decode("utf-8", "replace")
        state["name"] = name
        if b"filename" in opts:
            original = opts[b"filename"].decode("utf-8", "replace")
            if not original:  # an empty file input
                state["skip"] = True
                return
            if sum(len(v) for v in form.files.values()) >= MAX_FILES:
                raise UploadError(413, f"一次最多上传 {MAX_FILES} 个文件 / too many files")
            path = folder / safe_name(original, taken)
            state["file"] = path.open("xb")
            form.files.setdefault(name, []).append((original, path))
        else:
            state["buf"] = bytearray()

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if state.get("skip"):
            return
        fh = state.get("file")
        if fh is not None:
            fh.write(data[start:end])  # type: ignore[attr-defined]
            return
        buf = state["buf"]
        assert isinstance(buf, bytearray)
        buf.extend(data[start:end])
        if len(buf) > MAX_FIELD:
            raise UploadError(413, "表单字段过长 / form field too long")

    def on_part_end() -> None:
        fh = state.get("file")
        if fh is not None:
            fh.close()  # type: ignore[attr-defined]
        elif "buf" in state:
            buf = state["buf"]
            assert isinstance(buf, bytearray)
            form.fields[str(state["name"])] = buf.decode("utf-8", "replace")

    parser = MultipartParser(params[b"boundary"], {
        "on_part_begin": on_part_begin,
        "on_header_field": on_header_field,
        "on_header_value": on_header_value,
        "on_header_end": on_header_end,
        "on_headers_finished": on_headers_finished,
        "on_part_data": on_part_data,
        "on_part_end": on_part_end,
    })
    total = 0
    try:
        async for chunk in request.stream():
            total += len(chunk)
            if total > limit:
                raise UploadError(413, _too_large(limit))
            parser.write(chunk)
        parser.finalize()
    except UploadError as e:
        errors.append(e)
    except Exception:  # a malformed body (python-multipart raises its own errors)
        errors.append(UploadError(400, "上传的数据不完整或格式不对，请重试 / malformed upload"))
    finally:
        fh = state.get("file")
        if fh is not None:
            _close(fh)  # type: ignore[arg-type]
    if errors:
        raise errors[0]
    return form


def _close(fh: IO[bytes]) -> None:
    if not fh.closed:
        fh.close()


def _too_large(limit: int) -> str:
    mb = limit / 1_000_000
    return f"上传的文件合计超过 {mb:g} MB 的上限（vetting serve --max-upload-mb） / the upload exceeds {mb:g} MB"
