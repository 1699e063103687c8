"""Charts of the management information, drawn on the server as SVG by pygal.

Why pygal: it is pure Python (no browser or native renderer to install), writes plain SVG that WeasyPrint puts in the
PDF as it is, and takes per-series stroke styles, so that lines differ by dash as well as colour. The charts are
shown as images with alternative text and are always followed by their data table, so nothing depends on seeing them.

Readable without colour: line series are told apart by their dash pattern and marker (named in the legend), bars
carry their values, and the palette is GOV.UK's dark blue, orange and grey, which also differ in lightness.
"""

from __future__ import annotations

import base64
import functools
import json
from dataclasses import dataclass

import pygal
from pygal.style import Style

from boards.evidence import Chart, Number, Unit

# GOV.UK colours that stay apart in greyscale: dark blue, light orange, dark grey, light blue, black.
COLOURS = ("#1d70b8", "#f47738", "#505a5f", "#5694ca", "#0b0c0c", "#b58840")
LINE_STYLES = (
    ("solid line", {"width": 3}),
    ("dashed line", {"width": 3, "dasharray": "12, 6"}),
    ("dotted line", {"width": 3, "dasharray": "2, 5", "linecap": "round"}),
    ("dash-dot line", {"width": 3, "dasharray": "12, 5, 2, 5"}),
    ("long-dash line", {"width": 3, "dasharray": "20, 8"}),
    ("thin line", {"width": 1.5}),
)
BAR_NAMES = ("first bar", "second bar", "third bar", "fourth bar", "fifth bar", "sixth bar")

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=COLOURS,
    font_family="Arial, Helvetica, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=13,
    value_label_font_size=13,
    legend_font_size=14,
    title_font_size=16,
    guide_stroke_color="#b1b4b6",
    guide_stroke_dasharray="1,0",
    major_guide_stroke_color="#b1b4b6",
    major_guide_stroke_dasharray="1,0",
    stroke_width=3,
    opacity="1",
    opacity_hover="1",
)


@dataclass(frozen=True)
class DrawnChart:
    title: str
    data_uri: str
    alt: str
    legend: list[str]


def _config(chart: Chart) -> dict:
    return {
        "style": STYLE,
        "width": 720,
        "height": 360,
        "js": [],  # no script: the chart is an image
        "disable_xml_declaration": True,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 2,
        "show_y_guides": True,
        "truncate_label": -1,
        "truncate_legend": -1,
        # Long labels at the ends of a line would be cut off: slant them.
        "x_label_rotation": 0 if len(chart.labels) <= 6 and max(map(len, chart.labels or [""])) <= 12 else 25,
        "print_values": chart.kind != "line",
        "print_values_position": "top",
        "print_zeroes": True,
        "margin": 16,
        "margin_right": 48,
        "margin_left": 24,
        "value_formatter": _formatter(chart.unit),
        "range": (0, 100) if chart.unit == Unit.PERCENT else None,
        "include_x_axis": True,
    }


def _formatter(unit: str):
    if unit == Unit.PERCENT:
        return lambda v: "" if v is None else f"{v:.0f}%"
    if unit == Unit.DAYS:
        return lambda v: "" if v is None else f"{v:.1f}"
    return lambda v: "" if v is None else f"{v:,.0f}"


def _value(value: Number) -> float | None:
    return None if value is None else float(value)


def series_names(chart: Chart) -> list[str]:
    """Each series' name as the legend writes it: with its line style, or its place in a group of bars."""
    names = []
    for index, (name, _values) in enumerate(chart.series):
        if chart.kind == "line":
            names.append(f"{name} ({LINE_STYLES[index % len(LINE_STYLES)][0]})")
        elif chart.kind == "bar" and len(chart.series) > 1:
            names.append(f"{name} ({BAR_NAMES[index % len(BAR_NAMES)]} of each group)")
        elif chart.kind == "stacked" and len(chart.series) > 1:
            names.append(f"{name} ({'bottom' if index == 0 else 'next'} part)")
        else:
            names.append(name)
    return names


def draw(chart: Chart) -> DrawnChart:
    key = json.dumps(
        [chart.title, chart.kind, chart.labels, [(n, [_value(v) for v in vs]) for n, vs in chart.series], chart.unit]
    )
    return _draw(key, chart.summary)


@functools.lru_cache(maxsize=512)
def _draw(key: str, summary: str) -> DrawnChart:
    # Charts of the same data are drawn once per process: a pack and its PDF, or two users reading one board.
    title, kind, labels, series, unit = json.loads(key)
    chart = Chart(title=title, kind=kind, labels=labels, series=[tuple(s) for s in series], unit=unit, summary=summary)
    config = _config(chart)
    if kind == "line":
        drawing = pygal.Line(**config, dots_size=5, show_dots=True, allow_interruptions=True)
    elif kind == "stacked":
        drawing = pygal.StackedBar(**config)
    else:
        drawing = pygal.Bar(**config)
    drawing.x_labels = labels
    names = series_names(chart)
    for index, (name, (_original, values)) in enumerate(zip(names, series, strict=True)):
        options = {}
        if kind == "line":
            options["stroke_style"] = LINE_STYLES[index % len(LINE_STYLES)][1]
        drawing.add(name, [_value(v) for v in values], **options)
    svg = drawing.render(is_unicode=True)
    alt = f"Chart: {title}." + (f" {summary}" if summary else "") + " The table after it gives the figures."
    return DrawnChart(
        title=title,
        data_uri="data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(),
        alt=alt,
        legend=names,
    )
