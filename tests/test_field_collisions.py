"""A regional field that reuses a national (or built-in) header is an error naming both places."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetting.errors import UserError
from vetting.policy.resolve import load_policies


def policy(tmp_path: Path, header: str, aliases: str = "[]") -> Path:
    p = tmp_path / "county.yaml"
    p.write_text(
        "policy: county\nextends: national\nfields:\n"
        f"  - {{key: dirty_money, header: {header}, aliases: {aliases}, type: flag_text, title_en: x}}\n",
        encoding="utf-8",
    )
    return p


@pytest.mark.parametrize(("header", "aliases", "other"), [
    ("受过刑事处罚", "[]", "criminal_record"),  # an alias of a national field
    ("新字段", "[刑事处罚]", "criminal_record"),  # a national header, as an alias
    ("公民身份号码", "[]", "id_number"),  # a built-in field
])
def test_a_reused_header_is_an_error_with_both_places(tmp_path: Path, header: str, aliases: str, other: str) -> None:
    with pytest.raises(UserError) as e:
        load_policies([str(policy(tmp_path, header, aliases))])
    text = "\n".join(e.value.details)
    assert "county.yaml:4:" in text and other in text and "dirty_money" in text
    if other != "id_number":
        assert "fields.yaml:" in text  # where the national field is declared


def test_a_new_header_is_fine(tmp_path: Path) -> None:
    pol = load_policies([str(policy(tmp_path, "违规收受财物", "[收受财物]"))])
    assert "dirty_money" in pol.fields
