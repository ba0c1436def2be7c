"""Small self-contained SVG charts (horizontal bars, lines) for the HTML report; no clock, no randomness."""

from __future__ import annotations

from html import escape

PALETTE = ("#2f6690", "#d1495b", "#66a182", "#edae49", "#7b5ea7", "#3a7d7c", "#8c6d46")


def _n(value: float) -> str:
    return f"{value:.1f}"


def bar_chart(items: list[tuple[str, float]], title: str, width: int = 640, colour: str = PALETTE[0]) -> str:
    """Horizontal bars, one per (label, value), labels on the left; values printed at the bar ends."""
    bar, gap, label_width, top = 18, 6, 260, 28
    height = top + len(items) * (bar + gap) + 10
    peak = max((v for _, v in items), default=0) or 1
    span = width - label_width - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" font-family="sans-serif" font-size="12">',
        f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(items):
        y = top + i * (bar + gap)
        length = span * value / peak
        parts.append(f'<text x="{label_width - 6}" y="{_n(y + bar - 5)}" text-anchor="end">{escape(label[-40:])}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{_n(length)}" height="{bar}" fill="{colour}"/>')
        parts.append(f'<text x="{_n(label_width + length + 4)}" y="{_n(y + bar - 5)}">{value:g}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def line_chart(
    series: list[tuple[str, list[tuple[float, float]]]],
    title: str,
    *,
    y_label: str = "",
    threshold: float | None = None,
    width: int = 640,
    height: int = 300,
) -> str:
    """Lines through (x, y) points, one per named series, with an optional dashed threshold line."""
    left, right, top, bottom = 50, 150, 30, 40
    xs = [x for _, points in series for x, _ in points] or [0, 1]
    ys = [y for _, points in series for _, y in points] + ([threshold] if threshold is not None else []) or [0, 1]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    y1 = max(ys) or 1
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(x: float) -> str:
        return _n(left + plot_w * (x - x0) / (x1 - x0))

    def py(y: float) -> str:
        return _n(top + plot_h * (1 - y / y1))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" font-family="sans-serif" font-size="12">',
        f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#555"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#555"/>',
        f'<text x="{left - 6}" y="{py(y1)}" text-anchor="end">{y1:g}</text>',
        f'<text x="{left - 6}" y="{py(0)}" text-anchor="end">0</text>',
        f'<text x="{left}" y="{height - 8}">{x0:g}</text>',
        f'<text x="{left + plot_w}" y="{height - 8}" text-anchor="end">{x1:g}</text>',
    ]
    if y_label:
        parts.append(f'<text x="{left + 4}" y="{top - 6}">{escape(y_label)}</text>')
    if threshold is not None:
        parts.append(f'<line x1="{left}" y1="{py(threshold)}" x2="{left + plot_w}" y2="{py(threshold)}" '
                     f'stroke="#999" stroke-dasharray="4 3"/>')
    for i, (name, points) in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        if points:
            path = " ".join(f"{px(x)},{py(y)}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
            parts += [f'<circle cx="{px(x)}" cy="{py(y)}" r="2.5" fill="{colour}"/>' for x, y in points]
        parts.append(f'<rect x="{width - right + 10}" y="{top + i * 18}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{width - right + 26}" y="{top + i * 18 + 9}">{escape(name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
