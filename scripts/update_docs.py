"""Regenerate the files that mirror the code: README's checks table, docs/checks.md, schema/.

Run from the repository root after adding or changing a check or the data model:
``.venv/bin/python scripts/update_docs.py``. The tests fail until these files are in sync.
"""

from __future__ import annotations

import re
from pathlib import Path

from hls_audit.io.schema import KINDS, schema_text
from hls_audit.render.explain import all_markdown
from hls_audit.rules.catalog import REGISTRY

ROOT = Path(__file__).resolve().parent.parent


def checks_table() -> str:
    rows = [f"| {c.code} | {c.name} | {c.severity.value} | {c.summary} |" for c in REGISTRY]
    return "| code | name | severity | summary |\n|---|---|---|---|\n" + "\n".join(rows)


def main() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    text = re.sub(
        r"\| code \| name \| severity \| summary \|\n(?:\|.*\|\n?)+",
        checks_table() + "\n",
        text,
        count=1,
    )
    readme.write_text(text, encoding="utf-8")
    (ROOT / "docs" / "checks.md").write_text(all_markdown(), encoding="utf-8")
    for kind, (_, filename, _) in KINDS.items():
        (ROOT / "schema" / filename).write_text(schema_text(kind), encoding="utf-8")


if __name__ == "__main__":
    main()
