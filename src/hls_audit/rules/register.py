"""Checks on the evidence register: records, their documents, and what is never cited."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from hls_audit.analysis.evidence import Level
from hls_audit.engine.findings import Hit, Severity
from hls_audit.io.load import LoadedRecord, Located
from hls_audit.rules.base import Context, check


@check(
    "HLS201",
    "missing-document",
    Severity.error,
    "A record names a document that is not in evidence/.",
)
def missing_document(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A record's `document:` names a file that is not in evidence/.

    Why it matters:
        The register promises a document on file that is not there; the source is treated as
        missing.

    Example:
        # evidence/E2.yaml
        document: docs/report.pdf   # HLS201 when the file is absent

    Fix:
        Add the file, correct its name, or remove `document:` if the original is held elsewhere.
    """
    present = set(ctx.case.documents)
    for loaded in ctx.case.records:
        name = loaded.record.document
        if name is not None and name not in present:
            yield Hit(
                f"{loaded.record.id} names document {name}, which is not in evidence/",
                ctx.case.record_at(loaded, ("document",)),
                source=loaded.record.id,
                hint="add the file, fix the name, or drop `document:` if it is held elsewhere",
            )


@check(
    "HLS202", "unrecorded-document", Severity.warning, "A file in evidence/ is named by no record."
)
def unrecorded_document(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A file under evidence/ is not named by any record's `document:`.

    Why it matters:
        An unnamed file is evidence nobody cites: either a record is missing or the file is stray.

    Example:
        evidence/stray.pdf    # HLS202: no record has document: stray.pdf

    Fix:
        Name the file in the record it belongs to, or remove it.
    """
    named = {loaded.record.document for loaded in ctx.case.records}
    for name in ctx.case.documents:
        if name not in named:
            yield Hit(
                f"evidence/{name} is not named by any record",
                Located(f"{ctx.case.evidence_display}/{name}"),
                hint="name it in a record's `document:`, or remove it from evidence/",
            )


@check(
    "HLS203",
    "uncited-source",
    Severity.warning,
    "A source or reference in the register is cited by no claim.",
)
def uncited_source(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A record in evidence/ (or a grant) is cited by no claim.

    Why it matters:
        A listed source or reference that supports nothing suggests a claim lost its citation, or
        the list carries padding a panel will notice.

    Example:
        # evidence/R6.yaml exists, but no claim has R6 in its evidence   # HLS203

    Fix:
        Cite it from the claim it supports, or remove it from the case study.
    """
    grants: dict[str, int] = {}
    for position, grant in enumerate(ctx.case.data.grants):
        grants.setdefault(grant.id, position)
    for entry in ctx.register.entries.values():
        if entry.cited_by or entry.kind == "group":
            continue
        if entry.record is not None:
            where = ctx.case.record_at(entry.record, ("id",))
        else:
            where = ctx.case.at(("grants", grants[entry.id]))
        yield Hit(
            f"{entry.id} is in the register but no claim cites it",
            where,
            source=entry.id,
            hint="cite it from the claims it supports, or remove it from the case study",
        )


@check(
    "HLS204",
    "duplicate-id",
    Severity.error,
    "Two claims, records, grants or headlines share an id.",
)
def duplicate_id(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Two claims, records, grants or headlines share an id.

    Why it matters:
        Citations and `part_of` resolve by id; a duplicate makes them ambiguous.

    Example:
        - id: C2
          ...
        - id: C2              # HLS204

    Fix:
        Give each item its own id.
    """
    data = ctx.case.data
    # Where each id is written, as (list, index) or the record; located only for a repeat.
    places: list[tuple[str, tuple[str, int] | LoadedRecord]] = []
    ids: list[tuple[str, list[str]]] = [
        ("headlines", [h.id for h in data.headlines]),
        ("grants", [g.id for g in data.grants]),
        ("claims", [c.id for c in data.claims]),
    ]
    for name, items in ids:
        places.extend((identifier, (name, index)) for index, identifier in enumerate(items))
    places.extend((loaded.record.id, loaded) for loaded in ctx.case.records)

    def locate(place: tuple[str, int] | LoadedRecord) -> Located:
        if isinstance(place, LoadedRecord):
            return ctx.case.record_at(place, ("id",))
        return ctx.case.at((*place, "id"))

    seen: dict[str, int] = {}
    for position, (identifier, place) in enumerate(places):
        earlier = seen.setdefault(identifier, position)
        if earlier != position:
            first, where = locate(places[earlier][1]), locate(place)
            yield Hit(
                f"id {identifier} is used again (first at {first.file}:{first.line})",
                where,
                claim=identifier,
                hint="give each claim, record, grant and headline its own id",
            )


@check(
    "HLS205",
    "record-only",
    Severity.error,
    "Under --require documents: a cited source has a record but no document on file.",
)
def record_only(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        Only under `--require documents`: a cited source has a record but no document on file.

    Why it matters:
        Some audits require a copy of every source before submission; this policy makes the gap an
        error and leaves the source out of the corroborated total.

    Example:
        hls-audit check --require documents   # HLS205 for each recorded-only source

    Fix:
        Put a copy in evidence/ and name it in the record's `document:`, where the owner allows.
    """
    if ctx.require != "documents":
        return
    for entry in ctx.register.entries.values():
        if entry.kind not in ("source", "reference") or entry.level is not Level.recorded:
            continue
        if not entry.cited_by or entry.record is None:
            continue
        held = entry.record.record.held_by or entry.record.record.url or entry.record.record.doi
        yield Hit(
            f"{entry.id} is recorded only; the original is held elsewhere"
            + (f" ({held})" if held else ""),
            ctx.case.record_at(entry.record, ("id",)),
            source=entry.id,
            hint="put a copy in evidence/ and name it in `document:` where the owner allows",
        )


@check("HLS206", "record-file-name", Severity.warning, "A record's id differs from its file name.")
def record_file_name(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A record's `id` differs from its file name.

    Why it matters:
        People find a record by its file; `evidence/E2copy.yaml` holding E2 hides which is
        authoritative.

    Example:
        # evidence/E2copy.yaml
        id: E2                # HLS206

    Fix:
        Rename the file to `<id>.yaml`.
    """
    for loaded in ctx.case.records:
        name = posixpath.basename(loaded.document.path)  # a record's name ends .yaml or .yml
        if posixpath.splitext(name)[0] != loaded.record.id:
            yield Hit(
                f"record {loaded.record.id} lives in {name}",
                ctx.case.record_at(loaded, ("id",)),
                source=loaded.record.id,
                hint=f"rename the file to {loaded.record.id}.yaml so the id is easy to find",
            )


@check(
    "HLS207",
    "untraceable-source",
    Severity.warning,
    "A record says nowhere where the original is held: no held_by, url, doi or document.",
)
def untraceable_source(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A record has none of `held_by`, `url`, `doi` or `document`.

    Why it matters:
        An auditor must be able to obtain the original; a source held nowhere cannot be checked.

    Example:
        id: E2
        kind: report
        title: Annual report     # HLS207: where is it?

    Fix:
        Add `held_by` (who keeps the original), a `url` or `doi`, or a `document`.
    """
    for loaded in ctx.case.records:
        r = loaded.record
        if not (r.held_by or r.url or r.doi or r.document):
            yield Hit(
                f"{r.id} does not say where the original is held",
                ctx.case.record_at(loaded, ("id",)),
                source=r.id,
                hint="add held_by (who keeps the original), a url or doi, or a document",
            )


@check(
    "HLS208",
    "unknown-related-source",
    Severity.error,
    "A record's part_of or same_as names an id that is not in the register.",
)
def unknown_related_source(ctx: Context) -> Iterator[Hit]:
    """
    What it does:
        A record's `same_as` names an id that is not in the register, or `part_of` names itself.

    Why it matters:
        These links tie parts (E5a, E5b) to their parent and sources to the references they
        duplicate; a broken link hides that relationship.

    Example:
        same_as: R9           # HLS208 when there is no R9

    Fix:
        Name an existing record, or remove the link.
    """
    for loaded in ctx.case.records:
        same_as = loaded.record.same_as
        if same_as and same_as not in ctx.register.entries:
            yield Hit(
                f"{loaded.record.id} is marked same_as {same_as}, which is not in the register",
                ctx.case.record_at(loaded, ("same_as",)),
                source=loaded.record.id,
                hint="name an existing record, or remove same_as",
            )
        part_of = loaded.record.part_of
        if part_of and part_of == loaded.record.id:
            yield Hit(
                f"{loaded.record.id} is marked part_of itself",
                ctx.case.record_at(loaded, ("part_of",)),
                source=loaded.record.id,
                hint="part_of names the parent source, such as E5 for E5a",
            )
