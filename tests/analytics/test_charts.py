"""Charts drawn from plain data: every label reaches the SVG as text, shares get their colours,
large trees grow the figure, empty input still draws, and the tree layout keeps its shape."""

import re
import struct
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import matplotlib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.analytics.charts import (
    AnalyticsFormat,
    ChartFormat,
    ChartNode,
    chart_response,
    coverage_chart,
    output_format,
    share_chart,
    share_colour,
    table_format,
    tree_layout,
)
from app.errors import Unprocessable
from app.events.exports import ExportFormat

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TREE = [
    ChartNode(1, None, "光伏 Photovoltaics", 0.5, "10/20 items · 6 local suppliers"),
    ChartNode(2, 1, "组件 PV module", 1.0, "3/3 items · 2 local suppliers"),
    ChartNode(3, 2, "接线盒 Junction box", 0.0, "0/4 items · 0 local suppliers"),
    ChartNode(4, 2, "EVA胶膜 EVA film", None, "no demand"),
    ChartNode(5, 1, "逆变器 Inverters", 0.25, "1/4 items · 1 local supplier"),
]


def texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)  # well-formed XML
    return ["".join(e.itertext()) for e in root.iter() if e.tag.endswith("text")]


def fills(svg: bytes) -> set[str]:
    return set(re.findall(r"fill: (#[0-9a-f]{6})", svg.decode()))


def svg_height(svg: bytes) -> float:
    return float(ET.fromstring(svg).get("height", "0").removesuffix("pt"))


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    return struct.unpack(">II", png[16:24])


def test_a_three_level_tree_shows_every_label_and_colours_the_shares():
    svg = coverage_chart("光伏产业链 本地配套 PV chain", TREE, ChartFormat.svg)
    shown = texts(svg)
    assert "光伏产业链 本地配套 PV chain" in shown
    for node in TREE:
        assert node.label in shown and node.note in shown
    assert {"50%", "100%", "0%", "25%", "—"} <= set(shown)
    red, green, grey = share_colour(0.0), share_colour(1.0), share_colour(None)
    assert len({red, green, grey, share_colour(0.5)}) == 4
    assert {red, green, grey} <= fills(svg)


def test_a_large_tree_grows_the_figure():
    nodes = [
        ChartNode(i, None if i == 0 else (i - 1) // 4, f"环节 node {i}", (i % 11) / 10, f"{i}")
        for i in range(200)
    ]
    svg = coverage_chart("大 large", nodes, ChartFormat.svg)
    assert {n.label for n in nodes} <= set(texts(svg))
    assert svg_height(svg) > 10 * svg_height(coverage_chart("小", TREE, ChartFormat.svg))
    _, height = png_size(coverage_chart("大 large", nodes, ChartFormat.png))
    assert 3000 < height <= 16_000


def test_empty_input_still_draws():
    svg = coverage_chart("空 empty", [], ChartFormat.svg)
    assert "空 empty" in texts(svg) and "无产业链环节 No chain nodes" in texts(svg)
    assert png_size(coverage_chart("空", [], ChartFormat.png))[1] > 0
    assert "无订单 No orders" in texts(share_chart("无 none", {}, ChartFormat.svg))
    gaps_only = {"甲": [(date(2026, 1, 1), None), (date(2026, 2, 1), None)]}
    assert "甲" in texts(share_chart("无 none", gaps_only, ChartFormat.svg))
    assert png_size(share_chart("无", {}, ChartFormat.png))[0] > 0


def test_share_lines_name_their_series_and_break_at_gaps():
    months = [date(2026, m, 1) for m in range(1, 7)]
    series = {
        "嘉善光伏链主有限公司": list(zip(months, [0.1, 0.2, None, None, 0.5, 0.6], strict=True)),
        "光伏 Photovoltaics": list(zip(months, [1.0] * 6, strict=True)),
    }
    svg = share_chart("本地配套率 local share", series, ChartFormat.svg, y_label="amount share")
    shown = texts(svg)
    assert {"本地配套率 local share", "amount share", *series} <= set(shown)
    assert {"0%", "100%"} <= set(shown)
    plotted = r'<path d="([^"]*)" clip-path="[^"]*" style="fill: none; stroke: #1f77b4'
    (first_line,) = re.findall(plotted, svg.decode())  # the first series, in the plot area
    assert first_line.count("M") == 2  # drawn in two pieces around the gap
    assert share_chart("png", series, ChartFormat.png).startswith(PNG_SIGNATURE)


def test_chart_response_is_inline_with_the_type():
    svg = chart_response(b"<svg/>", ChartFormat.svg, "coverage-pv")
    assert svg.media_type == "image/svg+xml"
    assert svg.headers["content-disposition"].startswith('inline; filename="coverage-pv.svg"')
    png = chart_response(b"x", ChartFormat.png, "share.png")
    assert png.media_type == "image/png"
    assert 'filename="share.png"' in png.headers["content-disposition"]


def test_formats_split_into_tables_and_charts():
    assert output_format(AnalyticsFormat.csv) is ExportFormat.csv
    assert output_format(AnalyticsFormat.png) is ChartFormat.png
    assert table_format(AnalyticsFormat.xlsx, "The gap list") is ExportFormat.xlsx
    with pytest.raises(Unprocessable, match="The gap list has no chart") as refused:
        table_format(AnalyticsFormat.svg, "The gap list")
    assert refused.value.field == "query.format"


@st.composite
def forests(draw):
    size = draw(st.integers(min_value=0, max_value=60))
    parents = [draw(st.none() | st.integers(0, i - 1)) if i else None for i in range(size)]
    return [ChartNode(i, p, f"n{i}", None, "") for i, p in enumerate(parents)]


@settings(max_examples=60, deadline=None)
@given(forests())
def test_tree_layout_keeps_the_tree_shape(nodes):
    places = tree_layout(nodes)
    assert set(places) == {n.id for n in nodes}
    children = {n.id: [c.id for c in nodes if c.parent_id == n.id] for n in nodes}
    leaves = sorted(places[i].row for i, kids in children.items() if not kids)
    assert leaves == list(range(len(leaves)))  # one row each, no gaps, no overlaps
    for node in nodes:
        kids = children[node.id]
        if node.parent_id is not None:
            assert places[node.id].depth == places[node.parent_id].depth + 1
        if kids:
            rows = [places[k].row for k in kids]
            assert places[node.id].row == (rows[0] + rows[-1]) / 2
            assert rows == sorted(rows)


def test_tree_layout_survives_a_cycle():
    looped = [ChartNode(1, 2, "a", None, ""), ChartNode(2, 1, "b", None, "")]
    assert set(tree_layout(looped)) == {1, 2}


def test_charts_drawn_at_once_keep_their_settings_to_themselves():
    """Requests draw in FastAPI's threadpool; the process-wide settings are restored after."""
    before = dict(matplotlib.rcParams)
    with ThreadPoolExecutor(max_workers=4) as pool:
        drawn = list(pool.map(lambda i: coverage_chart(f"图 {i}", TREE, ChartFormat.svg), range(8)))
    for i, svg in enumerate(drawn):
        assert f"图 {i}" in texts(svg)  # text kept as text, not paths, in every one
    assert dict(matplotlib.rcParams) == before
