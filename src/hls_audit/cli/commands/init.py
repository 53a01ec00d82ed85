"""`hls-audit init`: a new case study, every part of the format shown, nothing yet filled in.

Every value a person has to write is a placeholder (HLS108 names it) and every example item is
marked `reviewed: false` (HLS107), so `hls-audit check` fails until the skeleton is filled in.
"""

import os
from pathlib import Path
from typing import Annotated

import typer

from hls_audit.cli.errors import fail, guard

CLAIMS_TEMPLATE = """\
# claims.yaml: what the case study claims, each claim with the evidence that corroborates it.
# Made by `hls-audit init`. Every "TODO" and "<...>" is a value still to write, and every item
# marked `reviewed: false` is an example still to check: `hls-audit review` lists what is left,
# `hls-audit check` fails until none is. Delete the examples you do not need.
version: 1                      # the format version; always 1
# profile: <name>              # optional: a rule profile; `hls-audit rules` lists them
# narrative: case-study.docx    # optional: the case study's text (txt, md, docx or pdf)

case_study:                     # the case study's own facts: its header
  title: "TODO: the case study's title"
  institution: "TODO: the submitting institution"
  unit:                         # the unit of assessment
    number: 1                   # replace with your unit's number
    name: "TODO: the unit's name"
  research_period: {start: "2000", end: "2020"}   # replace: when the research was done
  impact_period: {start: "2013-08", end: "2020"}  # replace: when the impact happened
  continued_from_2014: false    # true if it continues a 2014 case study
  staff:                        # who did the underpinning research
    - name: "TODO: a researcher's name"
      role: "TODO: their role, such as Senior Lecturer"
      employed: {start: "2015"}   # replace; no end means still employed

headlines:                      # the totals the case study asserts
  - id: H1
    statement: "TODO: the headline as the case study words it, e.g. more than £5m"
    relation: more_than         # exact | at_least | more_than | about | up_to
    value: 5000000              # replace: the headline figure
    currency: GBP               # the default
    # tolerance: 500000         # for relation: about, how far off still counts
    sections: ["1", "4"]        # where the case study states it
    reviewed: false             # set true once checked

grants:                         # research funding: cited as evidence, never added to a headline
  - id: G1
    funder: "<name of funder>"
    principal_investigator: "TODO: the principal investigator"
    period: {start: "2016-01", end: "2018-12"}   # replace
    value: 100000               # replace: the award
    currency: GBP
    stated: "TODO: the award as the case study writes it"
    reviewed: false

claims:                         # one item per claim a reviewer would want corroborated
  - id: C1                      # research (sections 2 and 3): cite references and grants
    section: "2"
    statement: "TODO: what the research found, in your own words"
    evidence: [G1]
    reviewed: false

  - id: C2                      # role counted: an amount that counts toward a headline
    section: "4.1"              # 1, 2, 4, 4.1, 4.2 ...
    statement: "TODO: what happened, and who did it"
    organisation: "TODO: the organisation"
    date: "2019-04"             # optional: a year, a month or a day (replace)
    evidence:
      - E1                      # a bare id: a source (E...), a reference (R...) or a grant (G...)
      - {source: E1, pages: p2} # with a page or a range: p9, p2-3
      # - {source: E1, pages: p2, quote: "the words relied on"}   # checked if E1 has a document
    amount:
      role: counted
      value: 7000000            # replace: 7000000, "7m", "£7,000,000"
      currency: GBP
      qualifier: exact          # exact | at_least | more_than | about | up_to
      # tolerance: 100000       # optional; by default the figure's stated precision
      stated: "TODO: the figure as the text writes it, e.g. £7m"
      headline: H1              # the headline it counts toward
      period: {start: "2019-04", end: "2020-03"}   # optional (replace)
      # expected: true          # if budgeted or expected rather than spent
      # conversion: {rate: "0.79", to: GBP, source: "TODO: where the rate comes from"}
    reviewed: false

  - id: C3                      # role part: inside another claim's amount; shown, never added
    section: "4.1"
    statement: "TODO: the part of C2's amount this claim is about"
    evidence: [E1]
    amount: {role: part, value: 500000, part_of: C2, stated: "TODO: e.g. £0.5m"}
    reviewed: false

  - id: C4                      # role context: such as an annual spend; never added
    section: "4.2"
    statement: "TODO: a figure that gives context"
    evidence: [E1]
    amount:
      role: context
      value: 2000000
      per: year                 # a recurring figure: year | month
      qualifier: about
      stated: "TODO: e.g. about £2m a year"
      note: "TODO: why it is context, not impact"
    reviewed: false

  - id: C5                      # role saving: money saved; never added to funding
    section: "4.2"
    statement: "TODO: what was saved"
    evidence: [E1]
    amount: {role: saving, value: 250000, qualifier: at_least, stated: "TODO: e.g. at least £250k"}
    reviewed: false

  - id: C6                      # role grant: research funding stated as a claim; never added
    section: "3"
    statement: "TODO: the grant as the case study states it"
    evidence: [G1]
    amount: {role: grant, value: 100000, stated: "TODO: e.g. £100,000"}
    reviewed: false

  - id: C7                      # role unquantified: money stated without a figure
    section: "4.2"
    statement: "TODO: a claim of money with no figure given"
    evidence: [E1]
    amount: {role: unquantified, stated: "TODO: the words used, e.g. significant savings"}
    figure: {value: 50, unit: percent, qualifier: about, stated: "TODO: e.g. ~50%"}  # optional
    reviewed: false
"""

RECORD_TEMPLATE = """\
# evidence/E1.yaml: one record per source, named by its id. Ids starting R and a digit are
# references to the research; every other id is a source that corroborates the impact.
# Any other file in evidence/ is a document and must be named by a record's `document:`.
id: E1
kind: testimonial               # testimonial | transcript | report | tender | case-study |
                                # strategy | briefing | manifesto | guide | article | chapter |
                                # web-page | dataset | other
title: "TODO: the source's title, e.g. Letter of support from the council"
provider:                       # who provided it: organisation and role (a name only if needed)
  organisation: "TODO: the organisation"
  role: "TODO: the provider's role"
  # name: a person's name
# authors: ["TODO: an author"]  # for references to the research
date: "2020-05"                 # a year, a month or a day (replace)
# venue: a journal or publisher, for references
corroborates: "TODO: what this source backs up"
held_by: "TODO: where the original is held, e.g. the impact team"
# url: https://example.org/the-source
# doi: 10.1000/example
# document: letters/E1.pdf      # a file on record, relative to evidence/
# page_count: 12                # page references past it are findings
confidential: false             # true keeps a testimonial's original out of the repository
# part_of: E5                   # for a part (E5a) of a larger source
# same_as: R1                   # for the same work as another record
# listed_in: sources            # references | sources, when the id does not say which
reviewed: false                 # set true once checked against the original
"""

SETTINGS_TEMPLATE = """\
# hls-audit.toml: settings for `hls-audit check` in this folder. Options on the command line
# win. Everything here is optional; remove the '#' to use a setting.

# fail-on = "error"             # exit 1 on findings at or above: error | warning | info
# require = "records"           # what a source needs to count: records | documents

# [severity]                    # change one check's severity
# HLS203 = "error"

# [[suppress]]                  # an accepted, known gap: one check, one claim or source
# code = "HLS203"
# source = "R6"                 # or claim = "C12"; both may be given
# reason = "Why the gap is accepted"
# expires = 2027-03-31          # optional; after it the suppression is an error (HLS501)
"""


@guard
def init(
    directory: Annotated[
        Path,
        typer.Argument(help="The folder for the new case study.", show_default="current folder"),
    ] = Path("."),
) -> None:
    """Start a case study: claims.yaml, evidence/ with one record, hls-audit.toml, to fill in."""
    from hls_audit.core.errors import InputError
    from hls_audit.io.output import write_atomic

    files = {
        directory / "claims.yaml": CLAIMS_TEMPLATE,
        directory / "evidence" / "E1.yaml": RECORD_TEMPLATE,
        directory / "hls-audit.toml": SETTINGS_TEMPLATE,
    }
    existing = [
        path
        for path in (
            directory / "claims.yaml",
            directory / "evidence",
            directory / "hls-audit.toml",
        )
        if os.path.lexists(path)
    ]
    if existing:
        fail(
            [
                InputError(
                    "already exists; init never overwrites",
                    path=str(path),
                    hint="start the case study in a new folder, or move the file away",
                    code="HLS011",
                )
                for path in existing
            ],
            as_json=False,
        )
    try:
        try:
            (directory / "evidence").mkdir(parents=True)
        except OSError as exc:
            raise InputError(
                f"cannot be made ({exc.strerror or type(exc).__name__})",
                path=str(directory / "evidence"),
                hint="choose a folder you can write to",
                code="HLS011",
            ) from None
        for path, text in files.items():
            write_atomic(path, text, in_place=False)
    except InputError as exc:
        fail([exc], as_json=False)
    typer.echo(
        f"wrote {directory / 'claims.yaml'}, {directory / 'evidence' / 'E1.yaml'} and "
        f"{directory / 'hls-audit.toml'}\n"
        "next: replace every TODO and <...>, check each example, set reviewed: true; "
        f"`hls-audit review {directory}` lists what is left"
    )
