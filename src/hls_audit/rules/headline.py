"""Checks on each headline: does the counted total prove it, and is the total corroborated."""

from __future__ import annotations

from collections.abc import Iterator

from hls_audit.analysis.reconcile import FAILED, NOT_PROVEN, PROVEN, Reconciliation
from hls_audit.core.money import QUALIFIER_WORDS, format_gbp
from hls_audit.engine.findings import Hit, Severity
from hls_audit.rules.base import Context, check


def _claim(rec: Reconciliation) -> str:
    h = rec.headline
    return f"{h.id} '{QUALIFIER_WORDS[h.relation]}{format_gbp(h.value, h.currency)}'"


def _range(rec: Reconciliation) -> str:
    t = rec.total
    low = ("more than " if t.lower_open else "") + format_gbp(t.lower)
    return f"{format_gbp(t.central)} (range {low} to {format_gbp(t.upper)})"


@check(
    "HLS401",
    "headline-not-proven",
    Severity.warning,
    "The counted total reaches the headline only at its central or upper value.",
)
def headline_not_proven(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        The counted total reaches the headline at its central or upper value but not at its lower
        bound. The message names the break-even the approximate amounts must reach.

    Why it matters:
        "More than £169m" built on "~£18m" holds only if the approximate figure is at the top of
        its range; an auditor should see exactly how much rests on it.

    Example:
        H1 more than 169000000; counted total 169200000, range 168200000-180200000   # HLS401

    Fix:
        Firm up the approximate figures with their sources (or record a narrower `tolerance`), or
        soften the headline.
    """
    for rec in ctx.reconciliations:
        if rec.included and rec.verdict == NOT_PROVEN:
            yield Hit(
                f"{_claim(rec)} is not proven: the counted total is {_range(rec)}"
                + (f"; {rec.break_even}" if rec.break_even else ""),
                rec.location,
                claim=rec.headline.id,
                hint="firm up the approximate figures with their sources, or soften the headline",
            )


@check(
    "HLS402",
    "headline-failed",
    Severity.error,
    "Even the upper bound of the counted total does not reach the headline.",
)
def headline_failed(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Even the upper bound of the counted total does not reach the headline.

    Why it matters:
        The headline is not supported by the amounts recorded: either an amount is missing or the
        headline overstates.

    Example:
        H1 more than 169000000; counted total 99200000   # HLS402

    Fix:
        Record the missing amounts (with role: counted), or correct the headline.
    """
    for rec in ctx.reconciliations:
        if rec.included and rec.verdict == FAILED:
            yield Hit(
                f"{_claim(rec)} fails: the counted total is only {_range(rec)}, "
                f"{format_gbp(abs(rec.margin))} " + ("short" if rec.margin < 0 else "off"),
                rec.location,
                claim=rec.headline.id,
                hint="restore the missing amounts, or correct the headline figure",
            )


@check(
    "HLS403",
    "headline-uncorroborated",
    Severity.warning,
    "The headline holds on the claimed total but not on the corroborated total.",
)
def headline_uncorroborated(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        The headline holds on the claimed total but not on the corroborated total: some counted
        amounts cite a source that is missing.

    Why it matters:
        A headline must not rest on an amount nobody can check.

    Example:
        C41 cites E10, but evidence/E10.yaml was deleted   # HLS403 (with HLS102)

    Fix:
        Restore the records or citations of the amounts named.
    """
    for rec in ctx.reconciliations:
        if not rec.included or rec.verdict == FAILED:
            continue
        if rec.corroborated_verdict != PROVEN and rec.uncorroborated:
            yield Hit(
                f"{_claim(rec)} rests on amounts whose evidence is not all present: "
                f"{', '.join(rec.uncorroborated)}; corroborated total "
                f"{format_gbp(rec.corroborated_total.central)}",
                rec.location,
                claim=rec.headline.id,
                hint="add the missing records or citations for those claims",
            )


@check("HLS404", "headline-without-amounts", Severity.error, "No counted amount feeds a headline.")
def headline_without_amounts(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A headline has no counted amounts behind it.

    Why it matters:
        Then the headline is asserted, not computed.

    Example:
        headlines: [{id: H1, ...}]; no amount has role: counted   # HLS404

    Fix:
        Mark the amounts that make up the headline `role: counted` and `headline: H1`.
    """
    for rec in ctx.reconciliations:
        if not rec.included:
            yield Hit(
                f"{_claim(rec)} has no counted amounts behind it",
                rec.location,
                claim=rec.headline.id,
                hint="mark the amounts that make it up with role: counted and headline: "
                f"{rec.headline.id}",
            )
