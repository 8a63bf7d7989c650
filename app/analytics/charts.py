"""Charts of chain analytics as SVG or PNG bytes, and the ``format`` parameter analytics share.

Drawn with matplotlib's object API (a ``Figure`` on an Agg canvas, no pyplot). Its rcParams are
process-wide, so the settings a chart needs (a CJK font if one is installed, SVG text kept as
text) are applied under a lock while the chart is drawn: concurrent requests never see each
other's settings. Without a CJK font, Chinese still survives in SVG as characters (the viewer's
fonts draw them); PNG then shows empty boxes, silently.
"""

import io
import math
import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, NamedTuple

import matplotlib
from fastapi import Query, Response
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize, to_hex
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import PercentFormatter

from app.errors import Unprocessable
from app.events.exports import FILE_RESPONSES, ExportFormat, content_disposition

# Fonts with Chinese glyphs, best first (Linux packages, then Windows and macOS names).
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Noto Sans CJK JP",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)
SHARE_COLOURS = LinearSegmentedColormap.from_list("share", ["#d73027", "#f5b041", "#1a9850"])
NO_DEMAND = "#bdbdbd"
ROW_INCHES = 0.45  # one leaf of the tree
COLUMN_INCHES = 2.6  # one level of the tree
HEADER_INCHES = 1.2  # title and colour bar above the tree
MAX_PIXELS = 16_000  # a PNG's longest side; a large tree is drawn at a lower resolution
_render_lock = threading.Lock()

SVG_TYPE, PNG_TYPE = "image/svg+xml", "image/png"
CHART_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {SVG_TYPE: {}, PNG_TYPE: {}},
        "description": "JSON, or with `format=svg|png` a chart.",
    }
}
# For endpoints offering tables and a chart: JSON, CSV, XLSX, SVG and PNG.
ANALYTICS_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {**FILE_RESPONSES[200]["content"], SVG_TYPE: {}, PNG_TYPE: {}},
        "description": "JSON; with `format=csv|xlsx` the same rows as a file; with "
        "`format=svg|png` a chart.",
    }
}


class ChartFormat(StrEnum):
    svg = "svg"
    png = "png"


class AnalyticsFormat(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    svg = "svg"
    png = "png"


AnalyticsFormatParam = Annotated[
    AnalyticsFormat,
    Query(
        alias="format",
        description="`json` (default); `csv` / `xlsx` for a file to open in Excel; `svg` / `png` "
        "for a chart, where the endpoint draws one.",
    ),
]


def output_format(fmt: AnalyticsFormat) -> ExportFormat | ChartFormat:
    """The table format (json, csv, xlsx) or the chart format (svg, png) asked for."""
    return ChartFormat(fmt.value) if fmt.value in ChartFormat.__members__ else ExportFormat(fmt)


def table_format(fmt: AnalyticsFormat, what: str) -> ExportFormat:
    """For endpoints without a chart: the table format, or a 422 for svg and png."""
    found = output_format(fmt)
    if isinstance(found, ChartFormat):
        raise Unprocessable(
            f"{what} has no chart; ask for format=json, csv or xlsx instead of {fmt.value}.",
            field="query.format",
        )
    return found


class ChartNode(NamedTuple):
    id: int
    parent_id: int | None  # None for a root; parents always appear in the list
    label: str  # e.g. "逆变器 Inverters"
    share: float | None  # 0..1 of the node's demand with enough local candidates; None: no demand
    note: str  # a short second line, e.g. "3/8 items · 2 local suppliers"


@cache
def cjk_font() -> str | None:
    """The first installed font that has Chinese glyphs, if any."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


@contextmanager
def _chart_settings() -> Iterator[None]:
    font = cjk_font()
    settings: dict[str, Any] = {"svg.fonttype": "none", "axes.unicode_minus": False}
    if font is not None:
        settings["font.sans-serif"] = [font, *matplotlib.rcParams["font.sans-serif"]]
    with _render_lock, matplotlib.rc_context(settings), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        yield


def _bytes(figure: Figure, fmt: ChartFormat) -> bytes:
    FigureCanvasAgg(figure)
    out = io.BytesIO()
    if fmt is ChartFormat.svg:
        figure.savefig(out, format="svg", metadata={"Date": None})  # the same chart, same bytes
    else:
        height = figure.get_figheight()
        figure.savefig(out, format="png", dpi=min(100.0, MAX_PIXELS / height))
    return out.getvalue()


def share_colour(share: float | None) -> str:
    """Red at 0 through amber to green at 1; grey without demand."""
    if share is None:
        return NO_DEMAND
    return to_hex(SHARE_COLOURS(min(max(share, 0.0), 1.0)))


def _clip(text: str, width: int) -> str:
    """At most ``width`` places (a Chinese character takes two), with an ellipsis if cut."""
    used = 0
    for i, char in enumerate(text):
        used += 2 if ord(char) > 0x2E7F else 1
        if used > width:
            return text[:i].rstrip() + "…"
    return text


# --- the chain tree -----------------------------------------------------------------------------


class TreePlace(NamedTuple):
    depth: int
    row: float


def tree_layout(nodes: Sequence[ChartNode]) -> dict[int, TreePlace]:
    """Depth from the left, leaves one row each from the top in the given order, a parent level
    with the middle of its children. A node whose parent is missing is taken as a root (so is
    one node of a cycle, which has no root)."""
    ids = {n.id for n in nodes}
    children: dict[int | None, list[int]] = {}
    for n in nodes:
        parent = n.parent_id if n.parent_id in ids and n.parent_id != n.id else None
        children.setdefault(parent, []).append(n.id)
    places: dict[int, TreePlace] = {}
    owned: dict[int, list[int]] = {}
    seen: set[int] = set()
    next_row = 0
    for root in [*children.get(None, []), *(n.id for n in nodes)]:
        stack = [(root, 0, False)]
        while stack:
            node, depth, done = stack.pop()
            if done:
                rows = [places[k].row for k in owned[node]]
                places[node] = TreePlace(depth, (rows[0] + rows[-1]) / 2)
                continue
            if node in seen:
                continue
            seen.add(node)
            kids = [k for k in children.get(node, []) if k not in seen]
            if not kids:
                places[node], next_row = TreePlace(depth, float(next_row)), next_row + 1
                continue
            owned[node] = kids
            stack.append((node, depth, True))
            stack.extend((k, depth + 1, False) for k in reversed(kids))
    return places


def _extent(places: dict[int, TreePlace]) -> tuple[int, float]:
    """Columns (levels) and rows (leaves) the tree takes; one of each when empty."""
    columns = max((p.depth for p in places.values()), default=0) + 1
    return columns, max((p.row for p in places.values()), default=0) + 1


def _draw_tree(figure: Figure, nodes: Sequence[ChartNode], places: dict[int, TreePlace]) -> None:
    columns, rows = _extent(places)
    width, height = figure.get_figwidth(), figure.get_figheight()
    tree_height = rows * ROW_INCHES
    ax = figure.add_axes(
        (0.3 / width, 0.3 / height, columns * COLUMN_INCHES / width, tree_height / height)
    )
    ax.set_xlim(0, columns)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.axis("off")
    if not nodes:
        ax.text(0.5, 0.5, "无产业链环节 No chain nodes", ha="center", va="center", fontsize=11)
        return
    links = []
    for n in nodes:
        x, y = places[n.id]
        parent = places.get(n.parent_id) if n.parent_id is not None else None
        if parent is not None:
            px, py = parent
            links.append([(px + 0.92, py), (px + 0.96, py), (px + 0.96, y), (x + 0.02, y)])
        ax.add_patch(
            Rectangle((x + 0.02, y - 0.42), 0.9, 0.84, facecolor=share_colour(n.share), lw=0.6)
        )
        shown = "—" if n.share is None else f"{n.share:.0%}"
        ax.text(x + 0.05, y - 0.13, _clip(n.label, 26), fontsize=8, va="center")
        ax.text(x + 0.89, y - 0.13, shown, fontsize=8, va="center", ha="right", weight="bold")
        ax.text(x + 0.05, y + 0.2, _clip(n.note, 40), fontsize=6.5, va="center", color="#333333")
    ax.add_collection(LineCollection(links, colors="#777777", linewidths=0.8))


def _colour_key(figure: Figure) -> None:
    width, height = figure.get_figwidth(), figure.get_figheight()
    bar = figure.add_axes((0.3 / width, (height - 0.95) / height, 3.0 / width, 0.14 / height))
    figure.colorbar(
        ScalarMappable(norm=Normalize(0, 1), cmap=SHARE_COLOURS),
        cax=bar,
        orientation="horizontal",
        format=PercentFormatter(1.0),
        ticks=[0, 0.5, 1],
    )
    bar.set_title("本地可配套需求占比 share of demand covered locally", fontsize=8, loc="left")
    grey = figure.add_axes((3.6 / width, (height - 0.95) / height, 0.3 / width, 0.14 / height))
    grey.add_patch(Rectangle((0, 0), 1, 1, facecolor=NO_DEMAND))
    grey.axis("off")
    grey.text(1.2, 0.5, "无需求 no demand", fontsize=8, va="center", transform=grey.transAxes)


def coverage_chart(title: str, nodes: Sequence[ChartNode], fmt: ChartFormat) -> bytes:
    """The chain tree (depth left to right, leaves top to bottom), each node a box coloured from
    red (share 0) through amber to green (share 1), grey without demand; a colour key above.
    The figure grows with the tree: a row per leaf, a column per level."""
    places = tree_layout(nodes)
    columns, rows = _extent(places)
    size = (max(columns * COLUMN_INCHES + 0.6, 8.0), HEADER_INCHES + rows * ROW_INCHES + 0.3)
    with _chart_settings():
        figure = Figure(figsize=size)
        figure.text(0.3 / size[0], 1 - 0.2 / size[1], title, fontsize=13, va="top")
        _colour_key(figure)
        _draw_tree(figure, nodes, places)
        return _bytes(figure, fmt)


# --- shares over time ---------------------------------------------------------------------------


def share_chart(
    title: str,
    series: Mapping[str, Sequence[tuple[date, float | None]]],
    fmt: ChartFormat,
    y_label: str = "local share",
) -> bytes:
    """A line per series over time (shares 0–1 shown as %), broken where a period has no value."""
    with _chart_settings():
        figure = Figure(figsize=(10, 5.5), layout="constrained")
        ax = figure.add_subplot()
        ax.set_title(title, fontsize=12, loc="left")
        for name, points in series.items():
            days = [day for day, _ in points]
            values = [math.nan if v is None else v for _, v in points]
            ax.plot(days, values, marker="o", markersize=3.5, linewidth=1.8, label=name)
        if not any(v is not None for points in series.values() for _, v in points):
            ax.text(0.5, 0.5, "无订单 No orders", ha="center", va="center", transform=ax.transAxes)
        else:
            locator = AutoDateLocator()
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        ax.set_ylim(-0.02, 1.02)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylabel(y_label)
        ax.grid(True, alpha=0.3)
        if series:
            figure.legend(loc="outside lower center", ncols=min(len(series), 3), fontsize=8)
        return _bytes(figure, fmt)


def chart_response(content: bytes, fmt: ChartFormat, filename: str) -> Response:
    """The chart to show in the browser (inline), named ``filename`` (its suffix added if absent)."""
    suffix = f".{fmt.value}"
    name = filename if filename.endswith(suffix) else filename + suffix
    inline = "inline" + content_disposition(name).removeprefix("attachment")
    media_type = SVG_TYPE if fmt is ChartFormat.svg else PNG_TYPE
    return Response(content=content, media_type=media_type, headers={"Content-Disposition": inline})
