from pydantic import Field

from app.core.schemas import ReadModel
from app.models.enums import RegionLevel


class RegionRef(ReadModel):
    code: str
    name: str
    level: RegionLevel


class RegionRead(ReadModel):
    code: str = Field(description="The 6-digit administrative division code (GB/T 2260).")
    name: str
    level: RegionLevel
    parent_code: str | None = Field(
        description="The city, or the province for provinces' own districts."
    )
    city_code: str | None
    province_code: str
    longitude: float | None
    latitude: float | None


class RegionDetail(RegionRead):
    path: list[RegionRef] = Field(description="From the province down to this region itself.")
    clusters: list[str] = Field(
        description="Codes of the clusters this region lies in, e.g. `yrd`."
    )


class ClusterRead(ReadModel):
    code: str
    name_zh: str
    name_en: str


class ClusterDetail(ClusterRead):
    members: list[RegionRead] = Field(
        description="The provinces and cities that make up the cluster."
    )
