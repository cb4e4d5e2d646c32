"""The `review:` section of a policy file as pydantic validates it (policy/review.py merges it)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .factories import new_list


class DepartmentSpec(BaseModel):
    """One department as a policy writes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="the department's name as used in request file names, e.g. 公安机关")
    aliases: list[str] = Field(default_factory=new_list, description="other names of it in returns (公安局, 派出所…)")
    answers: list[str] = Field(min_length=1, description="the evidence columns (field keys) it answers")
    required: bool = Field(default=True, description="a person is reviewed only when it has answered")
    note: str | None = None


class ReviewSection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    synthesis: str | None = Field(
        default=None, description="set when the split is a synthesis, not a county's published list"
    )
    departments: list[DepartmentSpec] = Field(default_factory=new_list)
    remove: list[str] = Field(default_factory=new_list, description="inherited departments to drop")
