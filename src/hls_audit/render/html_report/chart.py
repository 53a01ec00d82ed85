"""The geometry of the HTML report's charts: a headline against the amounts counted toward it.

Each chart is a :class:`Panel` on one money axis, with every position worked out here from the
exact amounts in decimals (to a tenth of a pixel) and every label already a safe line; the
template draws what it is given, adding only fixed offsets for labels, so no amount of the case
study passes through a float. Three panels per
headline: the counted amounts stacked from zero, the total's interval beside the headline value,
and, when the reconciliation gives one, the break-even of the amounts that are uncertain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from hls_audit.analysis.reconcile import Reconciliation
from hls_audit.core.money import (
    QUALIFIER_WORDS,
    ZERO,
    Interval,
    format_gbp,
)
from hls_audit.core.sanitize import one_line

WIDTH = 960
LEFT = 60  # room for the first tick label
RIGHT = 60  # and for the last
PLOT = WIDTH - LEFT - RIGHT
ROW = 56  # the height of one row of marks: a label above its line, a figure below
TOP = 40  # room for the headline's label above the first row
AXIS = 34  # the axis line and its tick labels below the last row
PIXEL = Decimal("0.1")
SHADES = 4  # stacked segments take these fills in turn (each one is labelled too)


@dataclass(frozen=True)
class Tick:
    x: str
    label: str


@dataclass(frozen=True)
class Segment:
    """One counted amount in the stack: a labelled box."""

    x: str
    width: str
    y: str
    height: str
    label: str  # drawn inside when it fits
    title: str  # the full text, shown as a tooltip and read by screen readers
    shade: int
    fits: bool


@dataclass(frozen=True)
class Span:
    """An interval on one row: a bar with its ends drawn filled (closed) or hollow (open)."""

    x1: str
    x2: str
    y: str
    low_open: bool
    high_open: bool
    label: str
    label_x: str
    anchor: str
    kind: str  # "total", "corroborated" or "uncertain": the line's style, besides its label


@dataclass(frozen=True)
class Marker:
    """A point on a row (a central figure) with its label."""

    x: str
    y: str
    label: str
    label_x: str
    anchor: str


@dataclass(frozen=True)
class Rule:
    """A vertical line across every row: the headline value, or a break-even point."""

    x: str
    y1: str
    y2: str
    label: str
    label_x: str
    label_y: str
    anchor: str
    kind: str  # "headline" or "break-even"


@dataclass
class Panel:
    """One chart: a title, a text alternative, and its marks in SVG user units."""

    title: str
    description: str
    height: int
    axis_y: str
    ticks: list[Tick] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    width: int = WIDTH
    left: int = LEFT
    right: int = RIGHT


def _px(value: Decimal) -> str:
    return str(value.quantize(PIXEL))


class Axis:
    """A money axis from ``low`` to ``high`` mapped onto the plot's width."""

    def __init__(self, low: Decimal, high: Decimal) -> None:
        if high <= low:
            high = low + max(abs(low) / 10, Decimal(1))
        self.low, self.high = low, high

    def x(self, value: Decimal) -> Decimal:
        share = (value - self.low) / (self.high - self.low)
        return LEFT + share * PLOT

    def ticks(self, currency: str, count: int = 5) -> list[Tick]:
        """Round figures along the axis, about ``count`` of them, each an exact amount."""
        step = nice_step((self.high - self.low) / count)
        first = (self.low / step).to_integral_value(ROUND_CEILING) * step
        out: list[Tick] = []
        value = first
        while value <= self.high and len(out) < 3 * count:
            out.append(Tick(_px(self.x(value)), format_gbp(value, currency)))
            value += step
        return out


def nice_step(raw: Decimal) -> Decimal:
    """The smallest of 1, 2 or 5 times a power of ten that is at least ``raw`` (and above 0)."""
    if raw <= 0:
        return Decimal(1)
    magnitude = Decimal(1).scaleb(raw.adjusted())
    for factor in (1, 2, 5, 10):
        step = magnitude * factor
        if step >= raw:
            return step
    return magnitude * 10  # pragma: no cover - 10 always reaches raw


def _padded(low: Decimal, high: Decimal, share: Decimal = Decimal("0.12")) -> Axis:
    pad = (high - low) * share if high > low else max(abs(high) / 10, Decimal(1))
    step = nice_step(pad)
    lower = ((low - pad) / step).to_integral_value(ROUND_FLOOR) * step
    upper = ((high + pad) / step).to_integral_value(ROUND_CEILING) * step
    return Axis(max(lower, Decimal(0)) if low >= 0 else lower, upper)


def _anchor(x: Decimal, gap: int = 6) -> tuple[str, str]:
    """Where a label beside ``x`` goes: to its right on the left half, to its left otherwise."""
    if x < LEFT + PLOT / 2:
        return _px(x + gap), "start"
    return _px(x - gap), "end"


def _row_y(row: int) -> Decimal:
    return Decimal(TOP + ROW * row + ROW // 2)


def _height(rows: int) -> int:
    return TOP + ROW * rows + AXIS


def _headline_rule(axis: Axis, rec: Reconciliation, rows: int) -> Rule:
    h = rec.headline
    x = axis.x(h.value)
    label_x, anchor = _anchor(x)
    return Rule(
        _px(x),
        str(TOP - 8),
        str(TOP + ROW * rows),
        one_line(
            f"Headline {h.id}: {QUALIFIER_WORDS[h.relation]}{format_gbp(h.value, h.currency)}"
        ),
        label_x,
        str(TOP - 14),
        anchor,
        "headline",
    )


def _span(axis: Axis, span: Interval, row: int, label: str, kind: str) -> Span:
    x1, x2 = axis.x(span.lower), axis.x(span.upper)
    # The label sits above the line, running from its left end on the left half of the chart
    # and ending at its right end on the right half.
    label_x, anchor = (_px(x1), "start") if x1 < LEFT + PLOT / 2 else (_px(x2), "end")
    return Span(
        _px(x1),
        _px(x2),
        _px(_row_y(row)),
        span.lower_open,
        span.upper_open,
        one_line(label),
        label_x,
        anchor,
        kind,
    )


def range_words(span: Interval, currency: str) -> str:
    """``more than £168,200,000 to £180,200,000``: an interval in words, its open ends said."""
    if span.lower == span.upper and not (span.lower_open or span.upper_open):
        return format_gbp(span.lower, currency)
    low = ("more than " if span.lower_open else "") + format_gbp(span.lower, currency)
    high = ("less than " if span.upper_open else "") + format_gbp(span.upper, currency)
    return f"{low} to {high}"


def stacked_panel(rec: Reconciliation) -> Panel:
    """The counted amounts stacked from zero, their total's interval, and the headline."""
    h, currency = rec.headline, rec.headline.currency
    top = max(rec.total.upper, h.value, Decimal(1)) * Decimal("1.05")
    step = nice_step(top / 5)
    axis = Axis(Decimal(0), (top / step).to_integral_value(ROUND_CEILING) * step)
    rows = 2
    panel = Panel(
        title=one_line(f"{h.id}: the counted amounts against the headline"),
        description="",
        height=_height(rows),
        axis_y=str(TOP + ROW * rows + 4),
        ticks=axis.ticks(currency),
    )
    start = Decimal(0)
    bar_y, bar_h = _row_y(0) - 12, Decimal(24)
    for index, line in enumerate(rec.included):
        if line.interval is None:
            continue
        value = line.interval.central
        x1, x2 = axis.x(start), axis.x(start + value)
        amount = format_gbp(value, currency)
        panel.segments.append(
            Segment(
                _px(x1),
                _px(max(x2 - x1, Decimal(0))),
                _px(bar_y),
                _px(bar_h),
                one_line(line.claim),
                one_line(f"{line.claim}: {amount} ({line.stated or line.qualifier.value})"),
                index % SHADES,
                x2 - x1 >= 8 * len(line.claim) + 6,
            )
        )
        start += value
    counted = format_gbp(rec.total.central, currency)
    panel.spans.append(
        _span(
            axis,
            rec.total,
            1,
            f"counted {counted}; range {range_words(rec.total, currency)}",
            "total",
        )
    )
    panel.rules.append(_headline_rule(axis, rec, rows))
    parts = ", ".join(
        f"{line.claim} {format_gbp(line.interval.central, currency)}"
        for line in rec.included
        if line.interval is not None
    )
    panel.description = one_line(
        f"Counted toward {h.id}: {parts or 'nothing'}; in all "
        f"{format_gbp(rec.total.central, currency)}, range {range_words(rec.total, currency)}, "
        f"against the headline {QUALIFIER_WORDS[h.relation]}{format_gbp(h.value, currency)}."
    )
    return panel


def interval_panel(rec: Reconciliation) -> Panel:
    """The total's interval (and the corroborated one's) close up, beside the headline value."""
    h, currency = rec.headline, rec.headline.currency
    spans = [rec.total]
    if rec.corroborated_total != rec.total:
        spans.append(rec.corroborated_total)
    low = min([h.value, *(s.lower for s in spans)])
    high = max([h.value, *(s.upper for s in spans)])
    axis = _padded(low, high)
    rows = len(spans)
    panel = Panel(
        title=one_line(f"{h.id}: where the total may lie, beside the headline"),
        description="",
        height=_height(rows),
        axis_y=str(TOP + ROW * rows + 4),
        ticks=axis.ticks(currency),
    )
    names = ["counted total", "corroborated total"]
    for row, (span, name) in enumerate(zip(spans, names, strict=False)):
        kind = "total" if row == 0 else "corroborated"
        panel.spans.append(_span(axis, span, row, f"{name}: {range_words(span, currency)}", kind))
        x = axis.x(span.central)
        panel.markers.append(
            Marker(_px(x), _px(_row_y(row)), format_gbp(span.central, currency), _px(x), "middle")
        )
    panel.rules.append(_headline_rule(axis, rec, rows))
    words = "; ".join(
        f"{name} {range_words(span, currency)}" for span, name in zip(spans, names, strict=False)
    )
    panel.description = one_line(
        f"{words}; the headline is {QUALIFIER_WORDS[h.relation]}"
        f"{format_gbp(h.value, currency)}: {rec.verdict}."
    )
    return panel


@dataclass(frozen=True)
class BreakEven:
    """What the uncertain amounts would have to reach for a headline that is not proven."""

    names: str
    word: str  # "more than" or "at least"
    needed: Decimal
    span: Interval


def break_even(rec: Reconciliation) -> BreakEven | None:
    """The break-even point the reconciliation found, with the uncertain amounts' range."""
    point = rec.break_even_point
    if point is None:
        return None
    span = ZERO
    for line in point.uncertain:
        assert line.interval is not None
        span = span + line.interval
    names = ", ".join(f"{ln.claim} ({ln.stated or ln.qualifier.value})" for ln in point.uncertain)
    return BreakEven(one_line(names), point.word, point.needed, span)


def break_even_panel(rec: Reconciliation) -> Panel | None:
    """The uncertain amounts' stated range against the figure they would need to reach."""
    found = break_even(rec)
    if found is None:
        return None
    currency = rec.headline.currency
    span = found.span
    axis = _padded(min(span.lower, found.needed), max(span.upper, found.needed))
    rows = 1
    panel = Panel(
        title=one_line(f"{rec.headline.id}: the break-even point"),
        description="",
        height=_height(rows),
        axis_y=str(TOP + ROW * rows + 4),
        ticks=axis.ticks(currency),
    )
    panel.spans.append(
        _span(axis, span, 0, f"{found.names}: {range_words(span, currency)}", "uncertain")
    )
    x = axis.x(span.central)
    panel.markers.append(
        Marker(_px(x), _px(_row_y(0)), format_gbp(span.central, currency), _px(x), "middle")
    )
    needed = axis.x(found.needed)
    label_x, anchor = _anchor(needed)
    panel.rules.append(
        Rule(
            _px(needed),
            str(TOP - 8),
            str(TOP + ROW * rows),
            one_line(f"break-even: {found.word} {format_gbp(found.needed, currency)}"),
            label_x,
            str(TOP - 14),
            anchor,
            "break-even",
        )
    )
    panel.description = one_line(
        f"The headline holds only if {found.names} is {found.word} "
        f"{format_gbp(found.needed, currency)}; the stated range is "
        f"{range_words(span, currency)}."
    )
    return panel


def panels(rec: Reconciliation) -> list[Panel]:
    """Every chart of one headline, in reading order."""
    out = [stacked_panel(rec), interval_panel(rec)]
    found = break_even_panel(rec)
    if found is not None:
        out.append(found)
    return out
