"""What a rule profile is: an exercise's template, its limits (each with its source) and rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from hls_audit.profiles.template import Template

if TYPE_CHECKING:
    from hls_audit.rules.base import Check

Status = Literal["rule", "guidance", "house", "unverified"]
STATUSES: tuple[Status, ...] = ("rule", "guidance", "house", "unverified")
RULE_LEVELS = ("error", "warning", "info", "off")  # what a profile's [rules] table may say


@dataclass(frozen=True)
class Limit:
    """One number or date a profile's rules apply, with where it comes from.

    ``status`` says how binding it is: a ``rule`` of the exercise, its ``guidance`` (indicative),
    a ``house`` heuristic of this tool, or ``unverified`` (not yet confirmed from the source).
    """

    name: str
    value: object
    unit: str
    source: str
    status: Status

    @property
    def written(self) -> str:
        """The value as a profile file writes it: 10, 2020-12-31."""
        value = self.value
        return value.isoformat() if isinstance(value, dt.date) else str(value)


@dataclass(frozen=True)
class Profile:
    """An assessment exercise's rules: name, exercise, template, limits and checks.

    ``rules`` maps each rule the profile switches on to its severity (``off`` switches one
    off). ``base`` is the built-in profile whose checks run (a house profile's root ancestor);
    ``path`` is the file the profile was read from, shown as the user named it.
    """

    name: str
    exercise: str
    template: Template
    limits: tuple[Limit, ...]
    checks: tuple[Check, ...]
    rules: Mapping[str, str] = field(default_factory=dict)
    extends: str | None = None
    base: str = ""
    path: str = ""

    @property
    def family(self) -> str:
        """The name the profile's checks are registered under."""
        return self.base or self.name

    def limit(self, name: str) -> Limit:
        """The named limit; an unknown name is a loud error."""
        for item in self.limits:
            if item.name == name:
                return item
        raise KeyError(name)

    def number(self, name: str) -> int:
        """A limit that is a whole number."""
        value = self.limit(name).value
        assert isinstance(value, int)
        return value

    def day(self, name: str) -> dt.date:
        """A limit that is a date."""
        value = self.limit(name).value
        assert isinstance(value, dt.date)
        return value

    def has(self, code: str) -> bool:
        """Whether the rule ``code`` is one of this profile's checks (switched on or off)."""
        return any(item.code == code for item in self.checks)

    def unverified(self, names: tuple[str, ...]) -> tuple[Limit, ...]:
        """The limits among ``names`` this profile has not confirmed from their source."""
        return tuple(
            item for item in self.limits if item.name in names and item.status == "unverified"
        )

    def level(self, code: str) -> str:
        """The severity this profile gives one of its rules ("off" when it is not switched on)."""
        return self.rules.get(code, "off")
