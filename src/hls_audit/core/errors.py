"""The one exception base for unusable input, carrying where and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

from hls_audit.core.sanitize import MAX_MESSAGE, MAX_VALUE, one_line, plain_line


@dataclass
class InputError(Exception):
    """Input that cannot be audited: a file that will not load or does not fit the format.

    ``line`` and ``column`` are 1-based; ``yaml_path`` reads like ``claims[3].evidence[0]``.
    The fields keep what was found, exactly (the JSON error report carries them as they are);
    :meth:`render` is what a terminal or a CI log sees, escaped and cut short.
    """

    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None
    hint: str = ""
    yaml_path: str = ""
    code: str = "HLS001"  # the stable code of this kind of input error (see input_codes.py)

    def as_json(self) -> dict[str, object]:
        """The error as the JSON contract gives it (exact values, not escaped or cut)."""
        return {
            "code": self.code,
            "message": self.message,
            "file": self.path,
            "line": self.line,
            "column": self.column,
            "yaml_path": self.yaml_path,
            "hint": self.hint,
        }

    def __str__(self) -> str:
        return self.render()

    def where(self) -> str:
        """``file:line:column``, the file made one safe line of at most MAX_VALUE characters."""
        parts = [one_line(self.path, MAX_VALUE) if self.path else "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def render(self) -> str:
        """The error and its hint as two lines for stderr.

        Every part may quote the input (a file name, a key, a value), so each is made one safe
        line and cut: the path and the YAML path at MAX_VALUE characters, the message and the hint
        at MAX_MESSAGE. Neither line can start with '::'.
        """
        at = f" (at {one_line(self.yaml_path, MAX_VALUE)})" if self.yaml_path else ""
        code = f" {one_line(self.code, 10)}" if self.code else ""
        lines = [f"{self.where()}: error{code}: {one_line(self.message, MAX_MESSAGE)}{at}"]
        if self.hint:
            lines.append(f"  hint: {one_line(self.hint, MAX_MESSAGE)}")
        return "\n".join(plain_line(line) for line in lines)


class InputErrors(Exception):
    """Several input errors found in one pass, reported together."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__(f"{len(errors)} input error(s)")
        self.errors = errors
