"""Output hygiene: what a case study's author wrote can be shown, but never forge our output.

Titles, amounts as stated, providers, file names in evidence/, keys in claims.yaml: all of it
is text from whoever opened the pull request, and hls-audit prints it into logs that a CI
runner reads. Two functions stand between that text and the output:

- :func:`one_line` makes a user string one visible line. Line breaks, control characters,
  bidirectional-text controls and lone surrogates become escapes (``\\n``, ``\\x1b``,
  ``\\u202e``), so the value stays readable but cannot start a new line, move the cursor,
  recolour the terminal or reorder what the reader sees. ``##[`` becomes ``#\\x23[``, because
  the GitHub runner obeys its legacy ``##[command]`` syntax anywhere in a line.
- :func:`plain_line` makes a line of our own output safe to print: one line, and never one the
  GitHub runner would take for a workflow command (``::error::``, ``::add-mask::``...), which it
  looks for after stripping leading whitespace.

Backslashes are left as they are, so the escapes cannot be told apart from the same characters
typed literally; that costs nothing, since no line can be forged either way, and it keeps
Windows paths and ordinary text unchanged. Escaping is idempotent: sanitising twice changes
nothing more than sanitising once. JSON and SARIF must carry the input exactly: ``json.dumps``
escapes line breaks and the other C0 controls itself, and :func:`json_safe` writes the rest of
the risky characters as JSON escapes, which decode to the same data.
"""

from __future__ import annotations

import re

# A cut string ends with this mark.
ELLIPSIS = "…"

# Cuts for echoed input: a value (an id, a key, a path) and a message that may quote one.
MAX_VALUE = 200
MAX_MESSAGE = 400

# Everything that could break a line, control a terminal or reorder text: C0 controls (TAB
# included), DEL, C1 controls (NEL U+0085 included), the line and paragraph separators, the
# bidirectional marks, embeddings, overrides and isolates, and lone surrogates (undecodable bytes
# in a file name), which could not even be encoded for output.
_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
# The same without CR and LF, for a caller that encodes those itself.
_UNSAFE_BUT_BREAKS = re.compile(f"[\x00-\x09\x0b\x0c\x0e-\x1f{_BEYOND_C0}]")

# The runner's legacy command syntax, `##[name]data`, is found anywhere in a line.
_LEGACY_COMMAND = re.compile(r"(?<=#)#(?=\[)")

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _escape_all(text: str, unsafe: re.Pattern[str] = _UNSAFE) -> str:
    text = unsafe.sub(lambda match: _escape(match.group()), text)
    return _LEGACY_COMMAND.sub(r"\\x23", text) if "#[" in text else text


def one_line(text: str, limit: int | None = None, *, keep_breaks: bool = False) -> str:
    """``text`` as one safe, visible line, at most ``limit`` characters when a limit is given.

    A string longer than the limit (counted after escaping) is cut at a whole character or
    escape and ends with :data:`ELLIPSIS`. With ``keep_breaks`` CR and LF stay as they are, for
    a caller that encodes them itself (GitHub's %0D and %0A): everything else is escaped alike.
    """
    unsafe = _UNSAFE_BUT_BREAKS if keep_breaks else _UNSAFE
    if limit is None:
        return _escape_all(text, unsafe)
    # Escaping never shortens, so a prefix one longer than the limit decides whether to cut.
    head = _escape_all(text[: limit + 1], unsafe)
    if len(head) <= limit and len(text) <= limit:
        return head
    room = max(limit - len(ELLIPSIS), 0)
    out: list[str] = []
    size = 0
    for index, char in enumerate(text[:room]):
        if char == "#" and text[index - 1 : index] == "#" and text[index + 1 : index + 2] == "[":
            piece = "\\x23"
        else:
            piece = _escape(char) if unsafe.match(char) else char
        if size + len(piece) > room:
            break
        out.append(piece)
        size += len(piece)
    return "".join(out) + ELLIPSIS


# Characters JSON may carry raw but a terminal, a log viewer or a JavaScript reader may act on
# (the unsafe ones past C0, which json.dumps escapes itself), lone surrogates included: no UTF-8
# stream could even carry those.
_JSON_RISKY = re.compile(f"[{_BEYOND_C0}]")


def json_safe(text: str) -> str:
    """JSON text with the risky characters written as \\uXXXX escapes: the same data, exactly.

    They can only occur inside JSON strings, where the escape decodes to the same character.
    """
    return _JSON_RISKY.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def plain_line(text: str) -> str:
    """A line the GitHub runner prints but never runs: one line, never starting with ``::``.

    The runner strips leading whitespace before it looks for ``::``, so indenting is no guard;
    such a line gets a ``- `` prefix.
    """
    line = one_line(text)
    if line.lstrip().startswith("::"):
        line = "- " + line
    return line


def plain_text(text: str) -> str:
    """A block of our own output with every line (split at ``\\n`` only) made a :func:`plain_line`.

    A final pass for text output: whatever a renderer missed, no line of the result can be a
    workflow command, and no control character survives.
    """
    return "\n".join(plain_line(line) for line in text.split("\n"))
