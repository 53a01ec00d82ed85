"""Profiles as data: read a profile's TOML file, check it, and resolve what it ``extends``.

A built-in profile's file is ``profiles/<name>/profile.toml``, read once per process. A house
profile is a ``.toml`` file in the case study's folder, read through the case study's door; it
``extends`` a built-in profile (by name) or another profile file in its own folder (by file
name) and overrides any limit or rule severity. Problems are input errors naming the file, line
and column: HLS013 for what the file says, HLS014 for what it extends.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hls_audit.core.errors import InputError, InputErrors
from hls_audit.profiles.base import RULE_LEVELS, STATUSES, Limit, Profile, Status

if TYPE_CHECKING:
    from hls_audit.io.files import Folder

BAD = "HLS013"  # what a profile file says cannot be used
EXTENDS = "HLS014"  # what it extends is missing, or leads back to itself
TOP_KEYS = ("name", "exercise", "extends", "limits", "rules")
LIMIT_KEYS = ("value", "unit", "source", "status")
HINT = "see 'Writing your own profile' in the README; `hls-audit profile show ref2021` lists them"


@dataclass(frozen=True)
class ProfileFile:
    """A profile file as written: its keys checked for shape, nothing yet inherited."""

    display: str
    text: str
    name: str | None
    exercise: str | None
    extends: str | None
    limits: dict[str, dict[str, Any]]
    rules: dict[str, str]

    def error(self, message: str, where: tuple[str, str], code: str = BAD) -> InputError:
        line, column = locate(self.text, *where)
        return InputError(
            message, path=self.display, line=line, column=column, hint=HINT, code=code
        )


def locate(text: str, section: str, key: str) -> tuple[int, int]:
    """Line and column of ``key`` in the TOML table ``section`` ("" the top level).

    tomllib keeps no positions, so the text is scanned: a key is found as ``key =`` under its
    table's header, or as the header ``[section.key]`` itself; failing both, its first mention.
    """
    current = ""
    header = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
    assignment = re.compile(rf"^(\s*)[\"']?{re.escape(key)}[\"']?\s*=")
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        found = header.match(line)
        if found:
            current = re.sub(r"\s*\.\s*", ".", found[1]).replace('"', "").replace("'", "")
            if current == (f"{section}.{key}" if section else key):
                return number, line.index(key) + 1
            continue
        match = assignment.match(line)
        if match and current == section:
            return number, len(match[1]) + 1
    for number, line in enumerate(lines, start=1):
        if key and key in line:
            return number, line.index(key) + 1
    return 1, 1


def parse(text: str, display: str) -> ProfileFile:
    """A profile file's TOML, its keys and their types checked (not yet against a parent)."""
    import tomllib

    try:
        raw: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        from hls_audit.io.config import toml_syntax_error

        raise toml_syntax_error(
            exc, text, display, "fix the TOML syntax at this place", BAD
        ) from None
    shell = ProfileFile(display, text, None, None, None, {}, {})
    errors: list[InputError] = []
    for key in raw:
        if key not in TOP_KEYS:
            errors.append(
                shell.error(f"unknown key {key!r}; a profile has {', '.join(TOP_KEYS)}", ("", key))
            )
    texts: dict[str, str | None] = {}
    for key in ("name", "exercise", "extends"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            errors.append(shell.error(f"{key} must be a text, got {_kind(value)}", ("", key)))
            value = None
        texts[key] = value
    limits: dict[str, dict[str, Any]] = {}
    table = raw.get("limits", {})
    if not isinstance(table, dict):
        errors.append(shell.error("limits must be a table of [limits.<name>]", ("", "limits")))
        table = {}
    for name, entry in table.items():
        if not isinstance(entry, dict):
            errors.append(
                shell.error(
                    f"limit {name!r} must be a table with value, unit, source and status",
                    ("limits", name),
                )
            )
            continue
        section = f"limits.{name}"
        for key, value in entry.items():
            if key not in LIMIT_KEYS:
                errors.append(
                    shell.error(
                        f"unknown key {key!r} in limit {name!r}; a limit has "
                        f"{', '.join(LIMIT_KEYS)}",
                        (section, key),
                    )
                )
            elif key in ("unit", "source") and not isinstance(value, str):
                errors.append(
                    shell.error(f"{name}.{key} must be a text, got {_kind(value)}", (section, key))
                )
            elif key == "status" and value not in STATUSES:
                errors.append(
                    shell.error(
                        f"{name}.status must be one of {', '.join(STATUSES)}, got {value!r}",
                        (section, key),
                    )
                )
            elif key == "value" and not _usable(value):
                errors.append(
                    shell.error(
                        f"{name}.value must be a whole number or a date, got {_kind(value)}",
                        (section, key),
                    )
                )
        limits[name] = entry
    rules = raw.get("rules", {})
    if not isinstance(rules, dict):
        errors.append(shell.error("rules must be a table of CODE = severity", ("", "rules")))
        rules = {}
    for code, level in rules.items():
        if level not in RULE_LEVELS:
            errors.append(
                shell.error(
                    f"the severity of {code} must be one of {', '.join(RULE_LEVELS)}, "
                    f"got {level!r}",
                    ("rules", code),
                )
            )
    if errors:
        raise InputErrors(errors)
    return ProfileFile(
        display, text, texts["name"], texts["exercise"], texts["extends"], limits, dict(rules)
    )


def _usable(value: object) -> bool:
    if isinstance(value, bool | dt.datetime):
        return False
    return isinstance(value, int | dt.date)


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    return f"a {type(value).__name__}"


def _type_name(value: object) -> str:
    return "a date" if isinstance(value, dt.date) else "a whole number"


def build(file: ProfileFile, parent: Profile | None, **own: Any) -> Profile:
    """The profile a file describes on top of its parent (``own``: a built-in's template and
    checks). Every limit of a profile with no parent is complete; a house profile may override
    only the limits its parent has, with a value of the same type, and only its parent's rules.
    A built-in profile that extends another may also add limits (each complete) and the rules of
    its own checks."""
    errors: list[InputError] = []
    builtin = "checks" in own
    limits: dict[str, Limit] = {item.name: item for item in parent.limits} if parent else {}
    for name, entry in file.limits.items():
        section = f"limits.{name}"
        known = limits.get(name)
        if known is None and parent is not None and not builtin:
            errors.append(
                file.error(
                    f"unknown limit {name!r}; {parent.name} has {', '.join(limits)}",
                    ("limits", name),
                )
            )
            continue
        if known is None:
            missing = [key for key in LIMIT_KEYS if key not in entry]
            if missing:
                errors.append(
                    file.error(
                        f"limit {name!r} has no {' and no '.join(missing)}", ("limits", name)
                    )
                )
                continue
            status: Status = entry["status"]
            limits[name] = Limit(name, entry["value"], entry["unit"], entry["source"], status)
            continue
        value = entry.get("value", known.value)
        if _type_name(value) != _type_name(known.value):
            errors.append(
                file.error(
                    f"{name} must be {_type_name(known.value)}, got {_kind(value)}",
                    (section, "value"),
                )
            )
            continue
        limits[name] = Limit(
            name,
            value,
            entry.get("unit", known.unit),
            entry.get("source", known.source if "value" not in entry else f"{file.display}"),
            entry.get("status", known.status if "value" not in entry else "house"),
        )
    checks = own.get("checks", parent.checks if parent else ())
    codes = {item.code for item in checks}
    for code in file.rules:
        if code not in codes:
            owner = parent.name if parent else file.name
            errors.append(
                file.error(
                    f"{code} is not a rule of the {owner} profile "
                    f"({min(codes, default='-')}-{max(codes, default='-')})",
                    ("rules", code),
                )
            )
    if parent is None or builtin:
        for key in ("name", "exercise"):
            if getattr(file, key) is None:
                errors.append(file.error(f"the profile has no {key}", ("", "name")))
    if errors:
        raise InputErrors(errors)
    rules = {**(parent.rules if parent else {}), **file.rules}
    name = file.name or Path(file.display).stem
    if parent is None or builtin:
        exercise = file.exercise or (parent.exercise if parent else None)
        assert exercise is not None
        return Profile(
            name,
            exercise,
            own["template"],
            tuple(limits.values()),
            checks,
            rules,
            file.extends,
            name,
            "",
        )
    return replace(
        parent,
        name=name,
        exercise=file.exercise or parent.exercise,
        limits=tuple(limits.values()),
        rules=rules,
        extends=file.extends,
        base=parent.family,
        path=file.display,
    )


def builtin_file(name: str) -> ProfileFile:
    """A built-in profile's file, as shipped in the package."""
    path = Path(__file__).parent / name / "profile.toml"
    return parse(path.read_text(encoding="utf-8"), f"{name}/profile.toml")


def builtin(
    name: str, template: Any, checks: tuple[Any, ...], parent: Callable[[str], Profile]
) -> Profile:
    """A built-in profile from its shipped file, on top of the built-in profile it extends."""
    file = builtin_file(name)
    return build(
        file,
        parent(file.extends) if file.extends else None,
        template=template,
        checks=checks,
    )


def load_file(
    path: Path,
    display: str,
    door: Folder,
    builtin: Callable[[str], Profile],
    seen: tuple[str, ...] = (),
) -> Profile:
    """A house profile read through ``door``, with the chain it ``extends`` resolved."""
    from hls_audit.io.files import Refused

    raw = door.read_bytes(path, display, "profile file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"the profile file is not valid UTF-8 (at byte {exc.start})",
            path=display,
            hint="save the file as UTF-8",
            code=BAD,
        ) from None
    file = parse(text, display)
    where = ("", "extends")
    if file.extends is None:
        raise InputErrors(
            [
                file.error(
                    'a house profile names the profile it extends (extends = "ref2021")', where
                )
            ]
        )
    real = door.real_path(path, display, "profile file")
    chain = (*seen, real)
    parent_name = file.extends
    if not parent_name.endswith(".toml"):
        try:
            parent = builtin(parent_name)
        except KeyError:
            raise InputErrors(
                [
                    file.error(
                        f"extends {parent_name!r}, which is neither a built-in profile "
                        "(`hls-audit profiles` lists them) nor a .toml file",
                        where,
                        EXTENDS,
                    )
                ]
            ) from None
        return build(file, parent)
    if "/" in parent_name or "\\" in parent_name:
        raise InputErrors(
            [file.error(f"extends {parent_name!r}: name a file in the same folder", where, EXTENDS)]
        )
    target = path.parent / parent_name
    parent_display = str(Path(display).parent / parent_name)
    try:
        parent_real = door.real_path(target, parent_display, "profile file")
    except Refused as exc:
        raise InputErrors(
            [
                file.error(
                    f"extends {parent_name!r}, which {exc.reason.removeprefix('profile file ')}",
                    where,
                    EXTENDS,
                )
            ]
        ) from None
    if parent_real in chain:
        names = [Path(p).name for p in chain] + [parent_name]
        raise InputErrors([file.error(f"extends cycle: {' -> '.join(names)}", where, EXTENDS)])
    parent = load_file(target, parent_display, door, builtin, chain)
    return build(file, parent)
