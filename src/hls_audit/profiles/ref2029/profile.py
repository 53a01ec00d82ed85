"""The REF 2029 profile value: its template, the limits and severities of ``profile.toml`` on
top of REF 2021's, and the REF 2021 rules plus REF 2029's own."""

from __future__ import annotations

from hls_audit.profiles import get_profile
from hls_audit.profiles.loader import builtin
from hls_audit.profiles.ref2021.rules import CHECKS as REF2021_CHECKS
from hls_audit.profiles.ref2029.rules import CHECKS
from hls_audit.profiles.ref2029.template import TEMPLATE

PROFILE = builtin("ref2029", TEMPLATE, REF2021_CHECKS + CHECKS, get_profile)
