"""The REF 2021 impact case study template (REF3, REF 2019/01 Annex G).

Its five sections and header fields are the generic five-part shape; what is REF 2021's own is
the question of Section A about a case study continued from REF 2014.
"""

from __future__ import annotations

from hls_audit.profiles.template import GENERIC, with_continuation

TEMPLATE = with_continuation(
    GENERIC,
    "ref2021",
    "Is this case study continued from a case study submitted in 2014",
    "REF3: the REF 2021 impact case study template (REF 2019/01, Annex G).",
)
