import pytest

from tests.factories import Factory
from tests.security.world import World, build_world


@pytest.fixture
def world(factory: Factory) -> World:
    return build_world(factory)
