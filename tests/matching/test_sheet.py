"""`chaindock export-matches`: the season's match sheet agrees with the API, on one core or many."""

import csv
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app import cli
from app.main import create_app
from app.matching.sheet import HEADINGS
from tests.factories import Factory


@pytest.fixture
def season(migrated_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """The demo season, committed, and a requirement nobody can supply."""
    monkeypatch.setattr(cli, "get_engine", lambda: migrated_engine)
    cli.main(["seed-demo"])
    with Session(migrated_engine) as session:
        factory = Factory(session)
        factory.requirement(factory.enterprise("量子精密仪器有限公司"), "xqzjv kwplrm")
        session.commit()
    return migrated_engine


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_the_sheet_ranks_each_open_requirement_as_the_api_does(season, tmp_path, capsys):
    out = tmp_path / "matches.csv"
    cli.main(["export-matches", "--out", str(out), "--top", "5", "--workers", "2"])
    rows = read_csv(out)
    assert "rows for" in capsys.readouterr().out

    by_requirement: dict[int, list[dict[str, str]]] = {}
    for row in rows:
        by_requirement.setdefault(int(row["requirement_id"]), []).append(row)
    with TestClient(create_app(season)) as client:
        listed = client.get("/v1/requirements", params={"status": "open", "limit": 100}).json()
        assert set(by_requirement) == {r["id"] for r in listed["items"]}
        for requirement_id, lines in by_requirement.items():
            body = client.get(f"/v1/requirements/{requirement_id}/matches", params={"top": 5})
            candidates = body.json()["candidates"]
            if not candidates:  # a stuck neck: one row, no capability
                assert [(r["rank"], r["capability_id"]) for r in lines] == [("", "")]
                continue
            assert [int(r["rank"]) for r in lines] == list(range(1, len(candidates) + 1))
            assert [(int(r["capability_id"]), float(r["score"])) for r in lines] == [
                (c["capability"]["id"], c["score"]) for c in candidates
            ]
            best = candidates[0]
            assert lines[0]["supplier"] == best["capability"]["enterprise"]["name"]
            assert int(lines[0]["items_covered"]) == len(best["items_covered"])
            assert lines[0]["main_reasons"]
            bare = [i["name"] for i in body.json()["uncovered_items"]]
            assert lines[0]["items_without_candidates"] == "; ".join(bare)
    stuck = [
        lines for lines in by_requirement.values() if lines[0]["requirement"] == "xqzjv kwplrm"
    ]
    assert stuck and stuck[0][0]["capability_id"] == ""


def test_one_process_and_several_write_the_same_sheet(season, tmp_path):
    many, one = tmp_path / "many.csv", tmp_path / "one.xlsx"
    cli.main(["export-matches", "--out", str(many), "--workers", "2"])
    cli.main(["export-matches", "--out", str(one), "--workers", "1"])
    sheet = openpyxl.load_workbook(one).active
    assert sheet is not None
    values = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert tuple(values[0]) == HEADINGS
    from_csv = [[row[h] for h in HEADINGS] for row in read_csv(many)]
    as_text = [
        [c if not c.replace(".", "", 1).isdigit() else str(float(c)) for c in r] for r in values[1:]
    ]
    assert as_text == [
        [c if not c.replace(".", "", 1).isdigit() else str(float(c)) for c in r] for r in from_csv
    ]
    assert len(from_csv) > 100


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "matches.txt"], "--out must name a .csv or .xlsx file"),
        (["--out", "m.csv", "--top", "0"], "--top must be from 1 to 100"),
        (["--out", "m.csv", "--workers", "0"], "--workers must be from 1 to 64"),
    ],
)
def test_bad_options_are_refused_before_anything_is_written(
    migrated_engine, monkeypatch, tmp_path, args, message
):
    monkeypatch.setattr(cli, "get_engine", lambda: migrated_engine)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    with pytest.raises(SystemExit) as refused:
        cli.main(["export-matches", *args])
    assert message in str(refused.value)
    assert list(out.iterdir()) == []
