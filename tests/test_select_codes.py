"""--select/--ignore with a prefix that matches no rule: exit 2 with a did-you-mean, never a pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from vetting.cli import app
from vetting.codes import check_prefixes
from vetting.errors import UserError

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "二七区两委换届拟任人选.xlsx"


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_a_typo_is_exit_2_with_a_suggestion(option: str) -> None:
    r = runner.invoke(app, ["lint", str(EXAMPLE), "--as-of", "2021-01-10", option, "TN01,XX9"])
    assert r.exit_code == 2, r.output
    assert "XX9" in r.output and "未发现问题" not in r.output


def test_suggestions_are_close_codes() -> None:
    known = ["TN01", "TN02", "EL001", "EL010", "DQ001"]
    with pytest.raises(UserError) as e:
        check_prefixes("--select", ["TN1", "EL01", "EK001"], known)
    assert "EK001" in e.value.message and "EL01" not in e.value.message  # EL01 is a real prefix
    assert any("EK001" in d and "EL001" in d for d in e.value.details)
    check_prefixes("--select", ["TN", "EL0", "DQ001"], known)  # all fine


def test_valid_prefixes_still_work() -> None:
    r = runner.invoke(app, ["lint", str(EXAMPLE), "--as-of", "2021-01-10", "--select", "wv,TN0", "--ignore", "TN02"])
    assert r.exit_code == 1, r.output
