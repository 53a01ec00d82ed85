"""What a check is: a stable code, a name, a default severity, a summary, and a function."""

from __future__ import annotations

import datetime as dt
import inspect
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hls_audit.analysis.evidence import Register
from hls_audit.analysis.reconcile import Line, Reconciliation
from hls_audit.documents.verify import Documents, Verification
from hls_audit.engine.findings import Hit, Severity
from hls_audit.io.load import CaseStudy
from hls_audit.profiles.template import GENERIC, Template

if TYPE_CHECKING:
    from hls_audit.io.config import Suppression
    from hls_audit.profiles.base import Profile


@dataclass
class Context:
    """Everything a check may read; computed once per audit."""

    case: CaseStudy
    register: Register
    lines: list[Line]
    reconciliations: list[Reconciliation]
    require: str = "records"
    suppressions: list[Suppression] = field(default_factory=list)
    used: set[int] = field(default_factory=set)  # indexes of suppressions that matched
    today: dt.date = field(default_factory=dt.date.today)
    verification: Verification = field(default_factory=lambda: Verification(Documents()))
    profile: str | None = None  # the built-in profile whose rules run, if any
    profile_value: Profile | None = None  # the active profile: its limits and rule severities
    template: Template = GENERIC  # the profile's template, else the generic one
    narrative: Any = None  # the parsed narrative when one is given (see hls_audit.narrative)
    pairing: Any = None  # narrative figures paired with the ledger, computed on first use


CheckFunction = Callable[[Context], Iterator[Hit]]


@dataclass(frozen=True)
class Check:
    """A registered check. Its documentation doubles as user documentation.

    A profile's rule names the limits it reads (``uses``); its ``brief`` may name them in
    braces, ``More than {corroborating_sources_max} sources``, and :attr:`summary` fills them in
    from the rule's own profile, :meth:`summary_under` from any profile that runs it.
    """

    code: str
    name: str
    severity: Severity
    brief: str
    function: CheckFunction
    family: str
    profile: str | None = None  # set for checks that belong to a rule profile
    uses: tuple[str, ...] = ()  # the profile limits the rule reads

    def run(self, context: Context) -> Iterator[Hit]:
        return self.function(context)

    @property
    def summary(self) -> str:
        """The one-line summary, with the limits of the rule's own profile filled in."""
        if "{" not in self.brief or self.profile is None:
            return self.brief
        from hls_audit.profiles import get_profile

        return self.summary_under(get_profile(self.profile))

    def summary_under(self, profile: Profile | None) -> str:
        """The one-line summary with ``profile``'s limits filled in."""
        if "{" not in self.brief or profile is None:
            return self.brief
        values = {name: shown_limit(profile.limit(name).value) for name in self.uses}
        return self.brief.format(**values)

    @property
    def doc(self) -> dict[str, str]:
        """The check's documentation sections, from its docstring.

        The docstring holds four sections, each introduced by a line ending in a colon:
        ``What it does:``, ``Why it matters:``, ``Example:`` and ``Fix:``.
        """
        sections = {"what": "", "why": "", "example": "", "fix": ""}
        heads = {
            "what it does:": "what",
            "why it matters:": "why",
            "example:": "example",
            "fix:": "fix",
        }
        current = ""
        lines: dict[str, list[str]] = {key: [] for key in sections}
        for raw in inspect.cleandoc(self.function.__doc__ or "").splitlines():
            head = heads.get(raw.strip().lower())
            if head:
                current = head
            elif current:
                lines[current].append(raw)
        for key, body in lines.items():
            sections[key] = textwrap.dedent("\n".join(body)).strip("\n")
        if not sections["what"]:
            sections["what"] = self.summary
        return sections


def shown_limit(value: object) -> str:
    """A limit as a sentence shows it: 1 Aug 2013, 10."""
    if isinstance(value, dt.date):
        return f"{value.day} {value:%b} {value.year}"
    return str(value)


def check(
    code: str, name: str, severity: Severity, summary: str, uses: tuple[str, ...] = ()
) -> Callable[[CheckFunction], Check]:
    """Declare a check's identity right above the function that yields its hits; a profile's
    rule names the limits it reads in ``uses`` (and may name them in its summary, in braces)."""

    def wrap(function: CheckFunction) -> Check:
        module = function.__module__
        family = module.rsplit(".", 1)[-1]
        profile = None
        if ".profiles." in module:  # hls_audit.profiles.<name>.rules: the family is the profile
            profile = family = module.split(".profiles.", 1)[1].split(".", 1)[0]
        return Check(code, name, severity, summary, function, family, profile, uses)

    return wrap
