"""Draft a claims.yaml (and evidence record stubs) from a case study's narrative."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

import yaml

from hls_audit.core.money import Qualifier
from hls_audit.narrative.analysis import Narrative
from hls_audit.narrative.header import header_fields, staff_rows
from hls_audit.narrative.money import MoneyMention
from hls_audit.narrative.reconcile import nearby_markers
from hls_audit.narrative.register import RegisterEntry
from hls_audit.narrative.sections import HEADER
from hls_audit.narrative.sentences import sentence_span
from hls_audit.profiles.template import GENERIC, Template

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
)}  # fmt: skip
_MONTH_YEAR = re.compile(r"([A-Za-z]{3})[a-z]*\.?\s+(\d{4})")
_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})|(\d{1,2})/(\d{4})|(\d{4})")
_YEARS = re.compile(r"(\d{4})\s*[-–]\s*(\d{4}|present)", re.IGNORECASE)
_UNIT = re.compile(r"(\d{1,2})\s*\(([^)]+)\)")
_MARKER = re.compile(r"\s*\\?\[[^\[\]\n]*\\?\]")
_KINDS = {
    "testimonial": "testimonial",
    "transcript": "transcript",
    "tender": "tender",
    "case study": "case-study",
    "strategy": "strategy",
    "briefing": "briefing",
    "manifesto": "manifesto",
    "guide": "guide",
    "report": "report",
}


def _number(value: Decimal) -> int | str:
    return int(value) if value == value.to_integral_value() else str(value)


def _partial(text: str) -> str | None:
    match = _DAY.search(text)
    if not match:
        return None
    if match[1]:
        return f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}"
    if match[4]:
        return f"{match[5]}-{int(match[4]):02d}"
    return match[6]


def _period(text: str) -> dict[str, str]:
    parts = re.split(r"\s*[-–]\s*", text.strip(), maxsplit=1)
    out: dict[str, str] = {}
    first = _partial(parts[0]) if parts else None
    if first:
        out["start"] = first
    if len(parts) > 1 and not parts[1].lower().startswith("present"):
        last = _partial(parts[1])
        if last:
            out["end"] = last
    return out


def _month_period(text: str) -> dict[str, str]:
    found = _MONTH_YEAR.findall(text)
    out: dict[str, str] = {}
    for key, (month, year) in zip(("start", "end"), found, strict=False):
        number = _MONTHS.get(month[:3].lower())
        if number:
            out[key] = f"{year}-{number:02d}"
    return out


def _case_study(narrative: Narrative) -> dict[str, Any]:
    fields = {f.key: f.value for f in header_fields(narrative.text, narrative.template)}
    unit = _UNIT.search(fields.get("unit", ""))
    info: dict[str, Any] = {
        "title": fields.get("title") or "TODO: title of the case study",
        "institution": fields.get("institution") or "TODO: institution",
        "unit": {"number": int(unit[1]), "name": unit[2].strip()}
        if unit
        else {"number": 1, "name": "TODO: unit of assessment"},
    }
    for key in ("research_period", "impact_period"):
        years = _YEARS.search(fields.get(key, ""))
        period: dict[str, str] = {}
        if years:
            period["start"] = years[1]
            if years[2].isdigit():
                period["end"] = years[2]
        info[key] = period
    info["continued_from_2014"] = fields.get("continued", "").strip().upper().startswith("Y")
    staff = []
    for row in staff_rows(narrative.text, narrative.template):
        staff.append({"name": row.name, "role": row.role, "employed": _period(row.period)})
    if staff:
        info["staff"] = staff
    return info


def _statement(narrative: Narrative, mention: MoneyMention) -> str:
    start, end = sentence_span(narrative.text, mention.start)
    sentence = _MARKER.sub("", narrative.text[start:end])
    return " ".join(sentence.replace("*", "").split()) or mention.text


def _grant(entry: RegisterEntry, narrative: Narrative) -> dict[str, Any] | None:
    money = [m for m in narrative.money if entry.start <= m.start < entry.end and m.value]
    if not money or money[0].value is None:
        return None
    pieces = [p.strip() for p in re.sub(r"^\s*\w+[.)]\s*", "", entry.text).split(",")]
    person = pieces[1] if len(pieces) > 2 and pieces[0].upper() == "PI" else "TODO"
    funder = pieces[2] if len(pieces) > 3 and pieces[0].upper() == "PI" else "TODO"
    return {
        "id": entry.id,
        "funder": funder,
        "principal_investigator": person,
        "period": _month_period(entry.text),
        "value": _number(money[0].value),
        "currency": money[0].currency,
        "stated": money[0].text,
    }


def draft(narrative: Narrative, source_name: str) -> tuple[dict[str, Any], list[RegisterEntry]]:
    """A claims.yaml document as data, and the register entries the text lists or cites."""
    data: dict[str, Any] = {"version": 1, "case_study": _case_study(narrative)}
    headline_mentions = [
        m
        for m in narrative.money
        if narrative.section_of(m.start) == narrative.template.number_of("summary")
        and m.value is not None
        and m.qualifier in (Qualifier.more_than, Qualifier.at_least, Qualifier.about)
    ]
    headline = headline_mentions[0] if headline_mentions else None
    if headline is not None and headline.value is not None:
        data["headlines"] = [
            {
                "id": "H1",
                "statement": _statement(narrative, headline),
                "relation": headline.qualifier.value,
                "value": _number(headline.value),
                "currency": headline.currency,
                "sections": [narrative.template.number_of("summary")],
            }
        ]
    named = _unique_ids(narrative.register)
    renamed = [
        replace(e, id=named[e.kind, e.id], part_of=named.get((e.kind, e.part_of or ""), e.part_of))
        for e in narrative.register
    ]
    parents = {e.part_of for e in renamed if e.part_of}
    register = [e for e in renamed if e.id not in parents]
    grants = [g for e in register if e.kind == "grant" and (g := _grant(e, narrative))]
    if grants:
        data["grants"] = grants
    claims: list[dict[str, Any]] = []
    details = narrative.template.number_of("details")
    lists = narrative.template.numbers("references", "sources")  # they repeat the figures
    for mention in narrative.money:
        section = narrative.section_of(mention.start) or details
        if section.split(".")[0] in lists or section == HEADER:
            continue
        if (
            headline is not None
            and mention.value == headline.value
            and mention.qualifier == headline.qualifier
        ):
            continue
        markers, _ = nearby_markers(narrative, mention)
        evidence: list[Any] = []
        for marker in markers:
            for cite in marker.ids:
                cited = named.get((cite.kind or "", cite.entry or ""), cite.entry or cite.source)
                item: Any = {"source": cited, "pages": cite.pages} if cite.pages else cited
                if item not in evidence:
                    evidence.append(item)
        if mention.unquantified:
            amount: dict[str, Any] = {"role": "unquantified", "stated": mention.text}
        else:
            assert mention.value is not None
            role = (
                "context"
                if mention.per
                else ("counted" if section.split(".")[0] == details else "context")
            )
            amount = {"role": role, "value": _number(mention.value), "currency": mention.currency}
            if mention.qualifier is not Qualifier.exact:
                amount["qualifier"] = mention.qualifier.value
            amount["stated"] = mention.text
            if mention.per:
                amount["per"] = mention.per
            if role == "counted" and headline is not None:
                amount["headline"] = "H1"
        claims.append(
            {
                "id": f"C{len(claims) + 1:02d}",
                "section": section,
                "statement": _statement(narrative, mention),
                "evidence": evidence,
                "amount": amount,
            }
        )
    data["claims"] = claims
    return data, register


def claims_yaml(data: dict[str, Any], register: list[RegisterEntry], source_name: str) -> str:
    """The draft as YAML, with a header and the register found in the text as comments."""
    head = [
        "# yaml-language-server: $schema=schema/claims.schema.json",
        f"# Draft made by `hls-audit extract` from {source_name}.",
        "# Review every claim: roles (counted, part, context, saving, grant, unquantified),",
        "# qualifiers and sources are guesses from the text. Add the claims without figures.",
    ]
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    tail = ["", "# Register found in the text (one evidence/<ID>.yaml record each):"]
    tail += [f"#   {e.id} ({e.kind}): {e.text[:90]}" for e in register]
    return "\n".join(head) + "\n" + body + "\n".join(tail) + "\n"


_LIST_PREFIX = {"reference": "R", "source": "S", "grant": "G"}


def _unique_ids(entries: list[RegisterEntry]) -> dict[tuple[str, str], str]:
    """(kind, id) -> the id the draft gives it. Ids are the case study's own; where two lists
    use the same one (references and sources both numbered 1, 2, 3), each takes its list's
    letter (R1, S1), so every record has its own file and every marker its own record."""
    kinds: dict[str, set[str]] = {}
    for entry in entries:
        kinds.setdefault(entry.id, set()).add(entry.kind)
    named: dict[tuple[str, str], str] = {}
    for entry in entries:
        shared = len(kinds[entry.id]) > 1
        prefix = _LIST_PREFIX[entry.kind]
        joiner = "" if entry.id[:1].isdigit() else "-"
        named[entry.kind, entry.id] = f"{prefix}{joiner}{entry.id}" if shared else entry.id
    return named


def record_stub(entry: RegisterEntry, template: Template = GENERIC) -> str:
    kind = "article" if entry.kind == "reference" else "other"
    lowered = entry.text.lower()
    for word, value in _KINDS.items():
        if word in lowered and entry.kind == "source":
            kind = value
            break
    data: dict[str, Any] = {"id": entry.id, "kind": kind, "title": entry.text[:200] or entry.id}
    if entry.part_of:
        data["part_of"] = entry.part_of
    if entry.kind == "reference" and template.kind_of(entry.id) != "reference":
        data["listed_in"] = "references"  # its id does not say so (R1 would)
    header = "# yaml-language-server: $schema=../schema/record.schema.json\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
