import pytest

from tests.matching.conftest import Market


@pytest.fixture
def market(client, factory):
    return Market(client, factory)
