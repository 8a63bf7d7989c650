from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import text

from app.errors import ServiceUnavailable, problem_responses

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses=problem_responses(503))
def readyz(request: Request) -> Health:
    """The process can reach its database and has built its match index (until then it
    answers, but slowly: a load balancer should send it nothing yet)."""
    if request.app.state.match_keeper.warming:
        raise ServiceUnavailable("The match index is still being built; ready in a few seconds.")
    try:
        with request.app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to reach the database means "not ready"
        raise ServiceUnavailable("The database is not reachable.") from exc
    return Health(status="ok")
