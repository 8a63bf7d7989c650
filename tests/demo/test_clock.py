"""The demo season is dated by the service's calendar (CHAINDOCK_TIMEZONE), not the machine's."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.config import get_settings
from app.core import clock
from app.demo.seed import seed_demo
from app.models import Requirement
from app.models.enums import Role

# Between them, these two zones (UTC+14 and UTC-12) always disagree with the machine on the date.
FAR_ZONES = ("Pacific/Kiritimati", "Etc/GMT+12")


def test_seed_dates_follow_the_service_calendar(client, factory, session, monkeypatch):
    zone = next(z for z in FAR_ZONES if datetime.now(ZoneInfo(z)).date() != date.today())
    with monkeypatch.context() as env:
        env.setenv("CHAINDOCK_TIMEZONE", zone)
        get_settings.cache_clear()
        try:
            seed_demo(session)
            session.commit()
            service_today = clock.today()
        finally:
            get_settings.cache_clear()
    assert service_today != date.today()

    # The first requirement of the season (Jiashan's sixteen items) is valid for 90 days.
    first = session.scalar(select(func.min(Requirement.id)))
    read = client.get(f"/v1/requirements/{first}", headers=factory.headers(Role.organiser))
    assert read.status_code == 200, read.text
    assert read.json()["valid_until"] == (service_today + timedelta(days=90)).isoformat()
