"""Word diffs as HTML for the history panel: deletions struck in muted red, insertions green."""

from __future__ import annotations

from html import escape

from widgets.theme import Theme


def diff_to_html(a: str, b: str, theme: Theme) -> str:
    from assist.diffs import word_diff  # with the first diff shown, not with the window

    out = []
    for op, chunk in word_diff(a, b):
        text = escape(chunk)
        if op < 0:
            out.append(f'<s style="color:{theme.deleted}">{text}</s>')
        elif op > 0:
            out.append(
                f'<span style="color:{theme.inserted};background:{theme.inserted_bg}">{text}</span>'
            )
        else:
            out.append(text)
    return "".join(out)
