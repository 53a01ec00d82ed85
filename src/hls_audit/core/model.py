"""The data model of a case study: claims.yaml and the evidence records. No I/O."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from hls_audit.core.money import (
    MAX_AMOUNT,
    MAX_RATE,
    MIN_RATE,
    RATE_DIGITS,
    MoneyError,
    Qualifier,
    convert,
    non_ascii_digit,
    parse_money,
    parse_rate,
)
from hls_audit.profiles import PROFILES

PROFILE_FILE = r"^(?![/\\])(?!.*(?:^|/)\.\.(?:/|$))[^\\:]*[^/\\:]\.toml$"  # relative, no '..'


def _profile_name(value: object) -> object:
    if isinstance(value, str) and (value in PROFILES or re.match(PROFILE_FILE, value)):
        return value
    raise ValueError(
        f"expected a built-in profile ({', '.join(PROFILES)}) or a .toml file inside the case "
        "study's folder, relative to claims.yaml"
    )


ProfileName = Annotated[
    str,
    BeforeValidator(_profile_name),
    WithJsonSchema(
        {
            "anyOf": [
                {"enum": list(PROFILES)},
                {"type": "string", "pattern": PROFILE_FILE},
            ],
            "description": "A built-in rule profile, or a house profile's .toml file relative "
            "to this file.",
        }
    ),
]

ID_PATTERN = r"^[A-Za-z0-9](?:[ _.-]?[A-Za-z0-9]){0,63}$"
Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN),
    Field(
        description="An identifier as the case study numbers it (E1, R2, 5.7, 1a, 10, Source 1,"
        " Grant A): up to 64 ASCII letters and digits, with one ' ', '_', '.' or '-' between two."
    ),
]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]

_PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


def _partial_date(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("expected a date such as 2019, 2019-04 or 2019-04-01")
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        match = _PARTIAL_DATE.match(value.strip())
        if match:
            year, month, day = match.groups()
            try:
                dt.date(int(year), int(month or 1), int(day or 1))
            except ValueError:
                raise ValueError(f"{value!r} is not a real date") from None
            return value.strip()
    raise ValueError("expected a date such as 2019, 2019-04 or 2019-04-01")


PartialDate = Annotated[
    str,
    BeforeValidator(_partial_date),
    WithJsonSchema(
        {
            "type": ["string", "integer"],
            "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
            "description": "A year (2019), a month (2019-04) or a day (2019-04-01).",
        }
    ),
]


def date_bounds(value: str) -> tuple[dt.date, dt.date]:
    """First and last day a partial date can mean: 2019-04 -> (2019-04-01, 2019-04-30)."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return dt.date(parts[0], parts[1], 1), dt.date(parts[0], parts[1], last)
    day = dt.date(parts[0], parts[1], parts[2])
    return day, day


def _money(value: object) -> Decimal:
    try:
        return parse_money(value)[0]
    except MoneyError as exc:
        raise ValueError(str(exc)) from None


def _rate(value: object) -> Decimal:
    try:
        return parse_rate(value)
    except MoneyError as exc:
        raise ValueError(str(exc)) from None


Rate = Annotated[
    Decimal,
    BeforeValidator(_rate),
    WithJsonSchema(
        {
            "type": ["number", "string"],
            "minimum": float(MIN_RATE),
            "maximum": float(MAX_RATE),
            "pattern": r"^([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
            "description": f"Units of `to` per unit of the amount: a plain decimal from {MIN_RATE} "
            f"to {MAX_RATE:,} with at most {RATE_DIGITS} significant digits, such as 0.79. "
            "No exponents.",
        }
    ),
]


def _ascii_number(value: object) -> object:
    """A figure written as text takes the digits 0-9 only (Decimal reads any Unicode digit)."""
    if isinstance(value, str):
        odd = non_ascii_digit(value)
        if odd:
            raise ValueError(f"{value[:40]!r} contains {odd}, which is not an ASCII digit")
    return value


Money = Annotated[
    Decimal,
    BeforeValidator(_money),
    WithJsonSchema(
        {
            "type": ["integer", "number", "string"],
            "description": "An exact amount: 77000000, 88194.45, '77,000,000', '77m', "
            "'7.7 million'. No exponents, no negatives, at most two decimal places.",
        }
    ),
]


REVIEWED_DOC = "false on what `hls-audit extract` drafted; set true once a person has checked it"


class Strict(BaseModel):
    """Base: unknown keys are errors, so a misspelt key never passes silently.

    Validators are compiled on first use, not at import: `core.construct.validate` builds plain
    input without them (see there)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


class Period(Strict):
    """A span of time; an open end means ongoing or present."""

    start: PartialDate | None = None
    end: PartialDate | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start and self.end and date_bounds(self.end)[1] < date_bounds(self.start)[0]:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")
        return self


class Role(StrEnum):
    """What an amount is, which decides whether it counts toward a headline."""

    counted = "counted"
    part = "part"
    context = "context"
    saving = "saving"
    grant = "grant"
    unquantified = "unquantified"


ROLE_DOCS = {
    Role.counted: "counted toward its headline",
    Role.part: "part of another amount; shown, never added",
    Role.context: "context, such as an annual spend; never added",
    Role.saving: "a saving; never added to funding",
    Role.grant: "a research grant; never added to impact funding",
    Role.unquantified: "stated without a figure; reported, never added",
}


class Conversion(Strict):
    """How a foreign-currency amount converts to the headline's currency."""

    rate: Rate
    to: Currency = "GBP"
    source: Text = Field(description="Where the rate comes from and its date.")


class Amount(Strict):
    """A money figure a claim states."""

    role: Role
    currency: Currency = "GBP"
    value: Money | None = None
    qualifier: Qualifier = Qualifier.exact
    tolerance: Money | None = Field(
        default=None, description="For 'about' and open-ended figures; default: stated precision."
    )
    stated: Text | None = Field(default=None, description="The words the case study uses.")
    part_of: Id | None = Field(default=None, description="The claim whose amount contains this.")
    headline: Id | None = Field(default=None, description="The headline a counted amount feeds.")
    per: Literal["year", "month"] | None = Field(
        default=None, description="Set for a recurring figure (an annual spend)."
    )
    period: Period | None = None
    expected: bool = Field(default=False, description="True if budgeted or expected, not spent.")
    conversion: Conversion | None = None
    note: Text | None = Field(default=None, description="Why the amount has this role.")

    @field_validator("value", mode="before")
    @classmethod
    def _value_currency(cls, value: object, info: ValidationInfo) -> object:
        if value is None:
            return value
        try:
            number, named = parse_money(value)
        except MoneyError as exc:
            raise ValueError(str(exc)) from None
        currency = info.data.get("currency")
        if named and currency and named != currency:
            raise ValueError(
                f"the value is written in {named} but the amount's currency is {currency}; "
                f"set currency: {named} (and a conversion) or rewrite the value"
            )
        return number

    @field_validator("conversion")
    @classmethod
    def _converted_in_range(
        cls, conversion: Conversion | None, info: ValidationInfo
    ) -> Conversion | None:
        """A converted amount obeys the same limit as a written one."""
        if conversion is None:
            return conversion
        currency = info.data.get("currency") or "?"
        for key in ("value", "tolerance"):
            amount = info.data.get(key)
            if amount is None:
                continue
            converted = convert(amount, conversion.rate)
            if converted >= MAX_AMOUNT:
                raise ValueError(
                    f"the {key} {amount:,} {currency} at the rate {conversion.rate} comes to "
                    f"{converted:,.2f} {conversion.to}, over the limit of {MAX_AMOUNT:,} for an "
                    "amount; check the rate (units of `to` per unit of the amount) and the value"
                )
        return conversion

    @model_validator(mode="after")
    def _value_presence(self) -> Amount:
        if self.role is Role.unquantified:
            if self.value is not None:
                raise ValueError("an unquantified amount has no value; use role: counted or other")
            if not self.stated:
                raise ValueError("an unquantified amount needs `stated`: the words used for it")
        elif self.value is None:
            raise ValueError(f"an amount with role {self.role.value} needs a value")
        return self


def _citation_schema(schema: dict[str, Any]) -> None:
    """A citation may also be written as a bare id: `- E1`."""
    as_object = dict(schema)
    schema.clear()
    schema["description"] = as_object.pop("description", "")
    bare = {"type": "string", "pattern": ID_PATTERN, "description": "A bare source id, e.g. E1."}
    schema["anyOf"] = [bare, as_object]


class Citation(Strict):
    """A pointer from a claim to a source, reference or grant, with optional pages."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_citation_schema, defer_build=True)

    source: Id
    quote: Text | None = Field(
        default=None, description="The words the claim relies on, as they stand in the document."
    )
    pages: Annotated[
        str | None,
        WithJsonSchema(
            {
                "type": ["string", "integer", "null"],
                "description": "A page or range as the case study gives it: p9, p2-3, or 9.",
            }
        ),
    ] = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"source": data}
        return data

    @field_validator("pages", mode="before")
    @classmethod
    def _pages_text(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            return f"p{value}"
        return value


class Figure(Strict):
    """A non-money figure a claim states: a percentage, a count of organisations or people."""

    value: Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
    unit: Text
    qualifier: Qualifier = Qualifier.exact
    stated: Text | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _ascii_value(cls, value: object) -> object:
        return _ascii_number(value)


class Claim(Strict):
    """One assertion of the case study that a reviewer would want corroborated."""

    id: Id
    section: Annotated[str, StringConstraints(pattern=r"^[0-9]+(\.[0-9]+)*$")] = Field(
        description="The case study section: 1, 2, 4.1, 4.2 ..."
    )
    statement: Text
    organisation: Text | None = None
    date: PartialDate | None = None
    period: Period | None = None
    evidence: list[Citation] = Field(default_factory=list)
    amount: Amount | None = None
    figure: Figure | None = None
    reviewed: bool = Field(default=True, description=REVIEWED_DOC)

    @field_validator("section", mode="before")
    @classmethod
    def _section_text(cls, value: object) -> object:
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return str(value)
        return value


class Headline(Strict):
    """A total the case study asserts, such as 'more than £169m'."""

    id: Id
    statement: Text
    relation: Qualifier
    value: Money
    currency: Currency = "GBP"
    tolerance: Money | None = None
    sections: list[str] = Field(default_factory=list)
    reviewed: bool = Field(default=True, description=REVIEWED_DOC)


class Grant(Strict):
    """A research grant that funded the underpinning research (G1, G2, ...)."""

    id: Id
    funder: Text
    principal_investigator: Text
    period: Period
    value: Money
    currency: Currency = "GBP"
    stated: Text | None = None
    number: Text | None = Field(
        default=None, description="The funder's reference for the grant, e.g. ES/P000000/1."
    )
    funder_id: Text | None = Field(
        default=None,
        description="The funder's organisation identifier: a ROR id (https://ror.org/0...) or "
        "a GRID id (grid.1234.5).",
    )
    reviewed: bool = Field(default=True, description=REVIEWED_DOC)


class Unit(Strict):
    """The REF unit of assessment."""

    number: Annotated[int, Field(ge=1, le=99)]
    name: Text


class StaffMember(Strict):
    """A member of staff who conducted the underpinning research."""

    name: Text
    role: Text
    employed: Period
    orcid: Text | None = Field(
        default=None, description="Their ORCID iD: https://orcid.org/0000-0002-1825-0097."
    )


class CaseStudyInfo(Strict):
    """The case study's own facts: the header before section 1 of its template."""

    title: Text
    institution: Text
    unit: Unit
    research_period: Period
    impact_period: Period
    continued_from_2014: bool = False
    continued_from: Text | None = Field(
        default=None,
        description="The earlier case study this one continues: its title or identifier in "
        "the earlier exercise.",
    )
    staff: list[StaffMember] = Field(default_factory=list)


class ClaimsFile(Strict):
    """The whole of claims.yaml."""

    version: Literal[1] = 1
    profile: ProfileName | None = Field(
        default=None, description="A rule profile to apply (see `hls-audit rules`)."
    )
    narrative: Text | None = Field(
        default=None,
        description="The case study's own text (txt, md, docx or pdf), relative to this file.",
    )
    case_study: CaseStudyInfo
    headlines: list[Headline] = Field(default_factory=list)
    grants: list[Grant] = Field(default_factory=list)
    claims: list[Claim]


class SourceKind(StrEnum):
    """What kind of thing a source is."""

    testimonial = "testimonial"
    transcript = "transcript"
    report = "report"
    tender = "tender"
    case_study = "case-study"
    strategy = "strategy"
    briefing = "briefing"
    manifesto = "manifesto"
    guide = "guide"
    article = "article"
    chapter = "chapter"
    web_page = "web-page"
    dataset = "dataset"
    other = "other"


class Provider(Strict):
    """Who provided a source: an organisation, a role, and a name for individuals."""

    organisation: Text | None = None
    role: Text | None = None
    name: Text | None = None


class SourceRecord(Strict):
    """One record in evidence/: a corroborating source (E...) or a research reference (R...)."""

    id: Id
    kind: SourceKind
    title: Text
    provider: Provider | None = None
    authors: list[Text] = Field(default_factory=list)
    date: PartialDate | None = None
    venue: Text | None = None
    corroborates: Text | None = Field(default=None, description="What the source corroborates.")
    held_by: Text | None = Field(default=None, description="Where the original is held.")
    url: Text | None = None
    doi: Text | None = None
    document: Text | None = Field(
        default=None, description="A file on record, relative to the evidence folder."
    )
    page_count: Annotated[int, Field(ge=1)] | None = None
    confidential: bool = False
    part_of: Id | None = Field(default=None, description="The parent source (E5 for E5a).")
    listed_in: Literal["references", "sources"] | None = Field(
        default=None,
        description="The case study's list that holds this record: the references to the "
        "research or the sources that corroborate the impact. Needed when the id does not say "
        "it (R1 is a reference, any other id a source).",
    )
    same_as: Id | None = Field(default=None, description="A record that is the same work.")
    reviewed: bool = Field(default=True, description=REVIEWED_DOC)
