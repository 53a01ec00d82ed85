"""The REF 2021 profile value: the REF3 template, REF 2021's limits and the HLS8xx rules."""

from __future__ import annotations

from hls_audit.profiles.base import Profile
from hls_audit.profiles.ref2021.limits import LIMITS, RULES
from hls_audit.profiles.ref2021.rules import CHECKS
from hls_audit.profiles.ref2021.template import TEMPLATE

PROFILE = Profile("ref2021", RULES.exercise, TEMPLATE, LIMITS, CHECKS)
