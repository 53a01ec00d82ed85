"""The one exception base for unusable input, carrying where and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class InputError(Exception):
    """Input that cannot be audited: a file that will not load or does not fit the format.

    ``line`` and ``column`` are 1-based; ``yaml_path`` reads like ``claims[3].evidence[0]``.
    """

    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None
    hint: str = ""
    yaml_path: str = ""

    def __str__(self) -> str:
        return self.render()

    def where(self) -> str:
        parts = [self.path or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def render(self) -> str:
        at = f" (at {self.yaml_path})" if self.yaml_path else ""
        text = f"{self.where()}: error: {self.message}{at}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class InputErrors(Exception):
    """Several input errors found in one pass, reported together."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__(f"{len(errors)} input error(s)")
        self.errors = errors
