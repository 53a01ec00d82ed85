"""The REF 2021 impact case study rules: the checks applying the limits of ``limits.py``."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from hls_audit.analysis.evidence import record_kind
from hls_audit.analysis.reconcile import judge
from hls_audit.core.model import Claim, Period, Role, date_bounds
from hls_audit.core.money import QUALIFIER_WORDS, ZERO, format_gbp
from hls_audit.engine.findings import Hit, Severity
from hls_audit.io.load import LoadedRecord, Located
from hls_audit.io.yaml_source import PathKey
from hls_audit.profiles.ref2021.template import TEMPLATE
from hls_audit.rules.base import Check, Context, check

if TYPE_CHECKING:
    from hls_audit.profiles.base import Profile
    from hls_audit.profiles.ref2021.limits import Ref2021Rules


class NarrativeText(Protocol):
    """What the profile reads of a case study's narrative: its path and its sections' text."""

    @property
    def path(self) -> str: ...

    @property
    def sections(self) -> Mapping[str, str]: ...

    def line_of(self, section: str) -> int: ...


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b} {day.year}"


def _window(window: tuple[dt.date, dt.date]) -> str:
    return f"{_day(window[0])} – {_day(window[1])}"


def _outside(partial: str, low: dt.date, high: dt.date) -> bool:
    """No day a partial date can mean lies in [low, high]: '2013' overlaps 1 Aug 2013 on."""
    first, last = date_bounds(partial)
    return last < low or first > high


def _natural(identifier: str) -> tuple[tuple[int, int | str], ...]:
    """Sort E2 before E10, E5 before E5a."""
    parts = re.split(r"(\d+)", identifier)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def _listed(ctx: Context, kind: str) -> dict[str, LoadedRecord]:
    """Each listed item of a kind (source or reference), sub-parts folded into their parent."""
    items: dict[str, LoadedRecord] = {}
    for loaded in ctx.case.record_ids().values():
        if record_kind(loaded.record, TEMPLATE) != kind:
            continue
        items.setdefault(loaded.record.part_of or loaded.record.id, loaded)
    return {key: items[key] for key in sorted(items, key=_natural)}


def _references(ctx: Context) -> list[LoadedRecord]:
    """Every reference to the research (R...), parts included, in REF order."""
    found = [
        r for r in ctx.case.record_ids().values() if record_kind(r.record, TEMPLATE) == "reference"
    ]
    return sorted(found, key=lambda r: _natural(r.record.id))


def _rules(ctx: Context) -> Ref2021Rules:
    """The limits of the run's profile (REF 2021's own, or a house profile's overrides)."""
    from hls_audit.profiles.ref2021.limits import rules_of

    profile: Profile | None = ctx.profile_value
    if profile is None:
        from hls_audit.profiles import get_profile

        profile = get_profile("ref2021")
    return rules_of(profile)


def _is_impact(section: str) -> bool:
    return section.split(".")[0] not in TEMPLATE.research_sections


@check(
    "HLS801",
    "too-many-sources",
    Severity.error,
    "More than {corroborating_sources_max} corroborating sources; sub-parts (E5a, E5b) count "
    "once as their parent.",
    uses=("corroborating_sources_max",),
)
def too_many_sources(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Counts the corroborating sources (every record that is not a reference R... or a grant
        G...), with sub-parts (E5a, E5b, marked `part_of: E5`) counting once as their parent, and
        reports the first source over the limit of 10.

    Why it matters:
        REF rule: REF 2019/01 Guidance on submissions, Annex G (impact case study template),
        section 5 "Sources to corroborate the impact" allows a maximum of 10 references to
        sources. Several items may be grouped as one source, which is what `part_of` records.

    Example:
        evidence/E1.yaml ... evidence/E11.yaml   # HLS801 at E11: 11 sources, at most 10

    Fix:
        Drop the weakest sources, or group related items as parts of one source (`part_of: E5`
        on E5a and E5b).
    """
    rules = _rules(ctx)
    listed = _listed(ctx, "source")
    if len(listed) <= rules.max_sources:
        return
    keys = list(listed)
    over = keys[rules.max_sources :]
    first = listed[over[0]]
    yield Hit(
        f"{len(keys)} corroborating sources ({', '.join(keys)}); {rules.exercise} allows at most "
        f"{rules.max_sources}, so {', '.join(over)} are over",
        ctx.case.record_at(first, ("id",)),
        source=over[0],
        hint="drop the weakest sources, or group related items as parts of one (part_of: E5)",
    )


@check(
    "HLS802",
    "too-many-references",
    Severity.warning,
    "More than {references_max} references to the research; extra references must be essential.",
    uses=("references_max",),
)
def too_many_references(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Counts the references to the research (records R1, R2 ...; sub-parts count once as their
        parent) and reports the first reference over six.

    Why it matters:
        REF rule: REF 2019/01 Guidance on submissions, Annex G, section 3 "References to the
        research" gives an indicative maximum of six references. More were allowed only where
        essential, so this is a warning, not an error.

    Example:
        evidence/R1.yaml ... evidence/R7.yaml   # HLS802 at R7

    Fix:
        Keep the six outputs that best evidence the research and its quality, or be ready to
        say why each extra reference is essential.
    """
    rules = _rules(ctx)
    listed = _listed(ctx, "reference")
    if len(listed) <= rules.max_references:
        return
    keys = list(listed)
    over = keys[rules.max_references :]
    yield Hit(
        f"{len(keys)} references to the research ({', '.join(keys)}); {rules.exercise} expects "
        f"at most {rules.max_references}, so {', '.join(over)} must each be essential",
        ctx.case.record_at(listed[over[0]], ("id",)),
        source=over[0],
        hint="keep the references that best evidence the research and its quality",
    )


def _period_outside(
    ctx: Context, period: Period, window: tuple[dt.date, dt.date], where: PathKey
) -> Iterator[tuple[str, str, Located]]:
    for end in ("start", "end"):
        value = getattr(period, end)
        if value is not None and _outside(value, *window):
            yield end, value, ctx.case.at((*where, end))


@check(
    "HLS803",
    "research-outside-window",
    Severity.error,
    "The research period or a reference's date lies outside {research_period_start} – "
    "{research_period_end}.",
    uses=("research_period_start", "research_period_end"),
)
def research_outside_window(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        The declared `research_period` (its start or end), or the `date` of a reference to the
        research (R...), lies wholly outside 1 January 2000 – 31 December 2020. A partial date
        is outside only when no day it can mean is inside: `2000` is in, `1999` is out.

    Why it matters:
        REF rule: REF 2019/01 Guidance on submissions (eligibility of impact case studies, and
        Annex G, sections 2 and 3): the underpinning research must have been produced by the
        submitting unit between 1 January 2000 and 31 December 2020. Research outside that
        window cannot underpin the impact, and the case study risks being unclassified.

    Example:
        research_period: {start: "1998", end: "2020"}   # HLS803 at start
        date: "2021"                                     # HLS803 in evidence/R3.yaml

    Fix:
        Correct the date if it is wrong; otherwise rest the case study on research (and
        references) from within the window.
    """
    rules = _rules(ctx)
    window = rules.research_window
    info = ctx.case.data.case_study
    for end, value, where in _period_outside(
        ctx, info.research_period, window, ("case_study", "research_period")
    ):
        yield Hit(
            f"the research period {end}s {value}, outside {rules.exercise}'s window for "
            f"underpinning research ({_window(window)})",
            where,
            hint="underpinning research must be produced within the window",
        )
    for loaded in _references(ctx):
        record = loaded.record
        if record.date is not None and _outside(record.date, *window):
            yield Hit(
                f"{record.id} is dated {record.date}, outside {rules.exercise}'s window for "
                f"underpinning research ({_window(window)})",
                ctx.case.record_at(loaded, ("date",)),
                source=record.id,
                hint="a reference to the research must date from within the window",
            )


@check(
    "HLS804",
    "impact-outside-window",
    Severity.error,
    "The declared impact period lies outside {impact_period_start} – {impact_period_end}.",
    uses=("impact_period_start", "impact_period_end"),
)
def impact_outside_window(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        The start or end of the declared `impact_period` lies wholly outside 1 August 2013 – 31
        December 2020. A partial date is outside only when no day it can mean is inside:
        `2013` overlaps the window, `2012` and `2021` do not.

    Why it matters:
        REF rule: REF 2019/01 Guidance on submissions requires impact to have occurred between
        1 August 2013 and 31 July 2020; REF 2020/02 Guidance on revisions to REF 2021 extended
        the end to 31 December 2020 because of COVID-19. Impact outside the window is not
        eligible.

    Example:
        impact_period: {start: "2019", end: "2021"}   # HLS804 at end

    Fix:
        Correct the period, and describe only impact that occurred within the window.
    """
    rules = _rules(ctx)
    window = rules.impact_window
    for end, value, where in _period_outside(
        ctx, ctx.case.data.case_study.impact_period, window, ("case_study", "impact_period")
    ):
        yield Hit(
            f"the impact period {end}s {value}, outside {rules.exercise}'s impact window "
            f"({_window(window)})",
            where,
            hint="the impact must occur within the window (end extended by REF 2020/02)",
        )


def _declared_impact(ctx: Context) -> tuple[dt.date, dt.date]:
    """The case study's own impact period, falling back to the exercise's where it is open."""
    rules = _rules(ctx)
    period = ctx.case.data.case_study.impact_period
    low, high = rules.impact_window
    if period.start:
        low = date_bounds(period.start)[0]
    if period.end:
        high = date_bounds(period.end)[1]
    return low, high


def _claim_dates(claim: Claim) -> Iterator[tuple[str, str, PathKey]]:
    """Each date a claim gives: its date, its period's start and end, its amount's start."""
    if claim.date:
        yield "is dated", claim.date, ("date",)
    if claim.period:
        if claim.period.start:
            yield "starts", claim.period.start, ("period", "start")
        if claim.period.end:
            yield "ends", claim.period.end, ("period", "end")
    if claim.amount and claim.amount.period and claim.amount.period.start:
        yield "has money from", claim.amount.period.start, ("amount", "period", "start")


@check(
    "HLS805",
    "claim-outside-impact-period",
    Severity.warning,
    "An impact claim is dated outside the case study's own declared impact period.",
    uses=("impact_period_start", "impact_period_end"),
)
def claim_outside_impact_period(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A claim of impact (any section but 2 and 3) gives a `date`, a `period`, or an amount
        whose `period` starts, wholly outside the `impact_period` the case study declares in
        Section A. Partial dates count as outside only when no day they can mean is inside.

    Why it matters:
        House heuristic built on a REF rule: REF 2019/01 Annex G asks Section A to state the
        period when the claimed impact occurred, and panels read the details of the impact
        against it. An event dated before the declared start (a 2018 commission in a case study
        declaring 2019–2020) either widens the period or is not part of the claimed impact.

    Example:
        impact_period: {start: "2019", end: "2020"}
        - id: C23
          section: "4.1"
          date: "2018"          # HLS805

    Fix:
        Widen the declared impact period (within the exercise's impact window) if the impact
        really began earlier, or present the earlier event as context for impact inside the period.
    """
    low, high = _declared_impact(ctx)
    declared = ctx.case.data.case_study.impact_period
    shown = f"{declared.start or _day(low)} – {declared.end or _day(high)}"
    fallback = tuple(  # the exercise's bounds stand in only for an open end
        name
        for name, given in (
            ("impact_period_start", declared.start),
            ("impact_period_end", declared.end),
        )
        if not given
    )
    for index, claim in enumerate(ctx.case.data.claims):
        if not _is_impact(claim.section):
            continue
        outside = [
            (verb, value, loc)
            for verb, value, loc in _claim_dates(claim)
            if _outside(value, low, high)
        ]
        if not outside:
            continue
        said = "; ".join(f"{verb} {value}" for verb, value, _ in outside)
        yield Hit(
            f"{claim.id} {said}, outside the declared impact period ({shown})",
            ctx.case.at(("claims", index, *outside[0][2])),
            claim=claim.id,
            hint="widen impact_period if the impact began then, or present it as context",
            rests_on=fallback,
        )


@dataclass(frozen=True)
class _Unrealised:
    """A counted amount that runs past the impact window, or is expected rather than spent."""

    index: int
    claim: Claim
    headline: str | None
    reasons: tuple[str, ...]
    where: PathKey


def _unrealised(ctx: Context) -> list[_Unrealised]:
    rules = _rules(ctx)
    by_id = {c.id: (i, c) for i, c in enumerate(ctx.case.data.claims)}
    window_end = rules.impact_window[1]
    out: list[_Unrealised] = []
    for line in ctx.lines:
        if not line.included or line.role is not Role.counted or line.claim not in by_id:
            continue
        index, claim = by_id[line.claim]
        amount = claim.amount
        if amount is None:
            continue
        reasons: list[str] = []
        where: PathKey = ("amount",)
        period = amount.period
        base: PathKey = ("amount", "period")
        if period is None:
            period, base = claim.period, ("period",)
        if period is not None and period.end and date_bounds(period.end)[0] > window_end:
            reasons.append(f"runs to {period.end} (after {_day(window_end)})")
            where = (*base, "end")
        if amount.expected:
            reasons.append("is expected rather than spent")
            if len(reasons) == 1:
                where = ("amount", "expected")
        if reasons:
            out.append(_Unrealised(index, claim, line.headline, tuple(reasons), where))
    return out


@check(
    "HLS806",
    "unrealised-money",
    Severity.warning,
    "A counted amount runs past {impact_period_end}, or is expected rather than spent.",
    uses=("impact_period_end",),
)
def unrealised_money(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        An amount counted toward a headline has a period ending after 31 December 2020 (a
        ten-year budget), or is marked `expected: true` (budgeted, not yet spent). Amounts that
        are not counted are left alone.

    Why it matters:
        House heuristic built on a REF rule: only impact that occurred by 31 December 2020 is
        eligible (REF 2019/01 Guidance on submissions; end date extended by REF 2020/02
        Guidance on revisions to REF 2021). Money committed for years after the window, or only
        expected, is a promise of impact, and a panel may discount it from a headline total.

    Example:
        amount: {role: counted, value: 77000000, period: {start: 2019-04, end: 2029-03},
                 expected: true}   # HLS806

    Fix:
        Count only the share spent by the end of 2020 (keep the whole as `role: context`), or
        say in the narrative that the figure is a commitment and check the headline without it
        (HLS807).
    """
    for item in _unrealised(ctx):
        assert item.claim.amount is not None
        value = item.claim.amount.value
        figure = format_gbp(value, item.claim.amount.currency) if value is not None else "money"
        toward = f" toward {item.headline}" if item.headline else ""
        yield Hit(
            f"{item.claim.id} counts {figure}{toward} but {' and '.join(item.reasons)}",
            ctx.case.at(("claims", item.index, *item.where)),
            claim=item.claim.id,
            hint="count only what was spent by the end of the window; keep the rest as context",
        )


@check(
    "HLS807",
    "headline-without-unrealised",
    Severity.info,
    "A headline recomputed without counted money past {impact_period_end} or expected, with "
    "its verdict.",
    uses=("impact_period_end",),
)
def headline_without_unrealised(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        For each headline fed by an amount HLS806 flags, recomputes the counted total without
        those amounts and judges the headline against it (proven, not proven, failed).

    Why it matters:
        House heuristic: a panel that discounts money after 31 December 2020 (REF 2020/02) or
        money only expected sees this total, not the one claimed. Knowing whether the headline
        survives tells the team how much rests on commitments.

    Example:
        H1 without money past 2020 or expected: £87,200,000, failed   # HLS807 (info)

    Fix:
        Nothing to fix on its own; if the headline fails without those amounts, soften it or
        state plainly that it includes commitments.
    """
    rules = _rules(ctx)
    unrealised = _unrealised(ctx)
    left_out = {item.claim.id for item in unrealised}
    year = rules.impact_window[1].year
    for rec in ctx.reconciliations:
        dropped = [line for line in rec.included if line.claim in left_out]
        if not dropped:
            continue
        total = ZERO
        for line in rec.included:
            if line.claim not in left_out and line.interval is not None:
                total = total + line.interval
        h = rec.headline
        verdict = judge(total, h)
        yield Hit(
            f"{h.id} without money past {year} or expected: "
            f"{format_gbp(total.central, h.currency)}, {verdict} (leaves out "
            f"{', '.join(line.claim for line in dropped)}; the headline is "
            f"{QUALIFIER_WORDS[h.relation]}{format_gbp(h.value, h.currency)})",
            rec.location,
            claim=h.id,
            hint="soften the headline, or say in the narrative that it includes commitments",
        )


def _person(name: str) -> tuple[str, str]:
    """(surname, first initial), lower case and unaccented: 'Lowe, T.', 'T. Lowe', 'Toby Lowe'."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).strip()
    if "," in plain:
        surname, given = plain.split(",", 1)
    else:
        words = plain.replace(".", ". ").split()
        if not words:
            return "", ""
        last = words[-1].replace(".", "")
        if len(words) > 1 and last.isalpha() and last.isupper() and len(last) <= 3:
            surname, given = " ".join(words[:-1]), words[-1]  # 'Lowe T'
        else:
            surname, given = words[-1], " ".join(words[:-1])
    surname = re.sub(r"[^\w' -]", "", surname).strip().lower()
    initial = re.sub(r"\W", "", given)[:1].lower()
    return surname, initial


def _employed_in(period: Period, year: int) -> bool:
    """Does an employment period overlap a calendar year?"""
    start = date_bounds(period.start)[0] if period.start else dt.date.min
    end = date_bounds(period.end)[1] if period.end else dt.date.max
    return start <= dt.date(year, 12, 31) and end >= dt.date(year, 1, 1)


@check(
    "HLS808",
    "reference-author-not-staff",
    Severity.warning,
    "A reference has no author among the listed staff employed in the year it is dated.",
)
def reference_author_not_staff(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        For each reference to the research (R...), looks for an author among the staff listed
        in Section A (`case_study.staff`) whose `employed` period overlaps the year of the
        reference's `date`. Names match on surname and first initial ("Lowe, T." is Toby Lowe).
        A reference with no `date` needs only an author among the staff; one with no `authors`
        is reported as unverifiable. Nothing is checked while no staff are listed (HLS812).

    Why it matters:
        REF rule: REF 2019/01 Guidance on submissions requires the underpinning research to have
        been produced by staff while working in the submitting HEI, and Annex G asks Section A
        for the staff and the periods they were employed. A reference with no author employed
        at the time is the first eligibility question a panel or audit will ask.

    Example:
        staff: [{name: Toby Lowe, role: Senior Lecturer, employed: {start: 2018-11-01}}]
        evidence/R1.yaml: authors: [Toby Lowe], date: "2016"   # HLS808

    Fix:
        Add the missing staff member (with the right employment dates) to Section A, correct
        the reference's date or authors, or replace the reference with one produced in the unit.
    """
    staff = ctx.case.data.case_study.staff
    if not staff:
        return
    # Staff by surname, each name normalised once: an author is looked up, not compared with
    # every member of staff in turn.
    by_surname: dict[str, list[tuple[str, int]]] = {}
    for position, member in enumerate(staff):
        surname, initial = _person(member.name)
        if surname:
            by_surname.setdefault(surname, []).append((initial, position))
    for loaded in _references(ctx):
        record = loaded.record
        if not record.authors:
            yield Hit(
                f"{record.id} lists no authors, so who produced it cannot be checked against "
                "the staff",
                ctx.case.record_at(loaded, ("id",)),
                source=record.id,
                hint="add `authors:` as the reference gives them",
            )
            continue
        matched: set[int] = set()
        for author in record.authors:
            surname, initial = _person(author)
            for other, position in by_surname.get(surname, []) if surname else []:
                if not initial or not other or initial == other:
                    matched.add(position)
        ours = [staff[position] for position in sorted(matched)]
        if not ours:
            yield Hit(
                f"{record.id} has no author among the staff listed in Section A "
                f"({', '.join(record.authors)})",
                ctx.case.record_at(loaded, ("authors",)),
                source=record.id,
                hint="list the unit's author under case_study.staff, or correct the authors",
            )
            continue
        if record.date is None:
            continue
        year = date_bounds(record.date)[0].year
        if not any(_employed_in(m.employed, year) for m in ours):
            names = ", ".join(m.name for m in ours)
            yield Hit(
                f"{record.id} is dated {record.date}, but none of its staff authors ({names}) "
                f"was employed in {year}",
                ctx.case.record_at(loaded, ("date",)),
                source=record.id,
                hint="check the employment dates in Section A and the reference's date",
            )


@check(
    "HLS809",
    "internal-source",
    Severity.warning,
    "A corroborating source is the same work as a reference to the research.",
)
def internal_source(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A corroborating source (E...) is marked `same_as` a reference to the research (R...), or
        a reference is marked `same_as` a source.

    Why it matters:
        REF rule: REF 2019/01 Guidance on submissions, Annex G, section 5: sources are there to
        corroborate the impact from outside; the team's own output is evidence of the research,
        not independent corroboration of its impact. Listing it twice also spends one of the
        ten source places.

    Example:
        evidence/E4.yaml: id: E4, same_as: R1   # HLS809

    Fix:
        Cite the reference (R1) for the research and corroborate the impact with an external
        source, such as a user's report or testimony of how the work was used.
    """
    records = ctx.case.record_ids()
    for loaded in records.values():
        record = loaded.record
        other = record.same_as
        if other is None:
            continue
        kinds = (ctx.register.kind_of(record.id), ctx.register.kind_of(other))
        if kinds == ("source", "reference"):
            source, reference = record.id, other
        elif kinds == ("reference", "source"):
            source, reference = other, record.id
        else:
            continue
        yield Hit(
            f"{source} is the same work as {reference}, a reference to the research, so it does "
            "not corroborate the impact from outside",
            ctx.case.record_at(loaded, ("same_as",)),
            source=source,
            hint=f"cite {reference} for the research, and an external source for the impact",
        )


def _individuals(ctx: Context) -> dict[str, list[LoadedRecord]]:
    """Named individuals who provided sources, by name as first written."""
    people: dict[str, list[LoadedRecord]] = {}
    keys: dict[tuple[str, str], str] = {}
    for loaded in ctx.case.record_ids().values():
        provider = loaded.record.provider
        if provider is None or provider.name is None:
            continue
        key = _person(provider.name)
        name = keys.setdefault(key, provider.name)
        people.setdefault(name, []).append(loaded)
    return people


@check(
    "HLS810",
    "named-individual",
    Severity.warning,
    "A source names an individual; the case study should give organisation and role only.",
)
def named_individual(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A source record's `provider` has a `name`: the case study names a person (typically in a
        testimonial's title) instead of identifying them by organisation and role.

    Why it matters:
        REF rule: REF 2019/01 Guidance on submissions, Annex G, section 5: where a source is an
        individual who could be contacted or who provided a factual statement, the case study
        states only their organisation (and, if appropriate, position) and what they can
        corroborate; names and contact details are entered separately in the submission system
        and are not published.

    Example:
        provider: {organisation: Plymouth City Council, role: Director of Public Health,
                   name: A. Person}   # HLS810

    Fix:
        Remove the name from the case study text (title the source by organisation and role),
        and enter the contact details through the submission system; keep the name in your own
        records if you must, and suppress this finding with a reason.
    """
    for loaded in ctx.case.record_ids().values():
        record = loaded.record
        provider = record.provider
        if provider is None or provider.name is None:
            continue
        identity = ", ".join(p for p in (provider.role, provider.organisation) if p)
        yield Hit(
            f"{record.id} names an individual ({provider.name})"
            + (f"; the case study should identify them only as {identity}" if identity else ""),
            ctx.case.record_at(loaded, ("provider", "name")),
            source=record.id,
            hint="identify the person by organisation and role; give contact details separately",
        )


@check(
    "HLS811",
    "too-many-contacts",
    Severity.error,
    "More than {contacts_max} named individuals are given as sources to contact.",
    uses=("contacts_max",),
)
def too_many_contacts(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Counts the distinct individuals named as source providers (`provider.name`; the same
        person in two records counts once) and reports when there are more than five.

    Why it matters:
        REF rule: REF 2019/01 Guidance on submissions, Annex G, section 5: details of at most
        five individuals may be entered for each case study. (Research England's FAQ made clear
        that up to ten testimonials may still be listed as sources; the limit is on the people
        to contact, which is why unnamed testimonials are not counted.)

    Example:
        six records with provider: {name: ...}   # HLS811 at the sixth

    Fix:
        Choose the five people best placed to corroborate the key claims; keep the other
        statements as sources identified by organisation and role.
    """
    rules = _rules(ctx)
    people = _individuals(ctx)
    if len(people) <= rules.max_contacts:
        return
    names = list(people)
    sixth = people[names[rules.max_contacts]][0]
    yield Hit(
        f"{len(names)} individuals are named as sources ({', '.join(names)}); "
        f"{rules.exercise} takes contact details for at most {rules.max_contacts}",
        ctx.case.record_at(sixth, ("provider", "name")),
        source=sixth.record.id,
        hint="keep the five people best placed to corroborate the key claims",
    )


@check(
    "HLS812",
    "section-a-incomplete",
    Severity.error,
    "Section A lacks a title, a unit of assessment 1-{units_of_assessment}, a full period, or "
    "dated staff.",
    uses=("units_of_assessment",),
)
def section_a_incomplete(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Section A (`case_study:`) must give a title, a unit of assessment numbered 1 to 34, a
        research period and an impact period each with a start and an end, and at least one
        member of staff, each with a role and the start of their employment.

    Why it matters:
        REF rule: REF 2019/01 Guidance on submissions, Annex G: the Section A fields are
        mandatory, and REF 2021 had 34 units of assessment. An open period or undated staff
        leaves the eligibility checks (HLS803, HLS804, HLS808) without their anchor.

    Example:
        research_period: {start: "2018"}   # HLS812: no end
        staff: []                           # HLS812

    Fix:
        Fill in the missing field from the case study's Section A.
    """
    rules = _rules(ctx)
    info = ctx.case.data.case_study
    root = ("case_study",)
    if not info.title.strip():
        yield Hit("Section A has no title", ctx.case.at((*root, "title")))
    if not 1 <= info.unit.number <= rules.units:
        yield Hit(
            f"unit of assessment {info.unit.number} does not exist in {rules.exercise} "
            f"(units 1-{rules.units})",
            ctx.case.at((*root, "unit", "number")),
            hint="give the number of the unit the case study is submitted to",
        )
    for field in ("research_period", "impact_period"):
        period: Period = getattr(info, field)
        missing = [end for end in ("start", "end") if getattr(period, end) is None]
        if missing:
            yield Hit(
                f"the {field.replace('_', ' ')} has no {' and no '.join(missing)}",
                ctx.case.at((*root, field)),
                hint="Section A gives both ends of the period",
            )
    if not info.staff:
        yield Hit(
            "Section A lists no staff who conducted the underpinning research",
            ctx.case.at((*root, "staff")),
            hint="list each member of staff with role and employment period",
        )
    for index, member in enumerate(info.staff):
        gaps = []
        if not member.role.strip():
            gaps.append("no role")
        if member.employed.start is None:
            gaps.append("no employment start")
        if gaps:
            yield Hit(
                f"staff member {member.name} has {' and '.join(gaps)}",
                ctx.case.at((*root, "staff", index, "employed")),
                hint="give the period employed by the submitting HEI as Section A shows it",
            )


def _narrative(ctx: Context) -> NarrativeText | None:
    narrative: NarrativeText | None = ctx.narrative
    return narrative


@check(
    "HLS813",
    "section-over-word-limit",
    Severity.warning,
    "A narrative section is longer than its indicative word limit.",
    uses=("summary_words", "research_words", "details_words"),
)
def section_over_word_limit(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        With a narrative, counts the words of the summary (section 1), the underpinning research
        (section 2) and the details of the impact (section 4) against the template's indicative
        limits of 100, 500 and 750 words. Without a narrative it reports nothing.

    Why it matters:
        REF rule, indicative only: REF 2019/01 Guidance on submissions, Annex G gives each
        section an indicative maximum; institutions could exceed one so long as the whole stayed
        within five pages. Hence a warning: an over-long section is allowed but costs space
        elsewhere and may be read as padding.

    Example:
        1. Summary of the impact (indicative maximum 100 words)
        ... 160 words ...   # HLS813

    Fix:
        Tighten the section, or make sure the whole case study still fits in five pages (HLS814).
    """
    rules = _rules(ctx)
    narrative = _narrative(ctx)
    if narrative is None:
        return
    from hls_audit.narrative.sections import word_count

    for limit in rules.word_limits:
        text = narrative.sections.get(limit.section)
        if text is None:
            continue
        count = word_count(text)
        if count > limit.words:
            yield Hit(
                f"section {limit.section} ({limit.title}) has {count} words; the indicative "
                f"maximum is {limit.words}",
                Located(narrative.path, narrative.line_of(limit.section)),
                hint="indicative limits may be exceeded only if the whole fits in "
                f"{rules.page_limit} pages",
            )


@check(
    "HLS814",
    "over-page-estimate",
    Severity.warning,
    "The narrative is estimated (about {words_per_page} words a page) to run past {pages_max} "
    "pages.",
    uses=("pages_max", "words_per_page"),
)
def over_page_estimate(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        With a narrative, adds up the words of sections 1 to 5 (references and sources
        included) and estimates the pages at about 500 words a page; warns when the estimate
        is over five pages. Without a narrative it reports nothing.

    Why it matters:
        The five-page limit is a REF rule (REF 2019/01 Guidance on submissions, Annex G and its
        formatting annex: Arial 11 point, single spacing, 2 cm margins). The estimate is a house
        heuristic: about 500 words fill a page of the REF3 template at minimum formatting; the
        real count depends on tables, headings and figures, so check the laid-out document.

    Example:
        sections 1-5: 2,750 words, about 5.5 pages   # HLS814

    Fix:
        Cut the text (the indicative section limits, HLS813, show where), then check the page
        count of the template itself.
    """
    rules = _rules(ctx)
    narrative = _narrative(ctx)
    if narrative is None:
        return
    present = [s for s in tuple(TEMPLATE.titles) if s in narrative.sections]
    if not present:
        return
    from hls_audit.narrative.sections import word_count

    words = sum(word_count(narrative.sections[s]) for s in present)
    pages = Decimal(words) / rules.words_per_page
    if words > rules.page_limit * rules.words_per_page:
        yield Hit(
            f"sections {present[0]}-{present[-1]} come to {words:,} words, about {pages:.1f} "
            f"pages at ~{rules.words_per_page} words a page; the limit is "
            f"{rules.page_limit} pages",
            Located(narrative.path, narrative.line_of(present[0])),
            hint="an estimate: check the page count of the laid-out template",
        )


@check(
    "HLS815",
    "grant-with-pence",
    Severity.info,
    "A grant value has pence; REF submission data gives whole pounds.",
)
def grant_with_pence(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A grant's `value` has pence (88194.45). The value is reported as it stands; nothing is
        rounded or changed.

    Why it matters:
        House heuristic: REF submission data records research income in whole pounds, so a
        figure with pence in the case study will not match what the institution returned, and
        a reader comparing the two sees a discrepancy for no reason.

    Example:
        grants:
          - id: G1
            value: 88194.45   # HLS815 (info)

    Fix:
        State the grant in whole pounds in the case study (and in `value`), as the institution's
        records give it; or keep the exact figure and suppress this finding.
    """
    for index, grant in enumerate(ctx.case.data.grants):
        if grant.value != grant.value.to_integral_value():
            yield Hit(
                f"{grant.id} is {format_gbp(grant.value, grant.currency)}, with pence; "
                "REF submission data gives whole pounds",
                ctx.case.at(("grants", index, "value")),
                source=grant.id,
                hint="state the grant in whole pounds, as the institution's records do",
            )


@check(
    "HLS816",
    "research-quality-unstated",
    Severity.info,
    "No reference to the research says where it appeared or gives a DOI, and no grant is listed.",
)
def research_quality_unstated(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Looks at the references to the research together: when none of them gives a `venue`
        (the journal, publisher or commissioning body) or a `doi`, and the case study lists no
        grant, it reports once, at the first reference (or at `case_study:` when there is none).

    Why it matters:
        REF rule: REF 2021 required the underpinning research, judged as a body of work, to be
        of at least 2* quality, and section 3 of the template is where a case study shows it:
        peer-reviewed outlets, competitively won grants. With nothing of the kind the panel has
        no indicator to go on. REF 2029 removes the 2* threshold, so its profile switches this
        rule off.

    Example:
        evidence/R1.yaml: title and authors, no venue, no doi; claims.yaml: no grants   # HLS816

    Fix:
        Give each reference its venue and DOI, and list the grants that funded the research.
    """
    references = _references(ctx)
    if ctx.case.data.grants:
        return
    if any(r.record.venue or r.record.doi for r in references):
        return
    if references:
        where = ctx.case.record_at(references[0], ("id",))
        source: str | None = references[0].record.id
    else:
        where, source = ctx.case.at(("case_study",), key=True), None
    yield Hit(
        "no reference to the research gives a venue or a DOI and no grant is listed, so "
        "nothing shows the quality of the underpinning research",
        where,
        source=source,
        hint="give each reference its venue and DOI, and list the grants behind the research",
    )


CHECKS: tuple[Check, ...] = (
    too_many_sources,
    too_many_references,
    research_outside_window,
    impact_outside_window,
    claim_outside_impact_period,
    unrealised_money,
    headline_without_unrealised,
    reference_author_not_staff,
    internal_source,
    named_individual,
    too_many_contacts,
    section_a_incomplete,
    section_over_word_limit,
    over_page_estimate,
    grant_with_pence,
    research_quality_unstated,
)
