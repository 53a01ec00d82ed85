"""Rule profiles: one folder per assessment exercise, each holding its template, limits and rules.

``PROFILES`` names the built-in profiles (the CLI choices and the claims.yaml enum come from it).
A profile's package is imported only when a run uses it, so a case study with no profile never
loads one; it reads with the documented ``GENERIC`` template of ``template.py`` instead.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hls_audit.profiles.base import Profile
    from hls_audit.profiles.template import Template

PROFILES = ("ref2021",)


def get_profile(name: str) -> Profile:
    """The named built-in profile; an unknown name is a loud error."""
    if name not in PROFILES:
        raise KeyError(name)
    module = importlib.import_module(f"hls_audit.profiles.{name}.profile")
    profile: Profile = module.PROFILE
    return profile


def template_for(name: str | None) -> Template:
    """The template a case study is read with: its profile's, else the generic one."""
    if name is None:
        from hls_audit.profiles.template import GENERIC

        return GENERIC
    return get_profile(name).template


__all__ = ["PROFILES", "get_profile", "template_for"]
