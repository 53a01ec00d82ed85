"""Checks on the suppressions in the settings: expired ones, and ones that cover nothing."""

from __future__ import annotations

from collections.abc import Iterator

from hls_audit.engine.findings import Hit, Severity
from hls_audit.rules.base import Context, check


@check(
    "HLS501",
    "expired-suppression",
    Severity.error,
    "A suppression has passed its expiry date; it no longer silences anything.",
)
def expired_suppression(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A `[[suppress]]` entry's `expires` date is in the past. The finding it covered counts
        again, and this finding says so.

    Why it matters:
        Accepted gaps are accepted for a time; an expiry makes the team look at them again
        instead of carrying them forever.

    Example:
        [[tool.hls-audit.suppress]]
        code = "HLS203"
        source = "R6"
        reason = "Kept for the panel; cited in the next draft"
        expires = 2026-01-31        # HLS501 after that day

    Fix:
        Close the gap, or renew the suppression with a new reason and date.
    """
    for suppression in ctx.suppressions:
        if suppression.expires is not None and suppression.expires < ctx.today:
            subject = suppression.claim or suppression.source
            yield Hit(
                f"the suppression of {suppression.code} for {subject} expired on "
                f"{suppression.expires.isoformat()}",
                suppression.location,
                claim=suppression.claim,
                source=suppression.source,
                hint="close the gap, or renew the suppression with a new reason and expiry",
            )


@check(
    "HLS502",
    "unused-suppression",
    Severity.warning,
    "A suppression matches no finding; the gap it covered is gone or the entry is wrong.",
)
def unused_suppression(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A `[[suppress]]` entry (not expired) silenced no finding in this run.

    Why it matters:
        A stale suppression would silently hide the same gap if it came back, and a mistyped
        one hides nothing while looking as if it did.

    Example:
        [[tool.hls-audit.suppress]]
        code = "HLS203"
        source = "R7"               # HLS502: there is no finding about R7

    Fix:
        Remove the entry, or correct its code, claim or source.
    """
    for index, suppression in enumerate(ctx.suppressions):
        expired = suppression.expires is not None and suppression.expires < ctx.today
        if index not in ctx.used and not expired:
            subject = suppression.claim or suppression.source
            yield Hit(
                f"the suppression of {suppression.code} for {subject} matches no finding",
                suppression.location,
                claim=suppression.claim,
                source=suppression.source,
                hint="remove it, or correct its code, claim or source",
            )
