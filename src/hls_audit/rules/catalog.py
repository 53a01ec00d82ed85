"""The rule catalogue: every check of every family and profile, in code order.

Codes are never reused. This module is the only one that gathers the families
(`hls_audit.rules.*`) and the profiles (`hls_audit.profiles.*`), so neither imports the other
through it and there is no import cycle.
"""

from __future__ import annotations

import importlib

from hls_audit.profiles import PROFILES
from hls_audit.rules import (
    amounts,
    citations,
    documents,
    drafts,
    headline,
    narrative,
    register,
    suppressions,
)
from hls_audit.rules.base import Check, Context

REGISTRY: tuple[Check, ...] = (
    citations.claim_without_source,
    citations.unknown_source,
    citations.bad_page_reference,
    citations.repeated_citation,
    citations.money_without_external_source,
    citations.research_claim_without_reference,
    drafts.unreviewed_item,
    drafts.placeholder,
    register.missing_document,
    register.unrecorded_document,
    register.uncited_source,
    register.duplicate_id,
    register.record_only,
    register.record_file_name,
    register.untraceable_source,
    register.unknown_related_source,
    amounts.unknown_part_of,
    amounts.part_of_cycle,
    amounts.parts_exceed_whole,
    amounts.part_without_whole,
    amounts.currency_without_conversion,
    amounts.recurring_amount_counted,
    amounts.unknown_headline,
    amounts.unquantified_amount,
    headline.headline_not_proven,
    headline.headline_failed,
    headline.headline_uncorroborated,
    headline.headline_without_amounts,
    documents.quote_not_found,
    documents.quote_on_other_page,
    documents.scanned_document,
    documents.unreadable_document,
    documents.quote_without_document,
    documents.document_changed,
    documents.document_added,
    documents.document_removed,
    documents.suspect_claim,
    narrative.figure_not_in_ledger,
    narrative.amount_not_in_text,
    narrative.unknown_marker,
    narrative.uncited_in_text,
    narrative.citation_mismatch,
    narrative.qualifier_mismatch,
    suppressions.expired_suppression,
    suppressions.unused_suppression,
)
REGISTRY += tuple(  # each built-in profile's rules, after the families
    check
    for name in PROFILES
    for check in importlib.import_module(f"hls_audit.profiles.{name}.rules").CHECKS
)

BY_CODE = {c.code: c for c in REGISTRY}


def get_check(code: str) -> Check:
    """Look a check up by code (case-insensitive) or name; unknown codes are a loud error."""
    wanted = code.strip().upper()
    if wanted in BY_CODE:
        return BY_CODE[wanted]
    for item in REGISTRY:
        if item.name == code.strip().lower():
            return item
    raise KeyError(code)


__all__ = ["BY_CODE", "REGISTRY", "Check", "Context", "get_check"]
