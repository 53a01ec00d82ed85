"""Draft a claims.yaml (and evidence record stubs) from a case study's narrative."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
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
from hls_audit.profiles import PROFILES
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
    grant: dict[str, Any] = {
        "id": entry.id,
        "funder": funder,
        "principal_investigator": person,
        "period": _month_period(entry.text),
        "value": _number(money[0].value),
        "currency": money[0].currency,
        "stated": money[0].text,
    }
    if number := _GRANT_NUMBER.search(entry.text):
        grant["number"] = number["ukri"] or number["given"]
    grant["reviewed"] = False
    return grant


# A funder's grant reference: the research councils' "ES/P000000/1" shape, or what follows
# "grant number", "grant no." or "grant reference".
_GRANT_NUMBER = re.compile(
    r"\b(?P<ukri>[A-Z]{1,4}/[A-Z0-9]{4,12}/[0-9]{1,3})\b|"
    r"\bgrant\s+(?:number|no\.?|ref(?:erence)?\.?)\s*[:#]?\s*(?P<given>[A-Za-z0-9][\w/.-]{2,40}[A-Za-z0-9])",
    re.IGNORECASE,
)


# Why an amount gets its role, read from its clause (the words between it and its neighbours in
# the sentence). Only money of the kind a headline counts is drafted counted; everything else is
# context unless the words say saving, so a draft never adds a market size to a total.
_SAVING = re.compile(
    r"\bsav(?:e|es|ed|ing|ings)\b|\breduc\w*\s+(?:\w+\s+){0,2}costs?\b|\bcosts?\s+"
    r"(?:were\s+|was\s+)?(?:reduc|cut)\w*|\bcut\w*\s+(?:\w+\s+){0,2}costs?\b|"
    r"\bcost[- ]avoid\w*|\bavoided\b|\befficienc(?:y|ies)\s+(?:gains?|savings?)",
    re.IGNORECASE,
)
_CONTEXT = re.compile(
    r"\bmarkets?\b|\bturnover\b|\bsales\b|\brevenues?\b|\bincome\b|\bprofits?\b|"
    r"\bcosts?\b|\bcosting\b|\bloss(?:es)?\b|\bGDP\b|\bGVA\b|\bexports?\b|\beconom\w*|"
    r"\bgenerat\w*|\bsalar\w*|\bprices?\b|\bfines?\b|\bdebts?\b|\btax\w*|\bbenefits?\b|"
    r"\bspend(?:s|ing)?\b|\bspent\b|\bworth\b|\bvalued\b|\bsize\b|\bindustry\b|\bsector\b|"
    r"\bglobal\b|\bworldwide\b|\branged?\b|\bambitions?\b|\btargets?\b|\bscheme\b|"
    r"\bpotential\w*|\bforecast\w*",
    re.IGNORECASE,
)
_COUNTED = re.compile(
    r"\bfund(?:s|ed|ing)\b|\binvest(?:s|ed|ing|ments?)?\b|\bbudgets?\b|\ballocat\w*|"
    r"\bcommission\w*|\bawarded?\b|\bgrants?\b|\bcontracts?\b|\bdistribut\w*|"
    r"\bmanaged?\b|\bdisburs\w*|\bprocure\w*",
    re.IGNORECASE,
)
_RESEARCH_FUNDING = re.compile(
    r"\bresearch\s+(?:grants?|funding|council)|\b(?:ESRC|EPSRC|AHRC|BBSRC|MRC|NERC|STFC|UKRI|"
    r"NIHR|ERC|Leverhulme|Wellcome|Horizon\s+2020|British\s+Academy|Nuffield)\b|"
    r"\bfollow[- ]on\s+fund|\bresearch\s+(?:projects?|programmes?)\b|\bknowledge[- ]exchange\b",
    re.IGNORECASE,
)
# Words that put an amount inside a larger one stated just before it (or, "of the", just after).
_PART_SENTENCE = re.compile(r"\b(?:one|an|for)\s+example\b|\bsuch\s+as\b", re.IGNORECASE)
_PART_BEFORE = re.compile(
    r"(?:\bof\s+which|\bincluding|\bincludes?|\bpart\s+of|\bwithin|\bout\s+of|"
    r"\b(?:initial|first|opening)(?:\s+\S+)?)\s*(?:\S+\s*)?\Z",
    re.IGNORECASE,
)
_PART_AFTER = re.compile(r"\A\W{0,3}(?:\w+\s+){0,4}?(?:part\s+of|within|from)\b", re.I)
_OF_THE = re.compile(r"\A\s*(?:\w+\s+)?of\s+(?:the|a|an|its|their|this)\s+\Z", re.I)
_REACH = 90  # characters either side of a figure that its clause can take


def _cue(pattern: re.Pattern[str], text: str) -> str | None:
    found = pattern.search(text)
    return " ".join(found[0].split()) if found else None


@dataclass
class _Drafted:
    """One money mention on its way to a claim: its role, why, and the amount it is inside."""

    mention: MoneyMention
    section: str
    role: str
    reason: str
    parent: MoneyMention | None = None
    restated: list[str] = field(default_factory=list)


def _clause(narrative: Narrative, mention: MoneyMention) -> tuple[str, str, list[MoneyMention]]:
    """The words before and after a figure in its clause, and the sentence's other figures."""
    start, end = sentence_span(narrative.text, mention.start)
    others = [m for m in narrative.money if start <= m.start < end and m is not mention]
    left = max([start, mention.start - _REACH] + [m.end for m in others if m.end <= mention.start])
    right = min([end, mention.end + _REACH] + [m.start for m in others if m.start >= mention.end])
    before = narrative.text[left : mention.start]
    after = narrative.text[mention.end : right]
    before = re.split(r"[;:]", before)[-1]
    after = re.split(r"[;:]|\.\s", after)[0]
    return _MARKER.sub("", before), _MARKER.sub("", after), others


def _paragraph(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n\n", 0, offset)
    end = text.find("\n\n", offset)
    return (0 if start < 0 else start), (len(text) if end < 0 else end)


def _quote(words: str) -> str:
    return "'" + " ".join(words.split())[:60] + "'"


def _classify(
    narrative: Narrative, mention: MoneyMention, section: str, cites_grant: bool
) -> tuple[str, str]:
    """(role, reason) for a figure from its clause alone; parts are found afterwards."""
    before, after, _ = _clause(narrative, mention)
    clause = before + " " + after
    where = f"in section {section}"
    word = _cue(_SAVING, clause)
    if word:
        return "saving", f"saving: {_quote(word)} {where}"
    if narrative.section_of(mention.start) in narrative.template.research_sections or (
        cites_grant or _RESEARCH_FUNDING.search(clause)
    ):
        return "grant", f"grant: research funding {where}; never added to impact funding"
    word = _cue(_CONTEXT, clause)
    if word:
        return (
            "context",
            f"context: {_quote(word)} {where}; not money under the approach",
        )
    if mention.per:
        return "context", f"context: a figure per {mention.per} {where}"
    word = _cue(_COUNTED, clause)
    if word and section.split(".")[0] in (
        narrative.template.number_of("details"),
        narrative.template.number_of("summary"),
    ):
        return "counted", f"counted: {_quote(word)} {where}"
    return "context", f"context: nothing in its clause ties it to funding {where}"


def _parent(narrative: Narrative, item: _Drafted, counted: list[MoneyMention]) -> str | None:
    """The larger counted figure this one sits inside, with the words that say so."""
    mention = item.mention
    before, after, others = _clause(narrative, mention)
    start, _ = sentence_span(narrative.text, mention.start)
    sentence_before = _MARKER.sub("", narrative.text[start : mention.start])
    word = _cue(_PART_SENTENCE, sentence_before) or _cue(_PART_BEFORE, before)
    word = word or _cue(_PART_AFTER, after)
    para_start, para_end = _paragraph(narrative.text, mention.start)
    larger = [
        m
        for m in counted
        if m is not mention
        and m.currency == mention.currency
        and m.value is not None
        and mention.value is not None
        and m.value > mention.value
        and para_start <= m.start < para_end
    ]
    if word:
        earlier = [m for m in larger if m.start < mention.start]
        if earlier:
            item.parent = earlier[-1]
            return word
    following = [m for m in larger if m.start > mention.end and m in others]
    if following and _OF_THE.match(narrative.text[mention.end : following[0].start]):
        item.parent = following[0]
        return "of the"
    return None


def _headline(narrative: Narrative) -> MoneyMention | None:
    summary = narrative.template.number_of("summary")
    candidates = [
        m
        for m in narrative.money
        if narrative.section_of(m.start) == summary and m.value is not None and not m.per
    ]
    candidates = [
        m for m in candidates if _classify(narrative, m, summary, False)[0] not in ("saving",)
    ]
    bounded = [m for m in candidates if m.qualifier is not Qualifier.exact]
    if bounded:
        return bounded[0]
    tied = [m for m in candidates if _classify(narrative, m, summary, False)[0] == "counted"]
    return tied[0] if tied else None


def draft(
    narrative: Narrative, source_name: str, narrative_path: str | None = None
) -> tuple[dict[str, Any], list[RegisterEntry]]:
    """A claims.yaml document as data, and the register entries the text lists or cites.

    Everything drafted carries ``reviewed: false`` and every amount a ``note`` saying why it
    has its role. ``narrative_path`` is the text's path relative to the claims file, when it
    can be given (``None`` leaves ``narrative:`` out)."""
    data: dict[str, Any] = {"version": 1}
    if narrative.template.name in PROFILES:
        data["profile"] = narrative.template.name
    if narrative_path:
        data["narrative"] = narrative_path
    data["case_study"] = _case_study(narrative)
    headline = _headline(narrative)
    headline_sections: list[str] = []
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
    details = narrative.template.number_of("details")
    summary = narrative.template.number_of("summary")
    lists = narrative.template.numbers("references", "sources")  # they repeat the figures
    drafted: list[_Drafted] = []
    evidence_of: dict[int, list[Any]] = {}
    for mention in narrative.money:
        section = narrative.section_of(mention.start) or details
        if section.split(".")[0] in lists or section == HEADER:
            continue
        if (
            headline is not None
            and mention.value == headline.value
            and mention.qualifier == headline.qualifier
        ):
            headline_sections.append(section)
            continue
        markers, _ = nearby_markers(narrative, mention)
        evidence: list[Any] = []
        cites_grant = False
        for marker in markers:
            for cite in marker.ids:
                cites_grant = cites_grant or cite.kind == "grant"
                cited = named.get((cite.kind or "", cite.entry or ""), cite.entry or cite.source)
                item: Any = {"source": cited, "pages": cite.pages} if cite.pages else cited
                if item not in evidence:
                    evidence.append(item)
        evidence_of[id(mention)] = evidence
        if mention.unquantified:
            role, reason = "unquantified", "unquantified: money stated without a figure"
        else:
            role, reason = _classify(narrative, mention, section, cites_grant)
        drafted.append(_Drafted(mention, section, role, reason))
    # Restatements: the same figure again is one claim, kept where the details state it.
    kept: list[_Drafted] = []
    for item in drafted:
        m = item.mention
        same = next(
            (
                k
                for k in kept
                if m.value is not None
                and k.mention.value == m.value
                and k.mention.currency == m.currency
                and k.mention.per == m.per
                and (k.mention.qualifier == m.qualifier or summary in (k.section, item.section))
            ),
            None,
        )
        if same is None:
            kept.append(item)
            continue
        if same.section == summary and item.section != summary:
            item.restated.append(same.section)
            item.restated.extend(same.restated)
            kept[kept.index(same)] = item
        else:
            same.restated.append(item.section)
    counted = [k.mention for k in kept if k.role == "counted"]
    for item in kept:
        if item.role in ("counted", "context") and item.mention.value is not None:
            word = _parent(narrative, item, counted)
            if word and item.parent is not None:
                item.role = "part"
                item.reason = f"{_quote(word)} after {item.parent.text} in section {item.section}"
    ids = {id(k.mention): f"C{n:02d}" for n, k in enumerate(kept, start=1)}
    claims: list[dict[str, Any]] = []
    for item in kept:
        mention = item.mention
        reason = item.reason
        if item.parent is not None:
            reason = f"part of {ids[id(item.parent)]}: {reason}"
        if item.restated:
            reason += "; also stated in section " + ", ".join(dict.fromkeys(item.restated))
        if mention.unquantified:
            amount: dict[str, Any] = {"role": "unquantified", "stated": mention.text}
        else:
            assert mention.value is not None
            amount = {
                "role": item.role,
                "value": _number(mention.value),
                "currency": mention.currency,
            }
            if mention.qualifier is not Qualifier.exact:
                amount["qualifier"] = mention.qualifier.value
            amount["stated"] = mention.text
            if mention.per:
                amount["per"] = mention.per
            if item.role == "counted" and headline is not None:
                amount["headline"] = "H1"
            if item.parent is not None:
                amount["part_of"] = ids[id(item.parent)]
        amount["note"] = reason
        claims.append(
            {
                "id": ids[id(mention)],
                "section": item.section,
                "statement": _statement(narrative, mention),
                "evidence": evidence_of[id(mention)],
                "amount": amount,
                "reviewed": False,
            }
        )
    if headline is not None and headline.value is not None:
        data["headlines"] = [
            {
                "id": "H1",
                "statement": _statement(narrative, headline),
                "relation": headline.qualifier.value,
                "value": _number(headline.value),
                "currency": headline.currency,
                "sections": list(dict.fromkeys([summary, *headline_sections])),
                "reviewed": False,
            }
        ]
    order = ("version", "profile", "narrative", "case_study", "headlines", "grants")
    data = {key: data[key] for key in order if key in data}
    data["claims"] = claims
    return data, register


def claims_yaml(data: dict[str, Any], register: list[RegisterEntry], source_name: str) -> str:
    """The draft as YAML, with a header and the register found in the text as comments."""
    head = [
        "# yaml-language-server: $schema=schema/claims.schema.json",
        f"# Draft made by `hls-audit extract` from {source_name}.",
        "# Review every claim: roles (counted, part, context, saving, grant, unquantified),",
        "# qualifiers and sources are guesses from the text (each amount's note says why), and",
        "# everything drafted is `reviewed: false` until a person has checked it and set it true.",
        "# Add the claims without figures.",
    ]
    if "narrative" not in data:
        head.append(
            f"# The text is outside this folder: copy {source_name} in and name it as"
            " `narrative:` so check reconciles the claims with it."
        )
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


_URL = re.compile(r"https?://[^\s<>\]\)\"']+", re.IGNORECASE)
_DOI = re.compile(r"\b(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/[^\s<>\]\"']+)", re.I)


def _title(entry: RegisterEntry) -> str:
    """The entry's words without its id, links and emphasis; of a source's table row, the
    source's own cell (not its 'link to impact')."""
    text = _URL.sub("", re.sub(r"</?u>|\*+", "", entry.text))
    ids = {entry.id, entry.written.strip(" *.:)[]"), (entry.part_of or "")} - {""}
    cells = [c.strip() for c in text.split("\t") if c.strip()]
    cells = [c for c in cells if c.rstrip(".:)") not in ids]
    text = cells[0] if cells and entry.kind == "source" else " ".join(cells)
    letter = entry.id[len(entry.part_of) :] if entry.part_of else ""
    part = re.search(rf"(?<!\w){re.escape(letter)}\)\s*(.+?)(?:,?\s+and\s+\w\)|$)", text)
    if letter and part:
        text = part[1]
    for name in sorted(ids, key=len, reverse=True):
        text = re.sub(r"^\W*" + re.escape(name) + r"(?![\w])[.:)\]]?", "", text.strip())
    return " ".join(text.split()).strip(" .,;") or entry.id


def record_stub(entry: RegisterEntry, template: Template = GENERIC) -> str:
    kind = "article" if entry.kind == "reference" else "other"
    title = _title(entry)
    lowered = title.lower()
    for word, value in _KINDS.items():
        if word in lowered and entry.kind == "source":
            kind = value
            break
    data: dict[str, Any] = {"id": entry.id, "kind": kind, "title": title[:200]}
    doi = _DOI.search(entry.text)
    url = _URL.search(entry.text)
    if doi:
        data["doi"] = doi[1].rstrip(".,;")
    elif url:
        data["url"] = url[0].rstrip(".,;")
    if entry.part_of:
        data["part_of"] = entry.part_of
    if entry.kind == "reference" and template.kind_of(entry.id) != "reference":
        data["listed_in"] = "references"  # its id does not say so (R1 would)
    data["reviewed"] = False
    header = "# yaml-language-server: $schema=../schema/record.schema.json\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
