"""What a check is: a stable code, a name, a default severity, a summary, and a function."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from hls_audit.evidence import Register
from hls_audit.findings import Hit, Severity
from hls_audit.load import CaseStudy
from hls_audit.reconcile import Line, Reconciliation


@dataclass
class Context:
    """Everything a check may read; computed once per audit."""

    case: CaseStudy
    register: Register
    lines: list[Line]
    reconciliations: list[Reconciliation]
    require: str = "records"


CheckFunction = Callable[[Context], Iterator[Hit]]


@dataclass(frozen=True)
class Check:
    """A registered check. Its documentation doubles as user documentation."""

    code: str
    name: str
    severity: Severity
    summary: str
    function: CheckFunction
    family: str

    def run(self, context: Context) -> Iterator[Hit]:
        return self.function(context)


def check(
    code: str, name: str, severity: Severity, summary: str
) -> Callable[[CheckFunction], Check]:
    """Declare a check's identity right above the function that yields its hits."""

    def wrap(function: CheckFunction) -> Check:
        family = function.__module__.rsplit(".", 1)[-1]
        return Check(code, name, severity, summary, function, family)

    return wrap
