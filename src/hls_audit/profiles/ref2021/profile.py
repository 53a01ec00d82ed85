"""The REF 2021 profile value: the REF3 template, the limits and severities of ``profile.toml``
and the HLS8xx rules."""

from __future__ import annotations

from hls_audit.profiles.loader import build, builtin_file
from hls_audit.profiles.ref2021.rules import CHECKS
from hls_audit.profiles.ref2021.template import TEMPLATE

PROFILE = build(builtin_file("ref2021"), None, template=TEMPLATE, checks=CHECKS)
