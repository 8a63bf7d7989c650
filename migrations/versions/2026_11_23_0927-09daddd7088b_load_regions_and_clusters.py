"""load regions and clusters

Every province, city and district of China with its GB/T 2260 code and coordinates, read from
the adcode table that the `cpca` package ships (resources/adcodes.csv), plus the named clusters.

Revision ID: 09daddd7088b
Revises: aa9cf07bc76f
Create Date: 2026-11-23 09:27:51.092497
"""

import csv
import importlib.util
from collections.abc import Iterator, Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "09daddd7088b"
down_revision: str | None = "aa9cf07bc76f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Placeholder rows in the table that are not places of their own.
PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

CLUSTERS = {
    "yrd": ("长三角", "Yangtze River Delta", ["310000", "320000", "330000", "340000"]),
    "prd": (
        "珠三角",
        "Pearl River Delta",
        # Guangzhou, Shenzhen, Zhuhai, Foshan, Jiangmen, Zhaoqing, Huizhou, Dongguan, Zhongshan
        ["440100", "440300", "440400", "440600", "440700", "441200", "441300", "441900", "442000"],
    ),
    "jjj": ("京津冀", "Beijing–Tianjin–Hebei", ["110000", "120000", "130000"]),
    "chengdu-chongqing": (
        "成渝",
        "Chengdu–Chongqing",
        # Chongqing and the 15 Sichuan cities of the Chengdu–Chongqing economic circle plan
        # (taken whole, although the plan leaves out a few counties of Dazhou and Ya'an).
        ["500000", "510100", "510300", "510500", "510600", "510700", "510900", "511000",
         "511100", "511300", "511400", "511500", "511600", "511700", "511800", "512000"],
    ),
}

regions = sa.table(
    "regions",
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("level", sa.String),
    sa.column("parent_code", sa.String),
    sa.column("city_code", sa.String),
    sa.column("province_code", sa.String),
    sa.column("longitude", sa.Float),
    sa.column("latitude", sa.Float),
)
clusters = sa.table(
    "clusters", sa.column("code", sa.String), sa.column("name_zh", sa.String), sa.column("name_en", sa.String)
)
cluster_members = sa.table(
    "cluster_members", sa.column("cluster_code", sa.String), sa.column("region_code", sa.String)
)


def adcode_table() -> Path:
    spec = importlib.util.find_spec("cpca")  # located, not imported: importing cpca loads pandas
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cpca package is needed to load regions: pip install cpca")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


def read_regions() -> Iterator[dict[str, object]]:
    with adcode_table().open(encoding="utf-8") as handle:
        raw = {row["adcode"][:6]: row for row in csv.DictReader(handle)}
    places = {code: row for code, row in raw.items() if row["name"] not in PLACEHOLDER_NAMES}
    for code, row in sorted(places.items()):
        province = code[:2] + "0000"
        city = code[:4] + "00"
        if code == province:
            level, parent, city_code = "province", None, None
        elif code == city:
            level, parent, city_code = "city", province, None
        else:
            level = "district"
            city_code = city if city in places else None
            parent = city_code or province
        yield {
            "code": code,
            "name": row["name"],
            "level": level,
            "parent_code": parent,
            "city_code": city_code,
            "province_code": province,
            "longitude": float(row["longitude"]) if row["longitude"] else None,
            "latitude": float(row["latitude"]) if row["latitude"] else None,
        }


def upgrade() -> None:
    rows = list(read_regions())
    # Parents first, so the self-referencing foreign key holds at every insert.
    order = {"province": 0, "city": 1, "district": 2}
    op.bulk_insert(regions, sorted(rows, key=lambda r: (order[str(r["level"])], str(r["code"]))))
    op.bulk_insert(
        clusters, [{"code": c, "name_zh": zh, "name_en": en} for c, (zh, en, _) in CLUSTERS.items()]
    )
    op.bulk_insert(
        cluster_members,
        [{"cluster_code": c, "region_code": m} for c, (_, _, members) in CLUSTERS.items() for m in members],
    )


def downgrade() -> None:
    op.execute(cluster_members.delete())
    op.execute(clusters.delete())
    for level in ("district", "city", "province"):
        op.execute(regions.delete().where(regions.c.level == level))
