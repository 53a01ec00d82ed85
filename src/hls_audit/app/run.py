"""The one use case: audit one case study, from its path to its report.

`check`, `totals`, `sources`, `narrative` and every case study of a portfolio come through
`run_case`, so a case study gives the same findings and exit code alone and in a portfolio: the
settings, the `--frozen` guard, the narrative and the documents are settled here, once. Nothing
here prints; unusable input is raised as InputError or InputErrors for the caller to report.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hls_audit.core.errors import InputError

if TYPE_CHECKING:
    from hls_audit.documents.verify import Progress
    from hls_audit.engine.findings import Report
    from hls_audit.io.load import CaseStudy
    from hls_audit.narrative.analysis import Narrative
    from hls_audit.profiles.base import Profile

ProgressFor = Callable[[int], "Progress | None"]  # documents to read -> a progress callback


@dataclass(frozen=True)
class RunOptions:
    """What the command line adds to a case study's own files; None means "as the files say"."""

    fail_on: str | None = None
    require: str | None = None
    corroborated_at: str | None = None
    profile: str | None = None
    frozen: bool = False
    narrative: Path | None = None  # --narrative FILE: instead of `narrative:` in claims.yaml
    config: Path | None = None  # --config FILE: instead of the settings beside claims.yaml
    profile_dir: Path | None = None  # --profile-dir DIR: house profiles shared by case studies


def run_case(
    target: Path,
    options: RunOptions,
    progress: ProgressFor | None = None,
    read: Mapping[str, bytes] | None = None,
) -> Report:
    """Load, settle the settings, guard --frozen, read the narrative and documents, audit.

    ``read``: inputs already read (see `io.load.load_case_study`)."""
    return run_case_under(target, options, (options.profile,), progress, read)[0]


def run_case_under(
    target: Path,
    options: RunOptions,
    profiles: tuple[str | None, ...],
    progress: ProgressFor | None = None,
    read: Mapping[str, bytes] | None = None,
) -> list[Report]:
    """The use case once per profile (None: as the files say), the case study, its settings
    and its documents read once for all of them; the narrative is read with each profile's
    template."""
    from hls_audit.documents.lock import LOCK_FILE
    from hls_audit.documents.verify import named_documents, read_documents
    from hls_audit.engine.audit import audit, resolve_profile
    from hls_audit.engine.findings import Severity
    from hls_audit.io.config import load_config
    from hls_audit.io.load import load_case_study

    case = load_case_study(target, read)
    config = load_config(case.root, options.config, case.folder)
    if options.frozen and not os.path.lexists(case.root / LOCK_FILE):
        raise InputError(
            "--frozen needs evidence.lock beside claims.yaml",
            path=str(case.root / LOCK_FILE),
            hint="run `hls-audit lock` and commit evidence.lock",
            code="HLS009",
        )
    chosen = [
        resolve_profile(
            name or config.profile or case.data.profile, case, config, options.profile_dir
        )
        for name in profiles
    ]
    narratives = [load_case_narrative(case, options.narrative, profile) for profile in chosen]
    documents = read_documents(
        case, progress(len(named_documents(case))) if progress is not None else None
    )
    return [
        audit(
            case,
            fail_on=Severity(options.fail_on or config.fail_on or "error"),
            require=options.require or config.require or "records",
            config=config,
            documents=documents,
            corroborated_at=options.corroborated_at,
            frozen=options.frozen,
            narrative=narrative,
            profile=profile,
        )
        for profile, narrative in zip(chosen, narratives, strict=True)
    ]


def load_case_narrative(
    case: CaseStudy, given: Path | None, profile: str | Profile | None = None
) -> Narrative | None:
    """The narrative named on the command line, else by `narrative:` in claims.yaml, else None.

    It is read with the template of ``profile`` (else the case study's own profile, else the
    generic template)."""
    if given is None and case.data.narrative is None:
        return None
    from hls_audit.io.files import folder_for
    from hls_audit.io.load import display_path
    from hls_audit.narrative.analysis import load_narrative
    from hls_audit.profiles import template_for

    if profile is None or isinstance(profile, str):
        template = template_for(profile or case.data.profile)
    else:
        template = profile.template

    if given is not None:
        return load_narrative(given, display_path(given), folder_for(given, case.folder), template)
    assert case.data.narrative is not None
    target = case.root / case.data.narrative
    lexical = os.path.normpath(os.path.join(os.path.abspath(case.root), case.data.narrative))
    placed = os.path.join(os.path.realpath(os.path.dirname(lexical)), os.path.basename(lexical))
    if Path(case.data.narrative).is_absolute() or not case.folder.contains(placed):
        line, column = case.claims_document.position(("narrative",)) or (None, None)
        raise InputError(
            "the narrative must be inside the case study's folder",
            path=case.claims_document.path,
            line=line,
            column=column,
            yaml_path="narrative",
            hint="give a path relative to claims.yaml, without '..', or pass --narrative FILE",
            code="HLS007",
        )
    return load_narrative(target, display_path(target), case.folder, template)
