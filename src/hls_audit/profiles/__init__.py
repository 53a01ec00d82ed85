"""Rule profiles: one folder per assessment exercise, each holding its template, limits and rules.

``PROFILES`` names the built-in profiles (the CLI choices and the claims.yaml enum come from it).
A profile's package is imported only when a run uses it, so a case study with no profile never
loads one; it reads with the documented ``GENERIC`` template of ``template.py`` instead. A
profile's limits and rule severities are data, ``profiles/<name>/profile.toml``; a house profile
(a ``.toml`` file beside the case study, named by ``profile =`` in hls-audit.toml) extends one.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from hls_audit.io.files import Folder
    from hls_audit.profiles.base import Profile
    from hls_audit.profiles.template import Template

PROFILES = ("ref2021", "ref2029")


def get_profile(name: str) -> Profile:
    """The named built-in profile; an unknown name is a loud error."""
    if name not in PROFILES:
        raise KeyError(name)
    module = importlib.import_module(f"hls_audit.profiles.{name}.profile")
    profile: Profile = module.PROFILE
    return profile


def is_profile_file(name: str) -> bool:
    """Whether a profile is named by its file (house.toml) rather than a built-in name."""
    return name.endswith(".toml")


def load_profile(path: Path, display: str, door: Folder) -> Profile:
    """A house profile file, read through ``door``, with what it extends resolved."""
    from hls_audit.profiles.loader import load_file

    return load_file(path, display, door, get_profile)


def template_for(name: str | None) -> Template:
    """The template a case study is read with: its profile's, else the generic one."""
    if name is None:
        from hls_audit.profiles.template import GENERIC

        return GENERIC
    return get_profile(name).template


__all__ = ["PROFILES", "get_profile", "is_profile_file", "load_profile", "template_for"]
