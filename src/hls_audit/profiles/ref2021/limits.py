"""REF 2021's numbers and dates as the checks read them; the values, each with the document it
comes from and how binding it is, are data in ``profile.toml``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hls_audit.profiles.base import Limit, Profile


@dataclass(frozen=True)
class WordLimit:
    """An indicative word limit for one section of the case study template."""

    section: str
    title: str
    words: int


@dataclass(frozen=True)
class Ref2021Rules:
    """The limits as the checks read them; built from a profile, so each has its source there."""

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


def rules_of(profile: Profile) -> Ref2021Rules:
    """The limits of a profile (REF 2021's, or a house profile extending it) as the checks read
    them."""
    exercise = profile.exercise
    if profile.path:  # a house profile: its limits are the institution's, not the exercise's
        exercise = f"the {profile.name} profile ({profile.exercise})"
    return Ref2021Rules(
        exercise=exercise,
        max_sources=profile.number("corroborating_sources_max"),
        max_references=profile.number("references_max"),
        max_contacts=profile.number("contacts_max"),
        research_window=(profile.day("research_period_start"), profile.day("research_period_end")),
        impact_window=(profile.day("impact_period_start"), profile.day("impact_period_end")),
        units=profile.number("units_of_assessment"),
        word_limits=(
            WordLimit("1", "Summary of the impact", profile.number("summary_words")),
            WordLimit("2", "Underpinning research", profile.number("research_words")),
            WordLimit("4", "Details of the impact", profile.number("details_words")),
        ),
        page_limit=profile.number("pages_max"),
        words_per_page=profile.number("words_per_page"),
    )


def _profile() -> Profile:
    from hls_audit.profiles.ref2021.profile import PROFILE

    return PROFILE


LIMITS: tuple[Limit, ...] = _profile().limits  # read from profile.toml, each with its source
RULES = rules_of(_profile())
