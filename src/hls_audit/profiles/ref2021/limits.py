"""REF 2021's numbers and dates, each with the document it comes from and how binding it is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hls_audit.profiles.base import Limit

GUIDANCE = "REF 2019/01 Guidance on submissions"
ANNEX_G = f"{GUIDANCE}, Annex G (impact case study template)"


@dataclass(frozen=True)
class WordLimit:
    """An indicative word limit for one section of the case study template."""

    section: str
    title: str
    words: int


LIMITS: tuple[Limit, ...] = (
    Limit("corroborating_sources_max", 10, "sources", f"{ANNEX_G}, section 5", "rule"),
    Limit("references_max", 6, "references", f"{ANNEX_G}, section 3", "guidance"),
    Limit("contacts_max", 5, "individuals", f"{ANNEX_G}, section 5", "rule"),
    Limit("research_period_start", dt.date(2000, 1, 1), "date", f"{GUIDANCE}, eligibility", "rule"),
    Limit("research_period_end", dt.date(2020, 12, 31), "date", f"{GUIDANCE}, eligibility", "rule"),
    Limit("impact_period_start", dt.date(2013, 8, 1), "date", f"{GUIDANCE}, eligibility", "rule"),
    Limit(
        "impact_period_end",
        dt.date(2020, 12, 31),
        "date",
        "REF 2020/02 Guidance on revisions to REF 2021 (COVID-19 extension from 31 July 2020)",
        "rule",
    ),
    Limit("units_of_assessment", 34, "units", "REF 2019/01, units of assessment 1-34", "rule"),
    Limit("summary_words", 100, "words", f"{ANNEX_G}, section 1", "guidance"),
    Limit("research_words", 500, "words", f"{ANNEX_G}, section 2", "guidance"),
    Limit("details_words", 750, "words", f"{ANNEX_G}, section 4", "guidance"),
    Limit("pages_max", 5, "pages", f"{ANNEX_G}: five pages in all", "rule"),
    Limit(
        "words_per_page",
        500,
        "words",
        "hls-audit's estimate for the template at its minimum formatting",
        "house",
    ),
)

_BY_NAME = {limit.name: limit.value for limit in LIMITS}


def _int(name: str) -> int:
    value = _BY_NAME[name]
    assert isinstance(value, int)
    return value


def _date(name: str) -> dt.date:
    value = _BY_NAME[name]
    assert isinstance(value, dt.date)
    return value


@dataclass(frozen=True)
class Ref2021Rules:
    """The limits as the checks read them; built from LIMITS, so each has its source there."""

    exercise: str
    max_sources: int  # corroborating sources (section 5); sub-parts count as their parent
    max_references: int  # references to the research (section 3), indicative
    max_contacts: int  # individuals whose contact details may be entered
    research_window: tuple[dt.date, dt.date]  # when the underpinning research may be produced
    impact_window: tuple[dt.date, dt.date]  # when the impact may occur
    units: int  # units of assessment are numbered 1..units
    word_limits: tuple[WordLimit, ...]  # indicative, per section
    page_limit: int
    words_per_page: int  # house estimate for the template at its minimum formatting


RULES = Ref2021Rules(
    exercise="REF 2021",
    max_sources=_int("corroborating_sources_max"),
    max_references=_int("references_max"),
    max_contacts=_int("contacts_max"),
    research_window=(_date("research_period_start"), _date("research_period_end")),
    impact_window=(_date("impact_period_start"), _date("impact_period_end")),
    units=_int("units_of_assessment"),
    word_limits=(
        WordLimit("1", "Summary of the impact", _int("summary_words")),
        WordLimit("2", "Underpinning research", _int("research_words")),
        WordLimit("4", "Details of the impact", _int("details_words")),
    ),
    page_limit=_int("pages_max"),
    words_per_page=_int("words_per_page"),
)
