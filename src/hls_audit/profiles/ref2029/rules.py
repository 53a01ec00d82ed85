"""The REF 2029 rules that REF 2021 did not have: identifiers of funded research, the word cap
and continued case studies. The REF 2021 rules run too, with REF 2029's limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from hls_audit.analysis.evidence import record_kind
from hls_audit.core.model import SourceKind, date_bounds
from hls_audit.engine.findings import Hit, Severity
from hls_audit.io.load import Located
from hls_audit.profiles.ref2029.identifiers import (
    doi_problem,
    orcid_problem,
    organisation_id_problem,
)
from hls_audit.profiles.ref2029.template import TEMPLATE
from hls_audit.rules.base import Check, Context, check, shown_limit

PUBLISHED = (SourceKind.article, SourceKind.chapter)  # kinds that normally carry a DOI


def _limit(ctx: Context, name: str) -> object:
    """A limit of the run's profile (REF 2029's own, or a house profile's override)."""
    profile = ctx.profile_value
    if profile is None:
        from hls_audit.profiles import get_profile

        profile = get_profile("ref2029")
    return profile.limit(name).value


def _number(ctx: Context, name: str) -> int:
    value = _limit(ctx, name)
    assert isinstance(value, int)
    return value


def _day(ctx: Context, name: str) -> dt.date:
    value = _limit(ctx, name)
    assert isinstance(value, dt.date)
    return value


@check(
    "HLS901",
    "invalid-orcid",
    Severity.error,
    "A staff ORCID iD is not of the form https://orcid.org/0000-0000-0000-000X or fails its "
    "check digit.",
)
def invalid_orcid(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Checks the form of each `orcid:` under `case_study.staff`: four groups of four
        characters (the URL https://orcid.org/ in front is allowed), the last character a check
        digit, 0-9 or X, computed by ISO 7064 MOD 11-2 over the fifteen digits before it.
        Nothing is looked up: a well-formed iD of someone else still passes.

    Why it matters:
        REF 2029 asks for additional data on case studies underpinned by funded research, and
        REF 2021's submission data already carried the researchers' ORCID iDs. A mistyped iD
        links the case study to nobody, or to the wrong person; the check digit catches almost
        every single typo and swapped pair.

    Example:
        staff:
          - name: Dr A Example
            orcid: https://orcid.org/0000-0002-1825-0098   # HLS901: the check digit gives 7

    Fix:
        Copy the iD from the person's ORCID record rather than retyping it.
    """
    for index, member in enumerate(ctx.case.data.case_study.staff):
        if member.orcid is None:
            continue
        problem = orcid_problem(member.orcid)
        if problem:
            yield Hit(
                f"the ORCID iD of {member.name} ({member.orcid}) {problem}",
                ctx.case.at(("case_study", "staff", index, "orcid")),
                hint="copy the iD from the person's ORCID record",
            )


@check(
    "HLS902",
    "invalid-organisation-id",
    Severity.warning,
    "A grant's funder_id is neither a ROR id with a correct checksum nor a GRID id.",
)
def invalid_organisation_id(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Checks the form of each grant's `funder_id`: a ROR id (`0`, six characters of
        Crockford's base 32 and a two-digit checksum, usually written https://ror.org/0...) or a
        GRID id (grid.1234.5), the registry REF 2021's data used and ROR replaced.

    Why it matters:
        REF 2021's grant data identified funders and partners by global research identifiers;
        for REF 2029 these are expected to be ROR ids, though which fields the guidance asks for
        was not confirmed, hence a warning. A malformed id identifies no organisation.

    Example:
        grants:
          - id: G1
            funder_id: https://ror.org/049e6bc11   # HLS902: the checksum should be 10

    Fix:
        Look the funder up on ror.org and copy its id.
    """
    for index, grant in enumerate(ctx.case.data.grants):
        if grant.funder_id is None:
            continue
        problem = organisation_id_problem(grant.funder_id)
        if problem:
            yield Hit(
                f"grant {grant.id}'s funder_id {grant.funder_id!r} {problem}",
                ctx.case.at(("grants", index, "funder_id")),
                hint="look the funder up on ror.org and copy its id",
            )


@check(
    "HLS903",
    "grant-without-number",
    Severity.warning,
    "A grant that funded the research gives no grant number.",
)
def grant_without_number(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Reports each grant under `grants:` that has no `number`, the funder's reference for it.

    Why it matters:
        Case studies underpinned by funded research owe REF 2029 additional data about that
        funding; REF 2021's data asked for each grant's number and amount. Without the number
        the grant cannot be matched to the funder's records.

    Example:
        grants:
          - id: G1
            funder: A research council   # HLS903: no number

    Fix:
        Add `number:` as the award letter gives it (ES/P000000/1).
    """
    for index, grant in enumerate(ctx.case.data.grants):
        if grant.number is None:
            yield Hit(
                f"grant {grant.id} ({grant.funder}) gives no grant number",
                ctx.case.at(("grants", index, "id")),
                hint="add number: as the award letter gives it",
            )


@check(
    "HLS904",
    "malformed-grant-number",
    Severity.error,
    "A grant number is longer than {grant_number_max_length} characters, spans lines, or has "
    "no letter or digit.",
    uses=("grant_number_max_length",),
)
def malformed_grant_number(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Checks each grant's `number`: one line, at most the profile's
        `grant_number_max_length` characters (256), with at least one letter or digit.

    Why it matters:
        REF 2021's submission data took a grant number as text of at most 256 characters; a
        number that runs over, breaks across lines or is only punctuation will not be
        accepted, or will not match the funder's reference.

    Example:
        grants:
          - id: G1
            number: "-"   # HLS904: no letter or digit

    Fix:
        Give the funder's reference exactly, or leave `number` out if there is none (HLS903).
    """
    longest = _number(ctx, "grant_number_max_length")
    for index, grant in enumerate(ctx.case.data.grants):
        number = grant.number
        if number is None:
            continue
        problem = ""
        if len(number) > longest:
            problem = f"has {len(number)} characters; at most {longest} are taken"
        elif "\n" in number or "\r" in number:
            problem = "spans more than one line"
        elif not any(char.isalnum() for char in number):
            problem = "has no letter or digit"
        if problem:
            yield Hit(
                f"grant {grant.id}'s number {problem}",
                ctx.case.at(("grants", index, "number")),
                hint="give the funder's reference for the grant exactly as it is written",
            )


@check(
    "HLS905",
    "invalid-doi",
    Severity.error,
    "A record's doi is not of the form 10.1234/suffix.",
)
def invalid_doi(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Checks the form of each evidence record's `doi`: `10.`, the registrant's number, `/`
        and a suffix, written bare, as `doi:10...` or as https://doi.org/10.... Nothing is
        looked up.

    Why it matters:
        A DOI is how a reader, an auditor or the REF team finds the output a reference names;
        one that is mistyped (a missing prefix, a pasted citation) leads nowhere.

    Example:
        evidence/R2.yaml:
          doi: 1080/09540962.2020.1832738   # HLS905: no "10." prefix

    Fix:
        Copy the DOI from the publisher's page or from doi.org.
    """
    for loaded in ctx.case.records:
        doi = loaded.record.doi
        if doi is None:
            continue
        problem = doi_problem(doi)
        if problem:
            yield Hit(
                f"{loaded.record.id}'s doi {doi!r} {problem}",
                ctx.case.record_at(loaded, ("doi",)),
                source=loaded.record.id,
                hint="copy the DOI from the publisher's page or from doi.org",
            )


@check(
    "HLS906",
    "reference-without-doi",
    Severity.info,
    "A reference to the research that is an article or a chapter gives no DOI.",
)
def reference_without_doi(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Reports each reference to the research of kind `article` or `chapter` that has no
        `doi`. Reports, books and web pages often have none and are not reported.

    Why it matters:
        Journal articles and book chapters nearly always have a DOI, and a reference that gives
        it can be found and checked at once; whether REF 2029's funded-research data asks for
        DOIs was not confirmed, so this is information, not a warning.

    Example:
        evidence/R3.yaml: kind: article, no doi   # HLS906

    Fix:
        Add `doi:` from the publisher's page, or leave it if the output has none.
    """
    for loaded in ctx.case.records:
        record = loaded.record
        if record.doi is None and record.kind in PUBLISHED:
            if record_kind(record, TEMPLATE) != "reference":
                continue
            what = "an article" if record.kind is SourceKind.article else "a chapter"
            yield Hit(
                f"{record.id} is {what} but gives no DOI",
                ctx.case.record_at(loaded, ("id",)),
                source=record.id,
                hint="add doi: from the publisher's page",
            )


@check(
    "HLS907",
    "over-word-cap",
    Severity.warning,
    "The narrative's sections come to more than {words_max} words in all.",
    uses=("words_max",),
)
def over_word_cap(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        With a narrative, adds up the words of every numbered section found (1 to 5, the lists
        of references and sources included, Section A not) and reports when the total is over
        the profile's `words_max`. The message names the sections counted. Without a narrative
        it reports nothing.

    Why it matters:
        A whole-case-study word cap (2,200 words) in place of REF 2021's five pages has been
        reported for REF 2029, but not confirmed from the official guidance, nor which
        sections it covers; the limit is marked unverified until it is. The five-page estimate
        (HLS814) runs as well.

    Example:
        sections 1-5: 2,450 words   # HLS907

    Fix:
        Cut the text; the indicative section limits (HLS813) show where.
    """
    cap = _number(ctx, "words_max")
    narrative = ctx.narrative
    if narrative is None:
        return
    from hls_audit.narrative.sections import word_count

    present = [number for number in TEMPLATE.titles if number in narrative.sections]
    if not present:
        return
    words = sum(word_count(narrative.sections[number]) for number in present)
    if words > cap:
        yield Hit(
            f"sections {', '.join(present)} come to {words:,} words; the cap is {cap:,}",
            Located(narrative.path, narrative.line_of(present[0])),
            hint="cut the text; which sections the cap covers is not yet confirmed",
        )


@check(
    "HLS908",
    "continued-case-study",
    Severity.warning,
    "A continued case study is declared the old way, or has no claim dated "
    "{impact_period_start} – {impact_period_end}.",
    uses=("impact_period_start", "impact_period_end"),
)
def continued_case_study(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Two things about a case study that continues an earlier one:
        `continued_from_2014: true` answers REF 2021's question (continued from REF 2014), so
        it is reported and `continued_from` asked for instead; and a case study with
        `continued_from` set must show impact in the new period, so it is reported when no
        claim's date or period falls within the profile's impact period.

    Why it matters:
        REF 2029's guidance covers how the eligibility periods apply to continued case studies
        (Section 6); its exact terms were not confirmed, but a continued case study is judged on
        the impact that occurred in the new period, not on what REF 2021 already assessed.

    Example:
        case_study:
          continued_from: "REF 2021: Example case study"   # HLS908 when every claim is from 2019

    Fix:
        Name the REF 2021 case study in `continued_from` and give the claims of the new period
        their dates.
    """
    info = ctx.case.data.case_study
    if info.continued_from_2014:
        yield Hit(
            "continued_from_2014 answers REF 2021's question; REF 2029 asks whether the case "
            "study continues one submitted to REF 2021",
            ctx.case.at(("case_study", "continued_from_2014")),
            hint="remove continued_from_2014 and name the REF 2021 case study in continued_from",
        )
    if info.continued_from is None:
        return
    low, high = _day(ctx, "impact_period_start"), _day(ctx, "impact_period_end")
    for claim in ctx.case.data.claims:
        spans = [claim.date] if claim.date else []
        if claim.period is not None:
            spans += [d for d in (claim.period.start, claim.period.end) if d]
        for written in spans:
            first, last = date_bounds(written)
            if first <= high and last >= low:
                return
    yield Hit(
        f"the case study continues {info.continued_from!r}, but no claim is dated within "
        f"{shown_limit(low)} – {shown_limit(high)}",
        ctx.case.at(("case_study", "continued_from")),
        hint="give the claims of the new period their dates",
    )


CHECKS: tuple[Check, ...] = (
    invalid_orcid,
    invalid_organisation_id,
    grant_without_number,
    malformed_grant_number,
    invalid_doi,
    reference_without_doi,
    over_word_cap,
    continued_case_study,
)
