"""Policy test files (policies/*/tests/*.yaml): the document, where they are, which policy
they test. Running them is `vetting.testing`; reading them is here, below the engine, so that
`vetting explain` can show their examples without importing the engine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import Field

from ..documents import LoadedYaml, read_yaml, validate
from ..errors import UserError
from .model import _Model


class Expected(_Model):
    code: str
    row: int | None = Field(default=None, description="1-based index into the case's rows")
    unit: str | None = None
    township: str | None = None
    district: str | None = None
    level: str | None = Field(default=None, description="unit | township | district | roster")
    severity: str | None = None
    message_contains: str | None = None


class Case(_Model):
    name: str
    rows: list[dict[str, Any]] = Field(min_length=1)
    expect: list[Expected] = Field(default_factory=list)
    as_of: dt.date | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    units: list[dict[str, Any]] | None = Field(
        default=None, description="unit-table rows (单位信息) by Chinese header or key; 测试镇 is filled in"
    )


class PolicyTestFile(_Model):
    rule: str | None = None
    rules: list[str] = Field(default_factory=list)
    as_of: dt.date | None = None
    policy: str | None = Field(default=None, description="default: the policy of the directory")
    defaults: dict[str, Any] = Field(default_factory=dict)
    cases: list[Case] = Field(min_length=1)

    @property
    def codes(self) -> list[str]:
        return ([self.rule] if self.rule else []) + list(self.rules)


def find_test_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*.yaml") if "tests" in p.relative_to(directory).parts[:-1])


def policy_for(directory: Path) -> Path:
    """The policy a test directory belongs to: the nearest policy.yaml above the tests folder."""
    for parent in [directory, *directory.parents]:
        if (parent / "policy.yaml").exists():
            return parent / "policy.yaml"
    raise UserError("找不到测试所属的 policy.yaml / no policy.yaml above the tests", path=str(directory))


def load_test_file(path: Path) -> tuple[PolicyTestFile, LoadedYaml]:
    src = read_yaml(path)
    return validate(PolicyTestFile, src), src


def policy_spec_of(tf: PolicyTestFile, tf_path: Path) -> str:
    """The policy a test file runs against: its `policy:` (a shipped name or a path relative to
    the file), else the nearest policy.yaml above its folder."""
    if not tf.policy:
        return str(policy_for(tf_path.parent))
    candidate = tf_path.parent / tf.policy
    return str(candidate) if candidate.exists() else tf.policy
