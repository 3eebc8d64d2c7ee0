"""Document text made safe for where it goes: Python source, Graphviz, Markdown, a terminal.

Labels and ids are free text from a file someone else may have written, so nothing from a
document is ever pasted raw into generated code or printed raw.  Every writer calls the one
function here for its target; each is a pure function of the text, tested against every
Unicode line break, quotes, backslashes and the target's own closing sequences.

The shared rule is `visible`: a character that is not printable (C0 and C1 controls, DEL,
line and paragraph separators, bidi overrides and isolates, zero-width characters, lone
surrogates, unassigned code points) is written as its Python-style escape (`\\x1b`,
`\\u202e`, `\\ud800`), so it is shown, never obeyed, and always encodes as UTF-8.
"""

from __future__ import annotations

import re
import unicodedata

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _safe(ch: str) -> bool:
    """Printable, or a space of some width (U+00A0, U+3000): shown as what it is."""
    return ch.isprintable() or unicodedata.category(ch) == "Zs"


def visible(text: str) -> str:
    """`text` with every character that could act instead of being shown written as an escape."""
    if text.isprintable():  # the common case, one C-level scan
        return text
    return "".join(ch if _safe(ch) else _escape(ch) for ch in text)


def visible_lines(text: str) -> str:
    """`visible` for multi-line text (a note): line feeds and tabs stay what they are."""
    return "\n".join("\t".join(visible(part) for part in line.split("\t")) for line in str(text).split("\n"))


# -- Python ------------------------------------------------------------------------------------


def python_string(text: str) -> str:
    """A double-quoted Python string literal that evaluates to exactly `text`: backslashes and
    quotes escaped, then controls written as the escapes Python reads back as the same
    characters (for a plain id, the same text `json.dumps` gives)."""
    return '"' + visible(str(text).replace("\\", "\\\\").replace('"', '\\"')) + '"'


def python_comment(text: str) -> str:
    """Text for after a `#`: no character can end the comment, so none of it can run."""
    return visible(str(text))


def python_docstring(text: str) -> str:
    """Text for inside a triple-quoted docstring: no quote can close it, and every backslash
    (a control's escape too) is doubled, so the docstring reads exactly as the source does."""
    return visible(str(text)).replace("\\", "\\\\").replace('"', '\\"')


# -- Graphviz ----------------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def dot_string(text: str) -> str:
    """A quoted DOT string: every line break a DOT `\\n`, other controls shown as their
    escape, and then every backslash doubled and every quote escaped, so DOT prints the text
    as it reads here and nothing in it can close the string."""
    lines = (visible(line).replace("\\", "\\\\").replace('"', '\\"')
             for line in _LINE_BREAK.split(str(text)))
    return '"' + "\\n".join(lines) + '"'


# -- Markdown ----------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")


def markdown_text(text: str) -> str:
    """Inline Markdown (a heading's words, a table cell) that shows `text` literally: the
    punctuation that starts emphasis, code, links or a cell backslash-escaped, `&` and `<`
    as entities (so no raw HTML gets through), controls and line breaks shown as escapes."""
    shown = visible(str(text)).replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", shown)


def markdown_code(text: str, in_table: bool = False) -> str:
    """A code span showing `text` literally: fenced by more backticks than any run inside it
    (CommonMark's rule), padded when it starts or ends with a backtick or a space, and with
    `|` escaped inside a table cell (GFM splits cells on it even inside code)."""
    shown = visible(str(text))
    longest = max((len(run) for run in re.findall(r"`+", shown)), default=0)
    fence = "`" * (longest + 1)
    if shown[:1] in ("`", " ") or shown[-1:] in ("`", " "):
        shown = f" {shown} "
    if in_table:
        shown = shown.replace("|", "\\|")
    return f"{fence}{shown}{fence}"


# -- the terminal ------------------------------------------------------------------------------

MESSAGE_LIMIT = 1000  # characters in one message line; a cycle through 200k nodes is not read


def one_line(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """A message as one line: runs of whitespace (line breaks too) become one space, and past
    `limit` characters it is cut, ending in "…" so the cut shows."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"



def terminal(text: str) -> str:
    """Text for a terminal: escape sequences (ESC, CSI, OSC, C1), NUL, BEL, bidi overrides,
    zero-width characters and lone surrogates shown as escapes, so printing it can neither
    drive the terminal nor fail to encode."""
    return visible(str(text))


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: wide and full-width characters (CJK, most emoji)
    two, combining marks none, everything else one.  Meant for `terminal`'s output."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width
