"""Rule profiles: the rules of one assessment exercise, as data plus checks (ref2021, ...)."""

from __future__ import annotations

PROFILES = ("ref2021",)
