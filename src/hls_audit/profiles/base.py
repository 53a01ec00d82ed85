"""What a rule profile is: an exercise's template, its limits (each with its source) and rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from hls_audit.profiles.template import Template

if TYPE_CHECKING:
    from hls_audit.rules.base import Check

Status = Literal["rule", "guidance", "house", "unverified"]


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


@dataclass(frozen=True)
class Profile:
    """An assessment exercise's rules: name, exercise, template, limits and checks."""

    name: str
    exercise: str
    template: Template
    limits: tuple[Limit, ...]
    checks: tuple[Check, ...]

    def limit(self, name: str) -> Limit:
        """The named limit; an unknown name is a loud error."""
        for item in self.limits:
            if item.name == name:
                return item
        raise KeyError(name)
