"""The settings file's format, as Pydantic models: loaded only when a settings file exists."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator

from hls_audit.model import Id, Text

Level = Literal["error", "warning", "info"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class SuppressionEntry(_Strict):
    """An accepted, known gap: one check's finding about one claim or source."""

    code: Annotated[str, Field(pattern=r"^HLS\d{3}$")]
    claim: Id | None = None
    source: Id | None = None
    reason: Text
    expires: dt.date | None = None

    @model_validator(mode="after")
    def _names_a_subject(self) -> SuppressionEntry:
        if self.claim is None and self.source is None:
            raise ValueError("a suppression names the claim or the source it covers")
        return self


class Settings(_Strict):
    """The keys of [tool.hls-audit] (or of hls-audit.toml)."""

    fail_on: Level | None = Field(default=None, validation_alias=AliasChoices("fail-on", "fail_on"))
    require: Literal["records", "documents"] | None = None
    severity: dict[Annotated[str, Field(pattern=r"^HLS\d{3}$")], Level] = Field(
        default_factory=dict
    )
    suppress: list[SuppressionEntry] = Field(default_factory=list)
