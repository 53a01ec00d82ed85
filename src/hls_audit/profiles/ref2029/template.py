"""The REF 2029 impact case study template, as far as it is known.

The Engagement and Impact guidance (REF 2029 Guidance, Section 6, first published on
10 December 2025 as provisional) keeps "required contextual information" and "substantive
content", which is the REF 2021 split of Section A and the five numbered sections; the exact
section titles were not confirmed, so the generic five-part shape is used. What differs is the
question of Section A about continuation: it asks about a case study submitted to REF 2021.
"""

from __future__ import annotations

from hls_audit.profiles.template import GENERIC, with_continuation

TEMPLATE = with_continuation(
    GENERIC,
    "ref2029",
    "Is this case study continued from a case study submitted in 2021",
    "The REF 2029 impact case study template (provisional; section titles as REF "
    "2021's until confirmed).",
)
