"""Terminal text helpers that count columns the way a terminal draws them.

A CJK character takes two columns; without this, Chinese descriptions push every
column after them out of line.
"""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def fit(text: str, width: int) -> str:
    """`text` cut to at most `width` columns (with `…` when cut) and padded to exactly `width`."""
    if display_width(text) > width:
        cut, used = [], 0
        for char in text:
            char_width = display_width(char)
            if used + char_width > width - 1:
                break
            cut.append(char)
            used += char_width
        text = "".join(cut) + "…"
    return text + " " * (width - display_width(text))


def human_count(value: int) -> str:
    """2_700_000_000 -> `2.7B`; 6_738_415_616 -> `6.738B`; 3.5e12 -> `3.5T`; 125e6 -> `125M`."""
    for size, suffix in ((10**12, "T"), (10**9, "B"), (10**6, "M")):
        if value >= size:
            return f"{value / size:.4g}{suffix}"
    return f"{value:,}"
