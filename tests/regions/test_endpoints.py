from sqlalchemy import func, select

from app.core.pagination import encode_cursor
from app.models import Region

JIASHAN = "330421"  # 嘉善县, 嘉兴市, 浙江省


def _problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


def _walk(client, params):
    """Every page of a region list, following next_cursor; returns the codes in order."""
    codes, cursor, pages = [], None, 0
    while True:
        response = client.get(
            "/v1/regions", params={**params, **({"cursor": cursor} if cursor else {})}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        codes += [r["code"] for r in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return codes, pages


def test_lookup_by_code_gives_path_coordinates_and_clusters(client):
    response = client.get(f"/v1/regions/{JIASHAN}")
    assert response.status_code == 200, response.text
    region = response.json()
    assert region["name"] == "嘉善县" and region["level"] == "district"
    assert (region["parent_code"], region["city_code"], region["province_code"]) == (
        "330400",
        "330400",
        "330000",
    )
    assert region["path"] == [
        {"code": "330000", "name": "浙江省", "level": "province"},
        {"code": "330400", "name": "嘉兴市", "level": "city"},
        {"code": "330421", "name": "嘉善县", "level": "district"},
    ]
    assert 120 < region["longitude"] < 122 and 30 < region["latitude"] < 31.5
    assert region["clusters"] == ["yrd"]


def test_lookup_of_a_province_has_itself_as_path(client):
    region = client.get("/v1/regions/110000").json()
    assert region["name"] == "北京市" and region["level"] == "province"
    assert [p["code"] for p in region["path"]] == ["110000"]
    assert region["clusters"] == ["jjj"]


def test_bad_codes_are_422_naming_the_field(client):
    for bad in ("33042", "abcdef", "3304210", "３３０４２１"):
        body = _problem(client.get(f"/v1/regions/{bad}"), 422)
        assert [e["field"] for e in body["errors"]] == ["path.code"], bad


def test_unknown_code_is_404_problem(client):
    body = _problem(client.get("/v1/regions/999999"), 404)
    assert body["status"] == 404 and "999999" in body["detail"]


def test_chinese_name_prefix(client):
    body = client.get("/v1/regions", params={"prefix": "嘉", "limit": 200}).json()
    names = {r["name"] for r in body["items"]}
    assert {"嘉兴市", "嘉善县", "嘉定区", "嘉峪关市"} <= names
    assert all(name.startswith("嘉") for name in names)
    assert "南湖区" not in names
    only = client.get("/v1/regions", params={"prefix": "嘉善"}).json()["items"]
    assert [r["code"] for r in only] == [JIASHAN]


def test_prefix_is_not_a_pattern(client):
    for wildcard in ("%", "_", "嘉%"):
        items = client.get("/v1/regions", params={"prefix": wildcard}).json()["items"]
        assert items == [], wildcard


def test_digit_prefix_matches_codes_and_combines_with_level(client):
    items = client.get("/v1/regions", params={"prefix": "3304", "limit": 200}).json()["items"]
    codes = [r["code"] for r in items]
    assert "330400" in codes and JIASHAN in codes and all(c.startswith("3304") for c in codes)
    cities = client.get("/v1/regions", params={"prefix": "33", "level": "city"}).json()["items"]
    assert "330400" in [r["code"] for r in cities] and {r["level"] for r in cities} == {"city"}
    assert len(cities) == 11  # Zhejiang has eleven prefecture-level cities


def test_parent_lists_direct_children_only(client, session):
    items = client.get("/v1/regions", params={"parent": "330400"}).json()["items"]
    codes = {r["code"] for r in items}
    expected = set(session.scalars(select(Region.code).where(Region.parent_code == "330400")))
    assert codes == expected and JIASHAN in codes and "330400" not in codes
    provinces = client.get("/v1/regions", params={"parent": "330000", "limit": 200}).json()["items"]
    assert "330400" in {r["code"] for r in provinces} and JIASHAN not in {
        r["code"] for r in provinces
    }
    unknown = _problem(client.get("/v1/regions", params={"parent": "999999"}), 422)
    assert unknown["errors"][0]["field"] == "query.parent"
    bad = _problem(client.get("/v1/regions", params={"parent": "33"}), 422)
    assert bad["errors"][0]["field"] == "query.parent"


def test_within_cluster_includes_jiashan_and_excludes_beijing(client):
    codes, _ = _walk(client, {"within": "yrd", "limit": 200})
    assert JIASHAN in codes and "330400" in codes and "310000" in codes and "340000" in codes
    assert not any(c.startswith("11") for c in codes)  # Beijing and its districts
    assert "110000" not in codes and "440300" not in codes


def test_within_region_and_unknown_area(client):
    codes, _ = _walk(client, {"within": "330400"})
    assert JIASHAN in codes and "330400" in codes and all(c.startswith("3304") for c in codes)
    body = _problem(client.get("/v1/regions", params={"within": "atlantis"}), 422)
    assert body["errors"][0]["field"] == "query.within"


def test_cursor_walks_the_whole_list_once(client, session):
    codes, pages = _walk(client, {"limit": 200})
    total = session.scalar(select(func.count()).select_from(Region))
    assert total > 3000 and pages == -(-total // 200)
    assert len(codes) == total == len(set(codes))
    assert codes == sorted(codes)


def test_small_pages_with_a_filter(client):
    codes, pages = _walk(client, {"prefix": "嘉", "limit": 3})
    everything = client.get("/v1/regions", params={"prefix": "嘉", "limit": 200}).json()["items"]
    assert codes == [r["code"] for r in everything] and pages == -(-len(codes) // 3)


def test_page_size_over_the_cap_and_bad_cursor(client):
    body = _problem(client.get("/v1/regions", params={"limit": 201}), 422)
    assert body["errors"][0]["field"] == "query.limit"
    _problem(client.get("/v1/regions", params={"limit": 0}), 422)
    _problem(client.get("/v1/regions", params={"cursor": "not-a-cursor"}), 422)
    # A well-formed cursor with a forged value, or one of another sort order, is refused too.
    for forged in (encode_cursor("code", "' OR 1=1", 1), encode_cursor("relevance", 99.0, 1)):
        body = _problem(client.get("/v1/regions", params={"cursor": forged}), 422)
        assert body["errors"][0]["field"] == "query.cursor"


def test_clusters(client):
    clusters = client.get("/v1/clusters").json()
    assert {c["code"] for c in clusters} == {"yrd", "prd", "jjj", "chengdu-chongqing"}
    yrd = client.get("/v1/clusters/yrd").json()
    assert yrd["name_zh"] == "长三角"
    assert {m["code"] for m in yrd["members"]} == {"310000", "320000", "330000", "340000"}
    cc = client.get("/v1/clusters/chengdu-chongqing").json()
    assert "500000" in {m["code"] for m in cc["members"]} and "510100" in {
        m["code"] for m in cc["members"]
    }
    _problem(client.get("/v1/clusters/nowhere"), 404)
    bad = _problem(client.get("/v1/clusters/YRD!"), 422)
    assert bad["errors"][0]["field"] == "path.code"
