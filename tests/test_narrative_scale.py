"""A narrative of many figures and markers is read in one pass: nothing is redone per figure."""

from __future__ import annotations

from hls_audit.narrative.analysis import parse_narrative
from hls_audit.narrative.reconcile import nearby_markers


def test_a_run_on_sentence_of_25000_figures_keeps_a_bounded_sentence_per_figure():
    narrative = parse_narrative("£1m and " * 25_000, "run-on.md")
    assert len(narrative.money) == 25_000
    assert max(len(m.sentence) for m in narrative.money) <= 2_010
    assert narrative.money[-1].line == 1 and narrative.money[-1].column == 199_993


def test_each_of_10000_figures_finds_the_marker_after_it():
    narrative = parse_narrative("The council gave £2m [E1] to a trust, " * 10_000, "long.md")
    assert len(narrative.money) == len(narrative.markers) == 10_000
    for mention, marker in zip(narrative.money, narrative.markers, strict=True):
        found, close = nearby_markers(narrative, mention)
        assert found == [marker] and close


def test_a_long_run_of_dotted_letters_ends_no_sentence_slowly():
    narrative = parse_narrative("a." * 100_000 + " Over £3m went in.", "dots.md")
    assert [m.value for m in narrative.money] == [3_000_000]


def test_a_figure_in_a_short_sentence_keeps_its_whole_sentence():
    text = "First. A trust gave £3m to parks every year. Last."
    mention = parse_narrative(text, "short.md").money[0]
    assert mention.sentence == "A trust gave £3m to parks every year." and mention.per == "year"
