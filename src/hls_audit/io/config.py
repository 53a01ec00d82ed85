"""Project settings from hls-audit.toml or [tool.hls-audit] in pyproject.toml beside claims.yaml."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hls_audit.core.errors import InputError, InputErrors
from hls_audit.io.files import Folder, folder_for
from hls_audit.io.load import Located, display_path
from hls_audit.io.yaml_source import yaml_path

CONFIG_FILE = "hls-audit.toml"
PYPROJECT = "pyproject.toml"


@dataclass(frozen=True)
class Suppression:
    """A suppression with where it is written."""

    code: str
    claim: str | None
    source: str | None
    reason: str
    expires: dt.date | None
    location: Located

    def covers(self, code: str, claim: str | None, source: str | None) -> bool:
        if code != self.code:
            return False
        if self.claim is not None and self.claim != claim:
            return False
        return not (self.source is not None and self.source != source)


@dataclass
class Config:
    """Settings in force; ``path`` is empty when no file was found."""

    path: str = ""
    fail_on: str | None = None
    require: str | None = None
    severity: dict[str, str] = field(default_factory=dict)
    suppressions: list[Suppression] = field(default_factory=list)
    profile: str | None = None  # `profile =`: a built-in name or a .toml file beside claims.yaml


def find_config(root: Path, door: Folder) -> tuple[Path, bool, str] | None:
    """hls-audit.toml beside claims.yaml, else a pyproject.toml there with [tool.hls-audit].

    Returns the file, whether the settings are nested under [tool.hls-audit], and its text.
    """
    own = root / CONFIG_FILE
    if os.path.lexists(own):
        return own, False, _read_text(door, own)
    pyproject = root / PYPROJECT
    if os.path.lexists(pyproject):
        raw = door.read_bytes(pyproject, display_path(pyproject), "settings file")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None  # not a settings file hls-audit could use, and not ours to judge
        if re.search(r"^\[tool\.hls-audit(\]|\.)", text, re.MULTILINE):
            return pyproject, True, text
    return None


def _read_text(door: Folder, path: Path) -> str:
    display = display_path(path)
    raw = door.read_bytes(path, display, "settings file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"the settings file is not valid UTF-8 (at byte {exc.start})",
            path=display,
            hint="save the file as UTF-8",
            code="HLS008",
        ) from None


def load_config(root: Path, explicit: Path | None, door: Folder) -> Config:
    """Read and validate the settings (through the case study's door); problems are located."""
    if explicit is not None:
        found: tuple[Path, bool, str] | None = (
            explicit,
            explicit.name == PYPROJECT,
            _read_text(folder_for(explicit, door), explicit),
        )
    else:
        found = find_config(root, door)
    if found is None:
        return Config()
    path, nested, text = found
    display = display_path(path)
    import tomllib

    from pydantic import ValidationError

    from hls_audit.io.settings_model import Settings

    try:
        raw: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_syntax_error(
            exc,
            text,
            display,
            "fix the TOML syntax at this place (an unclosed [ or quote shows up at the end)",
            "HLS008",
        ) from None
    if nested:
        section = raw.get("tool", {}).get("hls-audit", {})
        prefix = "tool.hls-audit."
    else:
        section, prefix = raw, ""
    locator = _Locator(text, prefix, display)
    try:
        settings = Settings.model_validate(section)
    except ValidationError as exc:
        errors = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = f"unknown setting {loc[-1]!r}"
            elif error["type"] == "missing":
                message = f"missing required setting {loc[-1]!r}"
            line = locator.line(loc)
            errors.append(
                InputError(
                    message,
                    path=display,
                    line=line,
                    column=1 if line else None,
                    yaml_path=yaml_path(loc),
                    hint="settings are fail-on, require, profile, [severity] and [[suppress]] "
                    "(code, claim or source, reason, expires); see the README",
                    code="HLS008",
                )
            )
        raise InputErrors(errors) from None
    from hls_audit.rules.catalog import BY_CODE

    errors = []
    for code in [*settings.severity, *(s.code for s in settings.suppress)]:
        if code not in BY_CODE:
            errors.append(
                InputError(
                    f"{code} is not a check code",
                    path=display,
                    line=locator.find(code),
                    column=1,
                    hint="`hls-audit rules` lists the codes",
                    code="HLS008",
                )
            )
    if settings.profile is not None:
        errors += _profile_errors(settings.profile, display, locator)
    if errors:
        raise InputErrors(errors)
    suppressions = [
        Suppression(
            s.code,
            s.claim,
            s.source,
            s.reason,
            s.expires,
            Located(display, locator.line(("suppress", index)), 1, f"{prefix}suppress[{index}]"),
        )
        for index, s in enumerate(settings.suppress)
    ]
    return Config(
        display,
        settings.fail_on,
        settings.require,
        dict(settings.severity),
        suppressions,
        settings.profile,
    )


def _profile_errors(name: str, display: str, locator: _Locator) -> list[InputError]:
    """`profile =` names a built-in profile, or a .toml file inside the case study's folder."""
    from hls_audit.profiles import PROFILES, is_profile_file

    line = locator.line(("profile",))
    if not is_profile_file(name):
        if name in PROFILES:
            return []
        message = f"{name!r} is not a built-in profile ({', '.join(PROFILES)}) or a .toml file"
        hint, code = "`hls-audit profiles` lists the built-in profiles", "HLS008"
    elif Path(name).is_absolute() or ".." in Path(name).parts or "\\" in name:
        message = "the profile file must be inside the case study's folder"
        hint, code = "give a path relative to claims.yaml, without '..'", "HLS007"
    else:
        return []
    return [InputError(message, path=display, line=line, column=1, hint=hint, code=code)]


def toml_syntax_error(
    error: Exception, text: str, display: str, hint: str, code: str
) -> InputError:
    """A TOML syntax error as a coded input error at its line and column."""
    line, column = _toml_position(str(error), text)
    return InputError(
        f"invalid TOML: {re.sub(r' [(]at (line .*|end of document)[)]$', '', str(error))}",
        path=display,
        line=line,
        column=column,
        hint=hint,
        code=code,
    )


def _toml_position(message: str, text: str) -> tuple[int | None, int | None]:
    """Line and column of a TOML syntax error, the end of the document included."""
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if match:
        return int(match[1]), int(match[2])
    if "end of document" in message:
        lines = text.split("\n")
        while len(lines) > 1 and not lines[-1].strip():
            lines.pop()
        return len(lines), len(lines[-1]) + 1
    return None, None


class _Locator:
    """Finds the line of a setting in TOML text (tomllib keeps no positions)."""

    def __init__(self, text: str, prefix: str, display: str) -> None:
        self.lines = text.splitlines()
        self.prefix = prefix
        self.display = display

    def find(self, needle: str) -> int | None:
        for number, line in enumerate(self.lines, start=1):
            if needle in line:
                return number
        return None

    def line(self, loc: tuple[Any, ...]) -> int | None:
        if loc and loc[0] == "suppress" and len(loc) > 1 and isinstance(loc[1], int):
            header = re.compile(rf"^\s*\[\[\s*{re.escape(self.prefix)}suppress\s*\]\]")
            seen = -1
            for number, line in enumerate(self.lines, start=1):
                if header.match(line):
                    seen += 1
                    if seen == loc[1]:
                        if len(loc) > 2:
                            for offset, later in enumerate(self.lines[number:], start=1):
                                if re.match(rf"^\s*{re.escape(str(loc[2]))}\s*=", later):
                                    return number + offset
                                if later.strip().startswith("["):
                                    break
                        return number
            return None
        if loc:
            key = str(loc[0])
            for candidate in (key, key.replace("_", "-")):
                for number, line in enumerate(self.lines, start=1):
                    if re.match(rf"^\s*{re.escape(candidate)}\s*=", line):
                        return number
            if len(loc) > 1:
                return self.find(str(loc[1]))
        return None
