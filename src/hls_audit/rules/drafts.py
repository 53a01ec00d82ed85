"""Checks on drafts: items nobody has reviewed yet, and values still left as placeholders.

A draft (what `hls-audit extract` writes, or the skeleton of `hls-audit init`) must never pass:
every item it drafts carries `reviewed: false`, and every value a person has to fill in reads
like `TODO: ...`. The two functions that find them, :func:`unreviewed` and :func:`placeholders`,
also serve `hls-audit review`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hls_audit.engine.findings import Hit, Severity
from hls_audit.io.load import CaseStudy, LoadedRecord, Located
from hls_audit.io.yaml_source import PathKey, YamlDocument, yaml_path
from hls_audit.rules.base import Context, check

_MARKER = re.compile(r"^(?:todo|tbc|tbd|fixme|xxx)(?![a-z0-9])", re.IGNORECASE)
_ONLY_GAPS = re.compile(r"^[.?…\s]+$")  # '...', '…', '?', '???'
_ANGLED = re.compile(r"^<[^<>]*>$")  # '<name of funder>', '<...>'
REVIEW_HINT = "check it against the evidence, then set reviewed: true"
PLACEHOLDER_HINT = "replace it with the real value, or remove the key if it does not apply"


_FIRST = frozenset("tTfFxX.?…<")  # what a placeholder can start with (after its spaces)


def is_placeholder(value: str) -> bool:
    """Whether a string is a stand-in for a value still to be written."""
    text = value.strip()
    if not text or text[0] not in _FIRST:  # most values: no pattern needs trying
        return False
    if _MARKER.match(text) or _ONLY_GAPS.match(text):
        return True
    if _ANGLED.match(text):
        inner = text[1:-1]
        return "://" not in inner and "@" not in inner  # <https://...> and <a@b> are addresses
    return False


@dataclass(frozen=True)
class Draft:
    """One thing left to review: an unreviewed item or a placeholder value."""

    kind: str  # claim, headline, grant, record; or placeholder
    id: str | None  # the item's id, or for a placeholder the item it lies in
    field: str  # the YAML path of the value, within its file
    location: Located
    message: str
    claim: str | None = None
    source: str | None = None
    value: str | None = None  # a placeholder's text


def _id(item: object) -> str | None:
    return item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else None


def unreviewed(case: CaseStudy) -> list[Draft]:
    """Every claim, headline, grant and record that says `reviewed: false`, in file order."""
    found: list[Draft] = []
    groups: list[tuple[str, str, list[Any]]] = [
        ("headlines", "headline", list(case.data.headlines)),
        ("grants", "grant", list(case.data.grants)),
        ("claims", "claim", list(case.data.claims)),
    ]
    for key, kind, items in groups:
        for position, item in enumerate(items):
            if item.reviewed:
                continue
            loc: PathKey = (key, position, "reviewed")
            found.append(
                Draft(
                    kind,
                    item.id,
                    yaml_path(loc),
                    case.at(loc),
                    f"{kind} {item.id} is a draft: not yet reviewed",
                    claim=item.id if kind == "claim" else None,
                    source=item.id if kind == "grant" else None,
                )
            )
    for loaded in case.records:
        if loaded.record.reviewed:
            continue
        found.append(
            Draft(
                "record",
                loaded.record.id,
                "reviewed",
                case.record_at(loaded, ("reviewed",)),
                f"record {loaded.record.id} is a draft: not yet reviewed",
                source=loaded.record.id,
            )
        )
    return found


def _placeholder_strings(data: Any, loc: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    """Every string value under ``data`` that is a placeholder, with its path, in document
    order; keys are not values. A path is built only for containers and for what is found.

    The data is what the YAML reader builds: plain dicts, lists and strings, so their exact
    classes are tested (this runs over every value of every file of a portfolio)."""
    kind = data.__class__
    if kind is str:
        if is_placeholder(data):
            yield loc, data
        return
    if kind is not dict and kind is not list:
        return
    pairs = data.items() if kind is dict else enumerate(data)
    for key, value in pairs:
        kind = value.__class__
        if kind is str:
            # The first character rules most values out without calling is_placeholder.
            if value and (value[0] in _FIRST or value[0].isspace()) and is_placeholder(value):
                yield (*loc, key), value
        elif kind is dict or kind is list:
            yield from _placeholder_strings(value, (*loc, key))


def _owner(document: YamlDocument, loc: PathKey) -> str | None:
    """The id of the claim, headline or grant a path of claims.yaml lies in."""
    if len(loc) >= 2 and loc[0] in ("claims", "headlines", "grants") and isinstance(loc[1], int):
        items = document.data.get(loc[0]) if isinstance(document.data, dict) else None
        if isinstance(items, list) and loc[1] < len(items):
            return _id(items[loc[1]])
    return None


def _shown(value: str) -> str:
    text = value.strip()
    return text if len(text) <= 60 else text[:57] + "..."


def placeholders(case: CaseStudy) -> list[Draft]:
    """Every string value of claims.yaml and the records that is a placeholder, in file order."""
    found: list[Draft] = []
    document = case.claims_document
    for loc, value in _placeholder_strings(document.data):
        owner = _owner(document, loc)
        field = yaml_path(loc)
        found.append(
            Draft(
                "placeholder",
                owner,
                field,
                case.at(loc),
                f"{field} is a placeholder: {_shown(value)!r}",
                claim=owner if loc[0] == "claims" else None,
                source=owner if loc[0] == "grants" else None,
                value=value,
            )
        )
    for loaded in case.records:
        found.extend(_record_placeholders(case, loaded))
    return found


def _record_placeholders(case: CaseStudy, loaded: LoadedRecord) -> Iterator[Draft]:
    record_id = loaded.record.id
    for loc, value in _placeholder_strings(loaded.document.data):
        field = yaml_path(loc)
        yield Draft(
            "placeholder",
            record_id,
            field,
            case.record_at(loaded, loc),
            f"{record_id}: {field} is a placeholder: {_shown(value)!r}",
            source=record_id,
            value=value,
        )


@check(
    "HLS107",
    "unreviewed-item",
    Severity.error,
    "A claim, headline, grant or record is marked reviewed: false, a draft nobody has checked.",
)
def unreviewed_item(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Reports every claim, headline, grant and evidence record that carries `reviewed: false`.

    Why it matters:
        `hls-audit extract` and `hls-audit init` mark what they draft as unreviewed. A drafted
        figure, qualifier or citation is a machine's reading or a template, not a claim a
        person has checked against the evidence, so a draft must never pass the audit.

    Example:
        claims:
          - id: C3
            section: "4.1"
            statement: A trust put its grants under the approach.
            reviewed: false     # HLS107

    Fix:
        Check the item against its evidence and the case study's text, correct it, then set
        `reviewed: true` (or remove the key: true is the default).
    """
    for item in unreviewed(ctx.case):
        yield Hit(
            item.message, item.location, claim=item.claim, source=item.source, hint=REVIEW_HINT
        )


@check(
    "HLS108",
    "placeholder",
    Severity.error,
    "A value is still a placeholder: TODO, TBC, FIXME, XXX, tbd, '...', '?' or '<...>'.",
)
def placeholder(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Reads every string value of claims.yaml and of each evidence record and reports those
        left as placeholders: text that starts with TODO, TBC, TBD, FIXME or XXX, text that is
        only dots, an ellipsis or question marks ('...', '…', '?'), and text wrapped in angle
        brackets such as '<name of funder>' (an address such as '<https://...>' is not one).

    Why it matters:
        A placeholder is a value nobody has written yet. It passes the format, so without this
        check a skeleton from `hls-audit init` or a half-filled record would audit as complete.

    Example:
        case_study:
          title: "TODO: the case study's title"     # HLS108 at case_study.title

    Fix:
        Write the real value, or remove the key if it is optional and does not apply.
    """
    for item in placeholders(ctx.case):
        yield Hit(
            item.message,
            item.location,
            claim=item.claim,
            source=item.source,
            hint=PLACEHOLDER_HINT,
        )
