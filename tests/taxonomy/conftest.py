import pytest

from app.models.enums import Role


@pytest.fixture
def organiser(factory):
    return factory.headers(Role.organiser)


@pytest.fixture
def admin(factory):
    return factory.headers(Role.admin)


@pytest.fixture
def member(factory):
    return factory.member_of(factory.enterprise())
