"""Run every registered check over a loaded case study, stamp what it finds, apply suppressions."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hls_audit.analysis.evidence import Level, build_register, coverage
from hls_audit.analysis.reconcile import amount_lines, reconcile
from hls_audit.documents.lock import LOCK_FILE
from hls_audit.documents.verify import Documents, read_documents, verify
from hls_audit.engine.findings import Finding, Report, Severity
from hls_audit.io.config import Config
from hls_audit.io.load import CaseStudy
from hls_audit.profiles import get_profile, is_profile_file, load_profile
from hls_audit.profiles.template import GENERIC
from hls_audit.rules.base import Check, Context, shown_limit
from hls_audit.rules.catalog import REGISTRY

if TYPE_CHECKING:
    from hls_audit.profiles.base import Limit, Profile

AFTER_SUPPRESSIONS = "suppressions"  # this family judges the suppressions themselves
DRIFT_CODES = ("HLS606", "HLS607", "HLS608", "HLS609")  # errors under --frozen
NEEDS_TEXT = ("HLS601", "HLS602", "HLS603", "HLS604")  # read the text of documents on file
NO_NARRATIVE = "no narrative was given (`narrative:` in claims.yaml or --narrative)"
NO_DOCUMENTS = "no record names a document in evidence/"
NO_LOCK = "there is no evidence.lock"


def why_skipped(check: Check, context: Context) -> str:
    """Why a rule does not apply to this run, or '' when it runs."""
    active = context.profile_value
    if check.profile is not None and (active is None or not active.has(check.code)):
        return (
            f"the {check.profile} profile is not in use (set `profile: {check.profile}`)"
            if active is None
            else f"the {check.profile} profile is not in use (this run uses {active.name})"
        )
    if check.profile is not None and active is not None and active.level(check.code) == "off":
        return f"the {active.name} profile switches it off"
    if check.family == "narrative" and context.narrative is None:
        return NO_NARRATIVE
    if check.code in NEEDS_TEXT and not context.verification.documents.by_name:
        return NO_DOCUMENTS
    if check.code in DRIFT_CODES and context.verification.drift is None:
        return NO_LOCK
    return ""


def resolve_profile(
    name: str | Profile | None, case: CaseStudy, config: Config, shared: Path | None = None
) -> Profile | None:
    """The run's profile: a built-in by name, or a house profile file in the case study's folder
    (named by ``profile =`` in the settings or ``profile:`` in claims.yaml, relative to it), else
    in ``shared``, a folder of profiles several case studies use (``--profile-dir``)."""
    if name is None or not isinstance(name, str):
        return name
    if not is_profile_file(name):
        return get_profile(name)
    from hls_audit.io.load import display_path

    path = case.root / name
    if shared is not None and not os.path.lexists(path):
        from hls_audit.io.files import Folder

        there = shared / name
        door = Folder(Path(os.path.realpath(shared)), "the profile folder")
        return load_profile(there, display_path(there), door)
    if not os.path.lexists(path) and name == case.data.profile and config.profile is None:
        from hls_audit.core.errors import InputError

        where = case.at(("profile",))
        raise InputError(
            f"the profile file {name} does not exist beside claims.yaml",
            path=where.file,
            line=where.line,
            column=where.column,
            hint="put the file beside claims.yaml, or name the folder of shared profiles "
            "with --profile-dir (or HLS_AUDIT_PROFILE_DIR)",
            code="HLS001",
        )
    return load_profile(path, display_path(path), case.folder)


def _level(item: Check, context: Context, config: Config) -> Severity:
    """A rule's severity: the settings' [severity], else the profile's [rules], else its own."""
    own = item.severity.value
    if item.profile is not None and context.profile_value is not None:
        own = context.profile_value.rules.get(item.code, own)
    return Severity(config.severity.get(item.code, own))


def _stamp(checks: list[Check], context: Context, config: Config) -> list[Finding]:
    findings: list[Finding] = []
    for item in checks:
        severity = _level(item, context, config)
        active = context.profile_value
        for hit in item.run(context):
            names = item.uses if hit.rests_on is None else hit.rests_on
            unverified = active.unverified(names) if active is not None and names else ()
            message = hit.message
            if unverified:
                message += f" ({provisional(unverified, active)})"
            findings.append(
                Finding(
                    code=item.code,
                    name=item.name,
                    severity=severity,
                    message=message,
                    location=hit.location,
                    claim=hit.claim,
                    source=hit.source,
                    hint=hit.hint,
                    unverified=tuple(limit.name for limit in unverified),
                )
            )
    return findings


def _under(item: Check, profile: Profile | None) -> Check:
    """A rule as the run's profile states it: its summary with that profile's limits."""
    if profile is not None and item.uses and profile.has(item.code):
        return replace(item, brief=item.summary_under(profile))
    return item


def provisional(limits: tuple[Limit, ...], profile: Profile | None) -> str:
    """What a finding resting on unconfirmed limits says about them."""
    names = ", ".join(f"{limit.name} = {shown_limit(limit.value)}" for limit in limits)
    owner = f"the {profile.name} profile's " if profile is not None else ""
    return f"provisional: rests on {owner}unverified {names}; see `hls-audit profile show`"


def _suppress(findings: list[Finding], context: Context) -> list[Finding]:
    """Mark each finding an unexpired suppression covers; remember which suppressions matched."""
    out: list[Finding] = []
    for finding in findings:
        for index, suppression in enumerate(context.suppressions):
            expired = suppression.expires is not None and suppression.expires < context.today
            if not expired and suppression.covers(finding.code, finding.claim, finding.source):
                finding = replace(finding, suppressed=suppression.reason)
                context.used.add(index)
                break
        out.append(finding)
    return out


def audit(
    case: CaseStudy,
    fail_on: Severity = Severity.error,
    require: str = "records",
    config: Config | None = None,
    today: dt.date | None = None,
    documents: Documents | None = None,
    corroborated_at: str | None = None,
    frozen: bool = False,
    profile: str | Profile | None = None,
    narrative: Any = None,
) -> Report:
    """The full audit: register, documents, reconciliation, every check, then suppressions."""
    config = config or Config()
    if frozen:
        config = replace(
            config, severity={**config.severity, **dict.fromkeys(DRIFT_CODES, "error")}
        )
    chosen = resolve_profile(profile or config.profile or case.data.profile, case, config)
    template = chosen.template if chosen is not None else GENERIC
    register = build_register(case, template)
    verification = verify(case, register, documents or read_documents(case), case.root / LOCK_FILE)
    register.settle_groups()
    if corroborated_at:
        register.threshold = Level(corroborated_at)
    elif require == "documents":
        register.threshold = Level.on_file
    lines = amount_lines(case, register)
    context = Context(
        case,
        register,
        lines,
        reconcile(case, register, lines),
        require,
        suppressions=config.suppressions,
        today=today or dt.date.today(),
        verification=verification,
        profile=chosen.family if chosen is not None else None,
        profile_value=chosen,
        template=template,
        narrative=narrative,
    )
    skipped = {c.code: why for c in REGISTRY if (why := why_skipped(c, context))}
    active = [c for c in REGISTRY if c.code not in skipped]
    first = [c for c in active if c.family != AFTER_SUPPRESSIONS]
    last = [c for c in active if c.family == AFTER_SUPPRESSIONS]
    findings = _suppress(_stamp(first, context, config), context)
    findings += _stamp(last, context, config)
    findings.sort(
        key=lambda f: (
            -f.severity.rank,
            f.location.file if f.location else "",
            (f.location.line or 0) if f.location else 0,
            f.code,
        )
    )
    return Report(
        case_study=case,
        findings=findings,
        reconciliations=context.reconciliations,
        coverage=coverage(case, register),
        register=register,
        lines=lines,
        fail_on=fail_on,
        require=require,
        corroborated_at=register.threshold.value,
        narrative=narrative,
        ran=[c.code for c in active],
        skipped=skipped,
        rules=[_under(c, chosen) for c in REGISTRY],
        profile=chosen,
    )
