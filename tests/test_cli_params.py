"""The command line's option values converted without pydantic adapters (vetting.cli_params),
checked against what it replaces: typer's own conversion, value by value, and its messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer.testing import CliRunner

from vetting import cli_params
from vetting.cli import app
from vetting.cli_params import plain_conversion

ROOT = Path(__file__).resolve().parent.parent
build_runtime_param = pytest.importorskip("typer._coercion").build_runtime_param


def _all_params() -> list[tuple[Any, Any]]:
    """(command, parameter) for every parameter of the whole command tree, the group's too."""
    out: list[tuple[Any, Any]] = []
    stack = [typer.main.get_command(app)]
    while stack:
        cmd = stack.pop()
        ctx = Context(cmd)
        out += [(cmd, p) for p in cmd.get_params(ctx)]
        stack += list(getattr(cmd, "commands", {}).values())
    return out


def _outcome(conversion: Any, value: Any, cmd: Any, param: Any) -> tuple[str, Any]:
    try:
        result = conversion.coerce(value, param=param, ctx=Context(cmd))
    except BadParameter as e:
        return "error", e.format_message()
    return type(result).__name__, result if not isinstance(result, list) else [(type(x), x) for x in result]


def test_every_plain_parameter_converts_as_typer_does(tmp_path: Path) -> None:
    existing = tmp_path / "roster.csv"
    existing.write_text("x", encoding="utf-8")
    texts = ["", "a b", "名单.xlsx", "-", "--x", "a/", "./b/../c", str(existing), str(tmp_path), "\udcff"]
    handled = 0
    for cmd, param in _all_params():
        plain = plain_conversion(param)
        if plain is None:
            continue
        handled += 1
        theirs = build_runtime_param(param.type_descriptor)
        multi = param.multiple or param.nargs == -1
        values: list[Any] = [None, True, False] if plain.kind == "bool" else (
            [None, (), tuple(texts), ("x",), [str(existing)]] if multi else [None, *texts]
        )
        for value in values:
            assert _outcome(plain, value, cmd, param) == _outcome(theirs, value, cmd, param), (cmd.name, param.name, value)
    # every option of lint and stats is one of these (a new kind of option would show here)
    names = {(c.name, p.name) for c, p in _all_params() if plain_conversion(p) is not None}
    assert {("lint", "rosters"), ("lint", "output"), ("lint", "show_pii"), ("stats", "previous")} <= names
    assert handled >= 40


def test_other_types_keep_typers_conversion() -> None:
    params = {(c.name, p.name): p for c, p in _all_params()}
    assert plain_conversion(params[("serve", "port")]) is None  # an int: typer converts it
    runner_result = subprocess.run(
        [sys.executable, "-m", "vetting", "serve", "--port", "abc"], capture_output=True, text=True, cwd=ROOT
    )
    assert runner_result.returncode == 2
    assert "Invalid value for '--port'" in runner_result.stderr



BAD_VALUES = [
    (["-f", "jsn"], "--format 的值 'jsn' 无效"),
    (["--as-of", "2021-13-45"], "--as-of 的日期无法识别：2021-13-45"),
    (["--as-of", "2021-05"], "--as-of 需要具体到日的日期"),
    (["--fail-on", "sometimes"], "--fail-on 的值 'sometimes' 无效"),
]


@pytest.mark.parametrize(("args", "message"), BAD_VALUES)
@pytest.mark.parametrize("hooked", [True, False])
def test_a_bad_option_value_gets_the_same_clear_message(
    one_person_csv: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str, hooked: bool
) -> None:
    """With the plain conversion and with typer's own (a typer without the hook), the same
    message and exit code 2."""
    monkeypatch.setenv("VETTING_PLAIN_ERRORS", "1")
    monkeypatch.setattr(cli_params, "HOOKED", hooked)
    result = CliRunner().invoke(app, ["lint", str(one_person_csv), *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_roster_is_named(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "vetting", "lint", str(tmp_path / "nope.csv"), "--as-of", "2021-01-10"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 2, result.stderr
    assert "nope.csv" in result.stderr and "Traceback" not in result.stderr


def test_without_typers_contract_every_parameter_keeps_typers_conversion(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_params, "HOOKED", False)
    assert all(plain_conversion(p) is None for _, p in _all_params())
