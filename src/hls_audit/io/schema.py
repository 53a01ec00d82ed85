"""JSON Schema of claims.yaml and of an evidence record, generated from the models, and of a
house profile file, built from what the profile loader accepts."""

from __future__ import annotations

import json
from typing import Any

from hls_audit.core.model import ClaimsFile, SourceRecord

SCHEMA_BASE = "https://hls-audit.invalid/schema/"
KINDS: dict[str, tuple[type[ClaimsFile] | type[SourceRecord] | None, str, str]] = {
    "claims": (ClaimsFile, "claims.schema.json", "hls-audit claims.yaml"),
    "record": (SourceRecord, "record.schema.json", "hls-audit evidence record"),
    "profile": (None, "profile.schema.json", "hls-audit house profile (TOML)"),
}


def schema_for(kind: str) -> dict[str, Any]:
    model, filename, title = KINDS[kind]
    if model is None:
        from hls_audit.profiles.schema import profile_schema

        body = profile_schema()
    else:
        body = model.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_BASE + filename,
        **body,
        "title": title,
    }


def schema_text(kind: str) -> str:
    return json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n"
