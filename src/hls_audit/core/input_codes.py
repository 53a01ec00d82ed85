"""The stable codes of input errors (exit 2): what each means and how to fix it.

Findings have codes from HLS101 up; input errors, which stop an audit before it starts, have
HLS001 to HLS099. `hls-audit explain HLS005` shows one; codes are never reused.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InputCode:
    """One kind of unusable input."""

    code: str
    name: str
    summary: str
    fix: str


INPUT_CODES: dict[str, InputCode] = {
    c.code: c
    for c in (
        InputCode(
            "HLS001",
            "unreadable-file",
            "A file or folder the audit needs is missing, unreadable, a dangling link or a "
            "link loop.",
            "Check the path; restore the file a link points at; make it readable.",
        ),
        InputCode(
            "HLS002",
            "refused-file",
            "An input is not a regular file inside the case study: a link that leads out of "
            "its folder, a device, a FIFO, a socket or a folder. hls-audit never reads it.",
            "Copy the file into the case study instead of linking to it; replace the special "
            "file with a regular one.",
        ),
        InputCode(
            "HLS003",
            "file-too-large",
            "An input is over its size limit (5 MiB for claims.yaml, a record, the settings "
            "and the lock; 100 MiB for the narrative). It is refused before it is read.",
            "Remove what does not belong in it, or split the case study.",
        ),
        InputCode(
            "HLS004",
            "not-utf-8",
            "A YAML file is not valid UTF-8; the message names the first bad byte.",
            "Save the file as UTF-8.",
        ),
        InputCode(
            "HLS005",
            "yaml-syntax",
            "A YAML file cannot be read: bad syntax, a control character, nesting deeper than "
            "64 levels, a duplicate key, an alias, a merge key or an explicit tag.",
            "Fix the YAML at the place named; quote values that contain ': ' or '#'.",
        ),
        InputCode(
            "HLS006",
            "invalid-value",
            "A value in claims.yaml or a record does not fit the format: a missing or unknown "
            "key, a wrong type, an impossible date, an amount that is not money.",
            "Correct the value at the place named; `hls-audit schema` gives the format.",
        ),
        InputCode(
            "HLS007",
            "unsafe-path",
            "A record's `document:`, the `narrative:` or the settings' `profile =` file is "
            "absolute or climbs out with '..'.",
            "Give a path relative to evidence/ (for a document) or to claims.yaml.",
        ),
        InputCode(
            "HLS008",
            "bad-settings",
            "hls-audit.toml or [tool.hls-audit] cannot be used: TOML syntax, an unknown setting "
            "or check code, a suppression without a reason or subject, an odd date, a `profile` "
            "that is neither a built-in profile nor a .toml file.",
            "Fix the setting at the line named; see Settings and suppressions in the README.",
        ),
        InputCode(
            "HLS009",
            "bad-lock",
            "evidence.lock is not a valid lock, or --frozen was asked for without one.",
            "Regenerate it with `hls-audit lock --update` and review the diff.",
        ),
        InputCode(
            "HLS010",
            "unreadable-narrative",
            "The narrative cannot be read: damaged, a scan without text, or too long.",
            "Export it again, or give the text as .txt or .md.",
        ),
        InputCode(
            "HLS011",
            "unwritable-output",
            "A file to write cannot be: a folder, an input of the audit, a device that is not "
            "a stream, a full disk, an unwritable folder, or a name that already exists.",
            "Write to a new file in a writable folder outside evidence/.",
        ),
        InputCode(
            "HLS012",
            "unlistable-evidence",
            "evidence/ or a folder inside it cannot be listed.",
            "Make it readable by the user running hls-audit; replace links with the folder.",
        ),
        InputCode(
            "HLS013",
            "bad-profile",
            "A profile file cannot be used: TOML syntax, an unknown key or limit name, a value "
            "of the wrong type (a limit keeps its parent's type: a whole number or a date), an "
            "unknown status or severity, a code that is not one of the profile's rules, or a "
            "house profile without `extends`.",
            "Fix the key at the line named; `hls-audit profile show NAME` lists the limits "
            "and rules a house profile may override.",
        ),
        InputCode(
            "HLS014",
            "bad-extends",
            "A profile's `extends` names no built-in profile and no file in its folder, or the "
            "chain of `extends` leads back to a file already in it (a cycle).",
            "Extend a built-in profile (`hls-audit profiles` lists them) or a .toml file beside "
            "the profile, and end every chain at a built-in profile.",
        ),
        InputCode(
            "HLS015",
            "not-a-git-repository",
            "`diff` needs the case study's history, but its folder is not inside a git work "
            "tree, or git is not installed or cannot run.",
            "Run `hls-audit diff` inside a git repository that holds the case study, with git "
            "installed and on PATH.",
        ),
        InputCode(
            "HLS016",
            "unknown-revision",
            "A revision given to `diff` names no commit of the repository, or starts with '-' "
            "(which is never passed to git).",
            "Give a branch, a tag, a commit id or an expression such as HEAD~1; `git log "
            "--oneline` lists the commits.",
        ),
        InputCode(
            "HLS017",
            "case-study-absent",
            "At a revision given to `diff` the case study's claims file does not exist (the "
            "commit is older than the case study, or it was moved or removed), or is a link.",
            "Pick a revision that holds the case study: `git log -- PATH/claims.yaml` lists "
            "the commits that touched it.",
        ),
    )
}


def get_input_code(code: str) -> InputCode | None:
    """An input error's entry by its code (HLS005, any case) or its name (yaml-syntax)."""
    wanted = code.strip()
    found = INPUT_CODES.get(wanted.upper())
    return found or next((c for c in INPUT_CODES.values() if c.name == wanted.lower()), None)
