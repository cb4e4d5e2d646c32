"""A published statement (说法) as a claims file writes it, validated by pydantic
(`claims.load_claims` reads the file; the rest of `stats` reads claims without pydantic)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, model_validator

from .claims import Number


class ClaimGroup(BaseModel):
    model_config = ConfigDict(extra="forbid")
    district: str | None = None
    township: str | None = None
    unit: str | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> ClaimGroup:
        for k in ("district", "township", "unit"):
            v = getattr(self, k)
            setattr(self, k, v.strip() if isinstance(v, str) and v.strip() else None)
        if not (self.district or self.township or self.unit):
            raise ValueError("group 至少要写 district、township 或 unit 之一 / name a district, township or unit")
        return self


class Claim(BaseModel):
    """One published statement: `figure` and what it states (`share`, `count`, `mean`)."""

    model_config = ConfigDict(extra="forbid")
    text: str
    figure: str
    share: Number | None = None
    count: Number | None = None
    mean: Number | None = None
    group: ClaimGroup | None = None

    @model_validator(mode="after")
    def _states_something(self) -> Claim:
        if self.share is None and self.count is None and self.mean is None:
            raise ValueError("要写出公布的数字：share、count 或 mean / state a share, a count or a mean")
        if self.mean is not None and (self.share is not None or self.count is not None):
            raise ValueError("mean 不能与 share、count 同时写 / a mean goes alone")
        return self
