"""Terminal charts for the MI screen: bars of block characters, as Rich text."""

from __future__ import annotations

from rich.text import Text

from frontdoor.mi.model import Rate

BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(value: float, peak: float, width: int) -> str:
    """A bar `width` cells long at `peak`, in eighths of a cell."""
    if peak <= 0 or value <= 0:
        return ""
    eighths = round(width * 8 * min(value / peak, 1.0))
    return "█" * (eighths // 8) + (BLOCKS[eighths % 8] if eighths % 8 else "")


def bar_chart(
    rows: list[tuple[str, float, str]], width: int = 30, style: str = "cyan", label_width: int = 22
) -> Text:
    """One row per item: label, bar, and the text to show after it."""
    peak = max((v for _, v, _ in rows), default=0)
    text = Text()
    for label, value, shown in rows:
        text.append(f"{label[:label_width]:<{label_width}} ")
        text.append(f"{bar(value, peak, width):<{width}}", style=style)
        text.append(f" {shown}\n")
    return text


def rate_text(value: Rate) -> str:
    rate = value.rate
    return f"not available (n={value.n})" if rate is None else f"{rate:.0%} (n={value.n})"


def titled(title: str) -> Text:
    """A heading line whose style ends with it (a Text's own style would run on into
    whatever is appended to it)."""
    text = Text()
    text.append(title, style="underline")
    return text
