"""The settings file's format, as Pydantic models: loaded only when a settings file exists."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from hls_audit.core.model import Id, Text

Level = Literal["error", "warning", "info"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_HINT = "write a TOML date such as expires = 2026-01-31 (unquoted)"


def _day(value: object) -> object:
    """A TOML date, or an ISO day written as text: nothing else is taken for a date.

    Pydantic would read the integer 4102444800 (and the text '4102444800') as Unix time, and a
    date with a time of day as its day; all are refused, so an expiry always says what it means.
    """
    if isinstance(value, dt.datetime):
        raise ValueError(f"{value.isoformat()} is a date and time; {_DATE_HINT}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DAY.fullmatch(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a real date; {_DATE_HINT}") from None
        raise ValueError(f"{value[:40]!r} is not a date; {_DATE_HINT}")
    if isinstance(value, bool):
        kind = "true or false"
    elif isinstance(value, int | float):
        kind = f"the number {value!r}"
    else:
        kind = f"a {type(value).__name__}"
    raise ValueError(f"expected a date, got {kind}; {_DATE_HINT}")


Day = Annotated[dt.date, BeforeValidator(_day)]


class SuppressionEntry(_Strict):
    """An accepted, known gap: one check's finding about one claim or source."""

    code: Annotated[str, Field(pattern=r"^HLS\d{3}$")]
    claim: Id | None = None
    source: Id | None = None
    reason: Text
    expires: Day | None = None

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
    profile: str | None = None  # a built-in profile's name, or a house profile file (.toml)
