"""The REF 2021 profile value: the REF3 template, the limits and severities of ``profile.toml``
and the HLS8xx rules."""

from __future__ import annotations

from hls_audit.profiles import get_profile
from hls_audit.profiles.loader import builtin
from hls_audit.profiles.ref2021.rules import CHECKS
from hls_audit.profiles.ref2021.template import TEMPLATE

PROFILE = builtin("ref2021", TEMPLATE, CHECKS, get_profile)
