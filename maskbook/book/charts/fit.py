"""Lay a chart out for the width it is drawn at, so that no text is clipped or covers another.

plotly places panel titles, bar labels and legends in fractions of the plotting area and never
makes room for them, and it wraps no text. :func:`fit` takes a figure (plotly's JSON, as a dict)
and a width in CSS px and returns the figure laid out for that width:

- long titles, panel titles, axis titles and category labels are broken into lines that fit;
- the top margin holds a band for plotly's mode bar, the chart's title (when it has one) and the
  top panel's title; the gap between stacked panels holds the tick labels of the panel above and
  the title of the panel below; side-by-side panels are far enough apart that their end tick
  labels ("100" and "0") stay apart;
- value axes reach far enough for every label printed beside a bar;
- ticks set at a fixed step are thinned when they would not fit; date axes get a step (days,
  weeks or months) that shows at least three dates whose labels fit side by side;
- panels whose value axes were given one range keep one range (bars of the same measure compare
  across panels);
- a narrow chart is no taller than ``max_height``: its panels shrink, down to what their labels need;
- the legend sits at the bottom, under the axis titles; the height grows by what the texts need,
  so the panels keep the height the chart gave them.

Text sizes are estimated from character counts (the book's sans-serif averages 0.6 em a
character), with some slack; ``tests/test_chart_layout.py`` checks the result in a browser.
Only the layout changes: the traces, and so the data, are untouched.
"""
from __future__ import annotations

import copy
import math
import re
from datetime import date, timedelta

from maskbook import language
from maskbook.book.charts.formats import tick_label

#: Average advance width of one character, in em, and plotly's line height, in em.
CHAR_EM = 0.6
LINE_EM = 1.3
#: Band kept clear at the top of every chart for plotly's mode bar (its buttons are 26 px high).
MODEBAR_PX = 32
#: Space (px) between a panel's title and whatever is above it.
PAD_PX = 10
#: Narrow charts use this font size (px) for the chart's own text; panel titles stay at most it.
NARROW_FONT = 12
#: Below this width (px) a chart is laid out as narrow.
NARROW_BELOW = 560
#: Category labels may take at most this share of the width; longer ones are wrapped.
LABEL_SHARE = {True: 0.42, False: 0.34}

_AXIS = re.compile(r"^([xy])axis(\d*)$")
_TAG = re.compile(r"<(?!br\b)[^>]*>", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)
_DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?([ T][\d:.]+)?")


# --- text measures -------------------------------------------------------------------------------

def text_lines(text) -> list[str]:
    """The lines of a plotly text (``<br>`` breaks lines; other tags take no room)."""
    return _BR.split(_TAG.sub("", "" if text is None else str(text)))


def text_width(text, size: float) -> float:
    return max((len(line) for line in text_lines(text)), default=0) * CHAR_EM * size


def text_height(text, size: float) -> float:
    return len(text_lines(text)) * LINE_EM * size if str(text or "").strip() else 0.0


def wrap(text, size: float, room: float):
    """``text`` broken at spaces into lines at most ``room`` px wide (kept as is when it fits)."""
    if not isinstance(text, str) or text_width(text, size) <= room:
        return text
    limit = max(8, int(room / (CHAR_EM * size)))
    lines, line = [], ""
    for word in " ".join(_BR.split(text)).split():
        if line and len(_TAG.sub("", f"{line} {word}")) > limit:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "<br>".join(lines + [line])


# --- reading a layout with its template --------------------------------------------------------

def _get(node, *path, default=None):
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return default if node is None else node


def _setting(layout: dict, key: str, *path, default=None):
    """``layout[key][path]``, else the template's value (``xaxis3`` falls back to ``xaxis``)."""
    found = _get(layout, key, *path)
    if found is None:
        template = _get(layout, "template", "layout", default={})
        found = _get(template, _AXIS.sub(r"\1axis", key), *path)
    return default if found is None else found


def _title_text(obj) -> str:
    title = _get(obj, "title")
    return (title.get("text") if isinstance(title, dict) else title) or ""


def _values(v) -> list:
    """Plain list values of a trace array (typed arrays hold numbers only: they are not labels)."""
    return list(v) if isinstance(v, (list, tuple)) else []


def _axis_id(name: str) -> str:
    """``xaxis2`` -> ``x2`` (the id traces and anchors use)."""
    m = _AXIS.match(name)
    return m.group(1) + m.group(2)


def _axis_name(axis_id: str) -> str:
    return f"{axis_id[0]}axis{axis_id[1:]}"


# --- the fitting -------------------------------------------------------------------------------

def fit(fig: dict, width: int, max_height: float | None = None) -> dict:
    """A copy of ``fig`` laid out for a drawing ``width`` px wide and at most ``max_height`` px
    high, as far as its texts allow (see the module's docstring)."""
    fig = copy.deepcopy(fig)
    layout = fig.setdefault("layout", {})
    data = fig.get("data", [])
    narrow = width < NARROW_BELOW
    if narrow:
        layout.setdefault("font", {})["size"] = NARROW_FONT
        for ann in layout.get("annotations", []):
            if _get(ann, "font", "size", default=0) > NARROW_FONT:
                ann["font"]["size"] = NARROW_FONT
    base = _setting(layout, "font", "size", default=12)
    for name in [f"{a}axis" for a in "xy"]:
        layout.setdefault(name, {})
    axes = {name: layout[name] for name in layout if _AXIS.match(name)}

    left, needs = _wrap_category_labels(layout, axes, data, width, base, narrow)
    margin = layout.setdefault("margin", {})
    plot_w = width - max(left, _setting(layout, "margin", "l", default=80)) - _setting(layout, "margin", "r", default=80)
    _space_columns(layout, axes, base, plot_w)
    _wrap_texts(layout, axes, data, base, plot_w, width)
    _thin_ticks(layout, axes, data, base, plot_w)
    _label_shared_scale_once(axes)
    rows = _stack_rows(layout, axes, data, base, width, plot_w, needs, max_height)
    _make_room_for_bar_labels(layout, axes, data, base, plot_w, rows)
    margin.setdefault("l", _setting(layout, "margin", "l", default=80))
    margin.setdefault("r", _setting(layout, "margin", "r", default=80))
    return fig


def _category_labels(axis_id: str, axis: dict, data: list) -> list[str]:
    """The category labels an axis shows (from its traces' string values or its tick texts)."""
    if axis.get("ticktext"):
        return [str(t) for t in axis["ticktext"]]
    letter = axis_id[0]
    labels: list[str] = []
    for trace in data:
        if (trace.get(f"{letter}axis") or letter) != axis_id:
            continue
        for v in _values(trace.get(letter)):
            if isinstance(v, str) and v not in labels and not _DATE.fullmatch(v):
                labels.append(v)
    return [str(c) for c in axis.get("categoryarray", [])] or labels


def _wrap_category_labels(layout, axes, data, width, base, narrow) -> tuple[float, dict[str, float]]:
    """Wrap category labels longer than their share of the width; return the left margin needed
    and, by y axis, the height (px) its labels need one above the other."""
    left, needs = 0.0, {}
    for name, axis in axes.items():
        if name[0] != "y" or axis.get("overlaying") or axis.get("showticklabels") is False \
                or axis.get("visible") is False:
            continue
        size = _get(axis, "tickfont", "size", default=base)
        labels = _category_labels(_axis_id(name), axis, data)
        room = LABEL_SHARE[narrow] * width
        if labels and max(text_width(t, size) for t in labels) > room:
            values = axis.get("tickvals") or labels
            labels = [wrap(" ".join(text_lines(t)), size, room) for t in labels]
            axis.update(tickmode="array", tickvals=values, ticktext=labels)
        if labels:
            needs[_axis_id(name)] = len(labels) * (max(len(text_lines(t)) for t in labels) * LINE_EM * size + 6)
            # Grouped horizontal bars with their values printed: one line of text per bar.
            printed = [t for t in data if t.get("type") == "bar" and t.get("orientation") == "h" and t.get("text")
                       and (t.get("yaxis") or "y") == _axis_id(name)]
            if len(printed) > 1 and layout.get("barmode") == "group":
                bar_size = _get(printed[0], "textfont", "size", default=base)
                needs[_axis_id(name)] = max(needs[_axis_id(name)], len(labels) * len(printed) * (LINE_EM * bar_size + 4))
        widest = max((text_width(t, size) for t in labels), default=text_width("100%", size))
        title = _title_text(axis)
        left = max(left, widest + 8 + (text_height(title, _title_size(layout, axis, base)) + 8 if title else 0))
    return left, needs


def _title_size(layout, axis, base) -> float:
    return _get(axis, "title", "font", "size", default=base)


def _domain(axis: dict) -> tuple[float, float]:
    d = axis.get("domain") or [0.0, 1.0]
    return round(float(d[0]), 6), round(float(d[1]), 6)


def _x_axes_of(y_ids: set[str], axes: dict) -> list[str]:
    return [n for n, a in axes.items() if n[0] == "x" and (a.get("anchor") or "y") in y_ids]


def _end_label(axis: dict, end: int) -> str:
    rng = axis.get("range")
    if not rng or axis.get("type") in ("date", "category", "log"):
        return ""
    value = rng[end]
    text = f"{value:g}" if isinstance(value, (int, float)) else str(value)
    return text + str(axis.get("ticksuffix", ""))


def _space_columns(layout, axes, base, plot_w) -> None:
    """Side-by-side panels: keep the end tick labels of neighbours apart."""
    rows: dict[tuple, list[str]] = {}
    for name, axis in axes.items():
        if name[0] == "x" and not axis.get("overlaying"):
            y = axes.get(_axis_name(axis.get("anchor") or "y"), {})
            rows.setdefault(_domain(y), []).append(name)
    for names in rows.values():
        names = sorted(names, key=lambda n: _domain(axes[n]))
        spans = [_domain(axes[n]) for n in names]
        if len(names) < 2 or len(set(spans)) < len(spans):
            continue
        need = 0.0
        for a, b in zip(names, names[1:]):
            size = _get(axes[a], "tickfont", "size", default=base)
            need = max(need, (text_width(_end_label(axes[a], 1), size) + text_width(_end_label(axes[b], 0), size)) / 2 + 14)
        gaps = [b[0] - a[1] for a, b in zip(spans, spans[1:])]
        if min(gaps) * plot_w >= need:
            continue
        gap = need / plot_w
        total = sum(e - s for s, e in spans)
        scale = (spans[-1][1] - spans[0][0] - gap * len(gaps)) / total
        start = spans[0][0]
        for name, (s, e) in zip(names, spans):
            axes[name]["domain"] = [start, start + (e - s) * scale]
            start += (e - s) * scale + gap
        # Panel titles centred over the columns move with them.
        for ann in layout.get("annotations", []):
            for (s, e), name in zip(spans, names):
                if ann.get("xref") == "paper" and ann.get("xanchor", "center") == "center" \
                        and abs(ann.get("x", -1) - (s + e) / 2) < 1e-6:
                    d = axes[name]["domain"]
                    ann["x"] = (d[0] + d[1]) / 2


def _annotation_room(ann, axes, data, plot_w) -> float:
    """Width (px) an annotation may take, from where it is anchored."""
    x = ann.get("x", 0.5)
    anchor = ann.get("xanchor", "auto")
    if ann.get("xref", "x") != "paper":
        # A label at a data point: from its date to the end of the axis's dates, or the plot's width.
        span = _date_span(data, ann.get("xref", "x").split()[0])
        if not (span and isinstance(x, str) and _DATE.fullmatch(x) and anchor in ("left", "right")):
            return plot_w
        at = _date_span([{"x": [x]}], "x")[0]
        share = (at - span[0]).days / max(1, (span[1] - span[0]).days)
        return plot_w * max(0.25, 1 - share if anchor == "left" else share)
    if anchor == "left":
        return plot_w * max(0.2, 1 - x)
    if anchor == "right":
        return plot_w * max(0.2, x)
    # Centred (make_subplots' panel titles): the width of the column under it.
    for name, axis in axes.items():
        if name[0] != "x":
            continue
        s, e = _domain(axis)
        if abs((s + e) / 2 - x) < 1e-6 and (s, e) != (0.0, 1.0):
            return plot_w * (e - s)
    return plot_w * 2 * max(0.1, min(x, 1 - x))


def _wrap_texts(layout, axes, data, base, plot_w, width) -> None:
    for ann in layout.get("annotations", []):
        size = _get(ann, "font", "size", default=base)
        ann["text"] = wrap(ann.get("text", ""), size, _annotation_room(ann, axes, data, plot_w) - 4)
    for name, axis in axes.items():
        title = _title_text(axis)
        if title and name[0] == "x":
            axis["title"] = {**(axis.get("title") if isinstance(axis.get("title"), dict) else {}),
                             "text": wrap(title, _title_size(layout, axis, base), plot_w * (_domain(axis)[1] - _domain(axis)[0]))}
    title = _title_text(layout)
    if title:
        size = _get(layout, "title", "font", "size", default=_setting(layout, "title", "font", "size", default=base))
        layout["title"]["text"] = wrap(title, size, width - 16)


def _date_span(data, axis_id) -> tuple[date, date] | None:
    days = []
    for trace in data:
        if (trace.get(f"{axis_id[0]}axis") or axis_id[0]) != axis_id:
            continue
        for v in _values(trace.get(axis_id[0])):
            if isinstance(v, str) and _DATE.fullmatch(v):
                days.append(date.fromisoformat(v[:10] if len(v) >= 10 else f"{v[:7]}-01"))
    return (min(days), max(days)) if days else None


#: Steps between date ticks, tried in turn: days (for labels that show the day), then months.
_DAY_STEPS = [1, 2, 5, 7, 10, 14]
_MONTH_STEPS = [1, 2, 3, 6, 12, 24]
#: A date axis shows at least this many dates within its data.
MIN_DATE_TICKS = 3
_DAY_MS = 86400000


def shows_days(tickformat: str | None) -> bool:
    return any(code in (tickformat or "") for code in ("%d", "%-d", "%e"))


def date_ticks(span: tuple[date, date], dtick, tick0) -> list[date]:
    """The dates an axis with ``dtick`` (plotly's: ``"M<n>"`` or milliseconds) and ``tick0`` marks
    between the first and last day of ``span``."""
    start = date.fromisoformat(str(tick0)[:10])
    ticks = []
    if isinstance(dtick, str) and dtick.startswith("M"):
        step, k = int(dtick[1:]), 0
        while True:
            months = start.month - 1 + k * step
            day = date(start.year + months // 12, months % 12 + 1, 1)
            if day > span[1]:
                return ticks
            if day >= span[0]:
                ticks.append(day)
            k += 1
    step = timedelta(days=max(1, round(float(dtick) / _DAY_MS)))
    while start > span[0]:
        start -= step
    while start <= span[1]:
        if start >= span[0]:
            ticks.append(start)
        start += step
    return ticks


def _step_ms(step) -> float:
    """A tick step in milliseconds: plotly's ``"M<n>"`` (n months, of 30 days) or a number of ms."""
    return int(step[1:]) * 30 * _DAY_MS if isinstance(step, str) else float(step)


def date_axis_ticks(span: tuple[date, date], tickformat: str | None, room: float, slot: float,
                    given=None) -> tuple[object, str]:
    """``(dtick, tick0)`` for a date axis: the finest step (not finer than ``given``) whose labels,
    ``slot`` px each, fit in ``room`` px, among those showing ``MIN_DATE_TICKS`` dates or more."""
    steps = [(f"M{m}", f"{span[0].year}-01-01") for m in _MONTH_STEPS]
    if shows_days(tickformat):
        steps = [(d * _DAY_MS, (span[0] + timedelta(days=1)).isoformat()) for d in _DAY_STEPS] + steps
    if given is not None:
        steps = [st for st in steps if _step_ms(st[0]) >= _step_ms(given)] or steps[-1:]
    counts = [len(date_ticks(span, *st)) for st in steps]
    fitting = [st for st, n in zip(steps, counts) if n * slot <= room]
    enough = [st for st, n in zip(steps, counts) if n >= MIN_DATE_TICKS and n * slot <= room]
    return enough[0] if enough else (fitting[0] if fitting else steps[-1])


def _thin_ticks(layout, axes, data, base, plot_w) -> None:
    """Date and numeric x axes: a tick step whose labels fit side by side. plotly.js writes month
    names in English only: in another language a date axis gets its ticks as values and texts
    (Babel's), so the site and the static images (kaleido) show the same words."""
    lang = (layout.get("meta") or {}).get("language") or language.current()
    for name, axis in axes.items():
        if name[0] != "x" or axis.get("type") in ("category", "log"):
            continue
        size = _get(axis, "tickfont", "size", default=base)
        width = plot_w * (lambda d: d[1] - d[0])(_domain(axis))
        dtick = axis.get("dtick")
        span = _date_span(data, _axis_id(name))
        is_date = span and (axis.get("type") == "date" or axis.get("tickformat"))
        if axis.get("tickvals") and not is_date:
            continue
        if is_date:
            fmt = axis.get("tickformat") or "%b %Y"
            # The axis runs a little beyond the first and last date (room for their markers), and
            # no further: the dates it marks are the ones counted here.
            marker = max([_get(t, "marker", "size", default=6) for t in data
                          if (t.get("xaxis") or "x") == _axis_id(name) and isinstance(_get(t, "marker", "size"), (int, float))]
                         or [6])
            pad = timedelta(days=math.ceil((span[1] - span[0]).days * (marker / 2 + 3) / max(40.0, width - marker - 6)))
            span = (span[0] - pad, span[1] + pad)
            # Too narrow for three dates on one line each: day above month (or month above year).
            for form in (fmt, fmt.replace(" ", "<br>")):
                slot = text_width(tick_label(date(2020, 12, 30), form, lang), size) + 12
                step, tick0 = date_axis_ticks(span, form, width, slot)
                if len(date_ticks(span, step, tick0)) >= MIN_DATE_TICKS:
                    break
            axis.update(dtick=step, tick0=tick0, tickformat=form, range=[d.isoformat() for d in span])
            if lang != language.ORIGINAL:
                ticks = date_ticks(span, step, tick0)
                axis.update(tickvals=[d.isoformat() for d in ticks],
                            ticktext=[tick_label(d, form, lang) for d in ticks])
        elif dtick is not None and not isinstance(dtick, str):
            rng = axis.get("range") or [0, 100]
            slot = text_width(_end_label(axis, 1) or "100", size) + 16
            while ((rng[1] - rng[0]) / float(dtick) + 1) * slot > width:
                dtick *= 2
            axis["dtick"] = dtick


def _label_shared_scale_once(axes) -> None:
    """Stacked panels given one x range share one scale: its tick labels show under the lowest only
    (the grid lines stay in every panel)."""
    groups: dict[tuple, list[str]] = {}
    for name, axis in axes.items():
        if name[0] == "x" and axis.get("range") and not axis.get("overlaying"):
            groups.setdefault(tuple(axis["range"]), []).append(name)
    for names in groups.values():
        ys = {n: _domain(axes.get(_axis_name(axes[n].get("anchor") or "y"), {})) for n in names}
        if len(names) < 2 or len({d for d in ys.values()}) < len(names):
            continue  # side by side, or one panel
        lowest = min(names, key=lambda n: ys[n])
        for n in names:
            if n != lowest:
                axes[n]["showticklabels"] = False


def _legend_height(layout, data, base, plot_w) -> float:
    """Height (px) of the horizontal legend: plotly wraps it at the plotting area's width, into
    columns as wide as its widest item when the items do not fit on one line."""
    items = [t.get("name") for t in data if t.get("showlegend") is not False and t.get("name")]
    shown = layout.get("showlegend")
    if shown is False or (shown is None and len(items) < 2):
        return 0.0
    size = _get(layout, "legend", "font", "size", default=base)
    widths = [40 + text_width(name, size) + 30 for name in items]
    per_row = len(items) if sum(widths) <= plot_w else max(1, int(plot_w // max(widths)))
    return -(-len(items) // per_row) * (LINE_EM * size + 6) + 8


def _stack_rows(layout, axes, data, base, width, plot_w, needs, max_height=None) -> list[dict]:
    """Make room above and between panels for their titles and tick labels; set margins and height.

    Each panel keeps the height (px) it had, its share of the plotting area under the layout's
    own margins, or grows to what its category labels ``needs``; when the chart would be taller
    than ``max_height``, panels shrink alike, none below what its labels need. Returns the rows
    of panels, top first, with their new height in px.
    """
    margin = layout.setdefault("margin", {})
    height = float(layout.get("height") or _setting(layout, "height", default=450))
    plot_h = height - _setting(layout, "margin", "t", default=100) - _setting(layout, "margin", "b", default=80)
    groups: dict[tuple, set[str]] = {}
    for name, axis in axes.items():
        if name[0] == "y" and not axis.get("overlaying"):
            groups.setdefault(_domain(axis), set()).add(_axis_id(name))
    rows = [{"domain": d, "ids": ids, "px": max([(d[1] - d[0]) * plot_h] + [needs.get(i, 0) for i in ids])}
            for d, ids in sorted(groups.items(), reverse=True)]
    for row in rows:
        below = 0.0
        for name in _x_axes_of(row["ids"], axes):
            axis = axes[name]
            if axis.get("showticklabels") is not False and axis.get("visible") is not False:
                lines = str(axis.get("tickformat", "")).count("<br>") + 1
                below = max(below, lines * LINE_EM * _get(axis, "tickfont", "size", default=base) + 6)
            title = _title_text(axis)
            if title:
                below += text_height(title, _title_size(layout, axis, base)) + 10
        row["below"] = below
        row["titles"] = [a for a in layout.get("annotations", [])
                         if a.get("yref") == "paper" and a.get("yanchor") == "bottom"
                         and abs(a.get("y", -9) - row["domain"][1]) < 0.02]
        row["above"] = max((text_height(a.get("text"), _get(a, "font", "size", default=base)) + 4
                            for a in row["titles"]), default=0.0)
    title = _title_text(layout)
    title_h = 0.0
    if title:
        size = _get(layout, "title", "font", "size", default=_setting(layout, "title", "font", "size", default=base))
        title_h = text_height(title, size) + 12
    top = MODEBAR_PX + title_h + (rows[0]["above"] + 4 if rows and rows[0]["above"] else 0)
    gaps = [(above["below"] + below["above"]) * 1.1 + PAD_PX for above, below in zip(rows, rows[1:])]
    legend = _legend_height(layout, data, base, plot_w)
    # Notes under the plot (the source line, in JupyterLab): at the bottom of the figure.
    notes = [a for a in layout.get("annotations", [])
             if a.get("yref") == "paper" and a.get("y", 1) <= 0 and a.get("yanchor") == "top"]
    for note in notes:
        note["text"] = wrap(note.get("text", ""), _get(note, "font", "size", default=base), width - 20)
    notes_h = sum(text_height(a.get("text"), _get(a, "font", "size", default=base)) + 6 for a in notes)
    bottom = (rows[-1]["below"] if rows else 0) + legend + notes_h + 8
    if max_height:
        _shrink_rows(rows, needs, max_height - top - bottom - sum(gaps))
    plot_h = sum(r["px"] for r in rows) + sum(gaps)
    cursor = plot_h
    for i, row in enumerate(rows):
        top_px, cursor = cursor, cursor - row["px"]
        domain = [max(0.0, cursor / plot_h), top_px / plot_h]
        for axis_id in row["ids"]:
            axes[_axis_name(axis_id)]["domain"] = domain
        for ann in row["titles"]:
            ann["y"] = domain[1]
        if i < len(gaps):
            cursor -= gaps[i]
    margin.update(t=round(top), b=round(bottom))
    layout["height"] = round(top + plot_h + bottom)
    offset = round(bottom)
    for note in notes:
        note["yshift"] = -(offset - text_height(note["text"], _get(note, "font", "size", default=base)) - 6)
        offset -= text_height(note["text"], _get(note, "font", "size", default=base)) + 6
    if title:  # under the mode bar's band, from the left edge
        layout["title"].update(yref="container", y=1 - MODEBAR_PX / layout["height"], yanchor="top",
                               xref="container", x=0, xanchor="left", pad={"l": 6})
    if legend:
        layout["legend"] = {**layout.get("legend", {}), "yref": "container", "yanchor": "bottom",
                            "y": notes_h / layout["height"]}
    return rows


#: Smallest height (px) of a panel shrunk to fit a phone.
MIN_ROW_PX = 60


def _shrink_rows(rows: list[dict], needs: dict[str, float], room: float) -> None:
    """Scale the rows' heights down alike so that they fit ``room`` px, each at least what its
    category labels need (or ``MIN_ROW_PX``)."""
    floors = [max([MIN_ROW_PX] + [needs.get(i, 0) for i in row["ids"]]) for row in rows]
    for _ in range(len(rows)):
        free = [r for r, f in zip(rows, floors) if r["px"] > f]
        excess = sum(r["px"] for r in rows) - room
        if excess <= 0 or not free:
            return
        scale = max(0.0, 1 - excess / sum(r["px"] for r in free))
        for row, floor in zip(rows, floors):
            if row in free:
                row["px"] = max(floor, row["px"] * scale)


def _bar_text(trace: dict, i: int):
    text = trace.get("text")
    if isinstance(text, list):
        return text[i] if i < len(text) else None
    return text


def _outside(trace: dict, i: int) -> bool:
    pos = trace.get("textposition")
    if isinstance(pos, list):
        pos = pos[i] if i < len(pos) else None
    return pos == "outside"


def _make_room_for_bar_labels(layout, axes, data, base, plot_w, rows) -> None:
    """Stretch value axes so that labels printed beyond a bar's end stay inside the chart."""
    row_px = {axis_id: row["px"] for row in rows for axis_id in row["ids"]}
    # Value axes given one range compare one measure: they keep one range (see the end).
    given = {name: tuple(axis["range"]) for name, axis in axes.items() if axis.get("range")}
    for trace in data:
        if trace.get("type") != "bar":
            continue
        horizontal = trace.get("orientation") == "h"
        letter = "x" if horizontal else "y"
        axis_id = trace.get(f"{letter}axis") or letter
        axis = axes.setdefault(_axis_name(axis_id), layout.setdefault(_axis_name(axis_id), {}))
        if axis.get("type") == "log":
            continue
        values = _values(trace.get(letter))
        size = _get(trace, "textfont", "size", default=base)
        if horizontal:
            length = plot_w * (lambda d: d[1] - d[0])(_domain(axis))
        else:
            length = row_px.get(trace.get("yaxis") or "y", 300)
        lo, hi = (axis.get("range") or [None, None])
        for i, v in enumerate(values):
            text = _bar_text(trace, i)
            if not isinstance(v, (int, float)) or not text or not _outside(trace, i):
                continue
            room = (text_width(text, size) if horizontal else text_height(text, size)) + 8
            if room >= length * 0.8:
                continue
            need = v * length / (length - room)
            if v >= 0 and (hi is None or need > hi):
                hi = need
            if v < 0 and (lo is None or need < lo):
                lo = need
        if (lo, hi) != tuple(axis.get("range") or [None, None]):
            positive = [v for v in values if isinstance(v, (int, float))]
            axis["range"] = [min(0, lo if lo is not None else min(positive, default=0)),
                             hi if hi is not None else max(positive, default=1) * 1.05]
    shared: dict[tuple, list[str]] = {}
    for name, rng in given.items():
        shared.setdefault((name[0], rng), []).append(name)
    for names in shared.values():
        if len(names) > 1:
            ranges = [axes[n]["range"] for n in names]
            union = [min(r[0] for r in ranges), max(r[1] for r in ranges)]
            for n in names:
                axes[n]["range"] = list(union)
