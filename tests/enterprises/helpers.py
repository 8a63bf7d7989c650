"""Request bodies and shortcuts shared by the enterprise tests."""

import itertools
from typing import Any

from app.enterprises.uscc import make_uscc

JIASHAN = "330421"  # 嘉善县, Jiaxing, Zhejiang
HAIDIAN = "110108"  # 海淀区, Beijing
_serials = itertools.count(1_000_000)


def new_uscc(region_code: str = JIASHAN) -> str:
    """A valid code no factory-made enterprise uses."""
    return make_uscc(region_code, next(_serials))


def body(**fields: Any) -> dict[str, Any]:
    """A valid create body; keyword arguments override or add fields."""
    data: dict[str, Any] = {
        "name": "嘉善光伏组件有限公司",
        "name_en": "Jiashan PV Modules Co., Ltd.",
        "uscc": new_uscc(fields.get("region_code", JIASHAN)),
        "kind": "company",
        "tiers": ["srdi"],
        "region_code": JIASHAN,
        "description": "单晶光伏组件与支架",
        "website": "https://pv.example.cn",
        "contact": {"person": "王五", "phone": "0573-84111111", "email": "wang@pv.example.cn"},
    }
    data.update(fields)
    return data


def register(client: Any, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    """Create an enterprise through the API and return its body."""
    response = client.post("/v1/enterprises", json=body(**fields), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def assert_problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status
    if field is not None:
        assert field in [e["field"] for e in problem["errors"]], problem
    return problem
