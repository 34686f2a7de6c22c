"""Markdown escaping: text and names stay literal (``<script>``, ``*x*``, ``# not a heading``).

Only what would change the meaning is escaped, so the exported file reads like the
transcript: "3.1 percent", "[laughs]", "SPEAKER_00" and "a - b" stay as they are, while
"1. not a list", "*emphasis*", "<b>" and "[a](b)" get the backslash CommonMark needs.
``unescape`` (the Markdown importer) removes a backslash before any ASCII punctuation, so
every escaped text reads back exactly.
"""

from __future__ import annotations

import re

_ASCII_PUNCT = r"!-/:-@\[-`{-~"
# Anywhere in a line: a backslash before punctuation (it would escape it), emphasis and code
# marks, a "]" that closes a link or reference, "<" that opens a tag or autolink, "&" that
# starts an entity, "_" that is not inside a word.
_INLINE = re.compile(
    rf"\\(?=[{_ASCII_PUNCT}])|[*`~]|\](?=[(\[:])|<(?=[A-Za-z/!?])|&(?=#?\w+;)"
    r"|(?<![^\W_])_|_(?![^\W_])"
)
# At the start of a line: a heading, a quote, a list item, a rule or a setext underline.
_LEADING = re.compile(r"^( {0,3})(#(?=#{0,5}(?:\s|$))|>|[-+=](?=\s|$|[-+=]))")
# "1. x" is a list; "1\. x" is not ("\1" is no escape at all: it would print as is).
_ORDERED = re.compile(r"^( {0,3}\d{1,9})([.)])(?=\s|$)")
_CLOSING_HASHES = re.compile(r"(\s)(#+)$")
_UNESCAPE = re.compile(rf"\\([{_ASCII_PUNCT}])")


def _escape_line(line: str, heading: bool) -> str:
    out = _INLINE.sub(lambda m: "\\" + m.group(0), line)
    if _ORDERED.match(out):
        out = _ORDERED.sub(r"\1\\\2", out, count=1)
    else:
        out = _LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2), out, count=1)
    if heading:
        # "# Title #": a closing run of hashes would be dropped from the heading.
        out = _CLOSING_HASHES.sub(lambda m: m.group(1) + "\\" + m.group(2), out)
    return out


def escape(text: str, *, heading: bool = False) -> str:
    """``text`` as Markdown that renders (and re-imports) as exactly ``text``."""
    return "\n".join(_escape_line(line, heading) for line in text.split("\n"))


def unescape(text: str) -> str:
    return _UNESCAPE.sub(r"\1", text)
