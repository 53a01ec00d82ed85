"""The REF 2021 impact case study rules, as checks (filled in by the ref2021 profile work)."""

from __future__ import annotations

from hls_audit.checks.base import Check

CHECKS: tuple[Check, ...] = ()
