"""The JSON Schema of a profile file (TOML), built from what the loader accepts.

Editors that validate TOML against a JSON Schema (Taplo, Even Better TOML) can use it; the
loader (``profiles/loader.py``) stays the judge, and also checks what a schema cannot: that a
house profile's limits and rules are its parent's, and that ``extends`` leads to a built-in.
"""

from __future__ import annotations

from typing import Any

from hls_audit.profiles import PROFILES, get_profile
from hls_audit.profiles.base import RULE_LEVELS, STATUSES


def profile_schema() -> dict[str, Any]:
    """The schema body: top-level keys, each limit's four keys, and the severities."""
    names: list[str] = []
    for name in PROFILES:
        names += [item.name for item in get_profile(name).limits if item.name not in names]
    limit = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "value": {
                "description": "A whole number, or a date (2020-07-31) where the limit is one.",
                "anyOf": [{"type": "integer"}, {"type": "string", "format": "date"}],
            },
            "unit": {"type": "string", "description": "What the value counts: sources, words."},
            "source": {
                "type": "string",
                "description": "The document and paragraph the value comes from.",
            },
            "status": {
                "enum": list(STATUSES),
                "description": "rule, guidance, house, or unverified (not yet confirmed).",
            },
        },
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "exercise": {"type": "string", "minLength": 1},
            "extends": {
                "type": "string",
                "description": "A built-in profile or a .toml file in the same folder.",
                "anyOf": [{"enum": list(PROFILES)}, {"pattern": r"^[^/\\]+\.toml$"}],
            },
            "limits": {
                "type": "object",
                "description": "Limits by their stable names; a house profile overrides its "
                "parent's.",
                "propertyNames": {"enum": names},
                "additionalProperties": limit,
            },
            "rules": {
                "type": "object",
                "description": "Severities of the profile's rules by code.",
                "propertyNames": {"pattern": "^HLS[0-9]{3}$"},
                "additionalProperties": {"enum": list(RULE_LEVELS)},
            },
        },
        "required": ["extends"],
    }
