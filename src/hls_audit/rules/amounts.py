"""Checks on the money: parts and wholes, currencies, roles and headlines of each amount."""

from __future__ import annotations

from collections.abc import Iterator

from hls_audit.core.model import Claim, Role
from hls_audit.core.money import ZERO, Interval, format_gbp, interval
from hls_audit.engine.findings import Hit, Severity
from hls_audit.rules.base import Context, check


def _money_claims(ctx: Context) -> Iterator[tuple[int, Claim]]:
    for index, claim in enumerate(ctx.case.data.claims):
        if claim.amount is not None:
            yield index, claim


@check(
    "HLS301",
    "unknown-part-of",
    Severity.error,
    "An amount's part_of names no claim, or a claim that states no figure.",
)
def unknown_part_of(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        An amount's `part_of` names no claim, or a claim that states no figure.

    Why it matters:
        A part is shown but never added because its whole is counted; if the whole does not exist
        the part's money is silently lost from the audit.

    Example:
        amount: {role: part, value: 675000, part_of: C99}   # HLS301

    Fix:
        Point `part_of` at the claim whose amount contains this one.
    """
    by_id = {c.id: c for c in ctx.case.data.claims}
    for index, claim in _money_claims(ctx):
        assert claim.amount is not None
        whole_id = claim.amount.part_of
        if whole_id is None:
            continue
        whole = by_id.get(whole_id)
        where = ctx.case.at(("claims", index, "amount", "part_of"))
        if whole is None:
            yield Hit(
                f"{claim.id} is part of {whole_id}, which is not a claim",
                where,
                claim=claim.id,
                hint="part_of names the claim whose amount contains this one",
            )
        elif whole.amount is None or whole.amount.value is None:
            yield Hit(
                f"{claim.id} is part of {whole_id}, which states no figure",
                where,
                claim=claim.id,
                hint="point part_of at the claim that carries the containing amount",
            )


@check("HLS302", "part-of-cycle", Severity.error, "Amounts are parts of each other in a loop.")
def part_of_cycle(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Following `part_of` from an amount leads back to itself.

    Why it matters:
        A loop means no amount is the whole; the arithmetic has no anchor.

    Example:
        C2: {role: part, part_of: C4}
        C4: {role: part, part_of: C2}   # HLS302

    Fix:
        Make the containing amount a counted (or context) amount without `part_of`.
    """
    parent = {c.id: c.amount.part_of for c in ctx.case.data.claims if c.amount and c.amount.part_of}
    first: dict[str, int] = {}  # where each id first states an amount: where its loop is reported
    for index, claim in _money_claims(ctx):
        first.setdefault(claim.id, index)
    # Colour marking: every id is walked once. ON_PATH ids belong to the walk under way; reaching
    # one again closes a loop. DONE ids were settled by an earlier walk, looped or not.
    on_path, done = 1, 2
    state: dict[str, int] = {}
    loops: list[tuple[int, list[str]]] = []
    for start in first:
        if start in state:
            continue
        path: list[str] = []
        position: dict[str, int] = {}
        current: str | None = start
        while current is not None and current not in state:
            state[current] = on_path
            position[current] = len(path)
            path.append(current)
            current = parent.get(current)
        if current is not None and state[current] == on_path:
            loop = path[position[current] :]
            # Told from the member that comes first in the file, as one reads it.
            turn = min(range(len(loop)), key=lambda i: first[loop[i]])
            loop = loop[turn:] + loop[:turn]
            loops.append((first[loop[0]], loop))
        for node in path:
            state[node] = done
    for index, loop in sorted(loops):
        yield Hit(
            "part_of forms a loop: " + " → ".join([*loop, loop[0]]),
            ctx.case.at(("claims", index, "amount", "part_of")),
            claim=loop[0],
            hint="an amount cannot contain, through its parts, itself",
        )


@check(
    "HLS303",
    "parts-exceed-whole",
    Severity.error,
    "The parts of an amount add up to more than the amount itself.",
)
def parts_exceed_whole(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        The parts of an amount add up to more than the amount (lower bound of the parts above the
        upper bound of the whole).

    Why it matters:
        Parts larger than their whole mean a figure is wrong or a part belongs elsewhere.

    Example:
        C29: 7700000; C31: {role: part, value: 8000000, part_of: C29}   # HLS303

    Fix:
        Check the figures against the sources, and which whole each part belongs to.
    """
    by_id = {c.id: (i, c) for i, c in enumerate(ctx.case.data.claims)}
    parts: dict[str, list[Claim]] = {}
    for _, claim in _money_claims(ctx):
        assert claim.amount is not None
        if claim.amount.part_of and claim.amount.value is not None:
            parts.setdefault(claim.amount.part_of, []).append(claim)
    for whole_id, members in parts.items():
        if whole_id not in by_id:
            continue
        index, whole = by_id[whole_id]
        if whole.amount is None or whole.amount.value is None:
            continue
        whole_span = interval(whole.amount.value, whole.amount.qualifier, whole.amount.tolerance)
        total: Interval = ZERO
        for member in members:
            assert member.amount is not None and member.amount.value is not None
            if member.amount.currency != whole.amount.currency:
                continue
            total = total + interval(
                member.amount.value, member.amount.qualifier, member.amount.tolerance
            )
        if total.lower > whole_span.upper:
            names = ", ".join(m.id for m in members)
            yield Hit(
                f"the parts of {whole_id} ({names}) come to at least {format_gbp(total.lower)}, "
                f"more than {whole_id}'s {format_gbp(whole_span.upper)}",
                ctx.case.at(("claims", index, "amount", "value")),
                claim=whole_id,
                hint="check the figures, or whether each part really belongs to this whole",
            )


@check(
    "HLS304",
    "part-without-whole",
    Severity.error,
    "An amount with role part has no part_of, or an amount of another role has one.",
)
def part_without_whole(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        An amount with `role: part` has no `part_of`, or an amount with another role has one.

    Why it matters:
        Role and `part_of` must agree, or the amount is either lost or counted twice.

    Example:
        amount: {role: part, value: 500000}   # HLS304: part of what?

    Fix:
        Add `part_of`, or set the role that matches what the amount is.
    """
    for index, claim in _money_claims(ctx):
        amount = claim.amount
        assert amount is not None
        if amount.role is Role.part and not amount.part_of:
            yield Hit(
                f"{claim.id} is a part but does not say of what",
                ctx.case.at(("claims", index, "amount", "role")),
                claim=claim.id,
                hint="add part_of: naming the claim whose amount contains this one",
            )
        elif amount.role is not Role.part and amount.part_of:
            yield Hit(
                f"{claim.id} names part_of {amount.part_of} but its role is {amount.role.value}",
                ctx.case.at(("claims", index, "amount", "part_of")),
                claim=claim.id,
                hint="set role: part so the amount is shown and never added twice",
            )


@check(
    "HLS305",
    "currency-without-conversion",
    Severity.error,
    "An amount is in another currency than its headline and no conversion is recorded.",
)
def currency_without_conversion(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        An amount is in another currency than its headline and records no `conversion`.

    Why it matters:
        Adding dollars to pounds gives a meaningless total; the amount is left out until converted.

    Example:
        amount: {role: counted, value: 4000000, currency: USD}   # HLS305

    Fix:
        Add `conversion: {rate: "0.79", to: GBP, source: "where the rate comes from"}`.
    """
    first: dict[str, int] = {}
    for position, claim in enumerate(ctx.case.data.claims):
        first.setdefault(claim.id, position)
    for line in ctx.lines:
        if line.value is not None and line.converted is None and line.role is not Role.grant:
            index = first[line.claim]
            yield Hit(
                f"{line.claim} is in {line.currency} and no conversion to GBP is recorded",
                ctx.case.at(("claims", index, "amount", "currency")),
                claim=line.claim,
                hint="add conversion: {rate: …, to: GBP, source: …} or restate the amount in GBP",
            )


@check(
    "HLS306",
    "recurring-amount-counted",
    Severity.error,
    "A per-year or per-month amount is counted toward a headline total.",
)
def recurring_amount_counted(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        An amount with `per: year` (or month) is counted toward a headline.

    Why it matters:
        A headline of funding managed is a sum of budgets; adding an annual figure mixes a rate into
        a total.

    Example:
        amount: {role: counted, value: 5000000, per: year}   # HLS306

    Fix:
        Count the total over a stated `period`, or mark the figure `role: context`.
    """
    for index, claim in _money_claims(ctx):
        amount = claim.amount
        assert amount is not None
        if amount.role is Role.counted and amount.per:
            yield Hit(
                f"{claim.id} is a per-{amount.per} figure counted toward a total",
                ctx.case.at(("claims", index, "amount", "per")),
                claim=claim.id,
                hint="count the whole sum over a stated period, or mark it role: context",
            )


@check(
    "HLS307",
    "unknown-headline",
    Severity.error,
    "A counted amount names no existing headline (or several exist and it names none).",
)
def unknown_headline(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A counted amount names a headline that does not exist, or there are several headlines and it
        names none.

    Why it matters:
        The amount would silently feed no total.

    Example:
        amount: {role: counted, value: 4000000, headline: H9}   # HLS307

    Fix:
        Set `headline:` to one of the ids under `headlines:`.
    """
    headlines = {h.id for h in ctx.case.data.headlines}
    for index, claim in _money_claims(ctx):
        amount = claim.amount
        assert amount is not None
        if amount.role is not Role.counted:
            continue
        target = amount.headline
        if target is None and len(headlines) == 1:
            continue
        if target is None or target not in headlines:
            listed = ", ".join(sorted(headlines)) or "none; add one under headlines:"
            yield Hit(
                f"{claim.id} is counted but "
                + (f"headline {target} does not exist" if target else "names no headline"),
                ctx.case.at(("claims", index, "amount")),
                claim=claim.id,
                hint=f"set headline: to one of the headlines ({listed})",
            )


@check(
    "HLS308",
    "unquantified-amount",
    Severity.info,
    "An amount is stated without a figure; it is reported and never added.",
)
def unquantified_amount(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        An amount is stated without a figure (`role: unquantified`).

    Why it matters:
        Phrases such as "tens of millions" cannot be added; the audit reports them so they are never
        silently dropped or quietly counted.

    Example:
        amount: {role: unquantified, stated: tens of millions of pounds}   # HLS308 (info)

    Fix:
        Nothing to fix unless the source gives a figure; then record it with its role.
    """
    for index, claim in _money_claims(ctx):
        amount = claim.amount
        assert amount is not None
        if amount.role is Role.unquantified:
            yield Hit(
                f"{claim.id} states '{amount.stated}' without a figure; it is not in any total",
                ctx.case.at(("claims", index, "amount")),
                claim=claim.id,
                hint="record the figure if the source gives one",
            )
