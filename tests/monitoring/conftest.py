import datetime

import pytest

from monitoring import services
from monitoring.catalogue import seed_catalogue
from monitoring.models import Standard
from tests.boards.factories import board_for


class Setup:
    """The world, a board of district d1 and LA la1, and helpers to choose areas and open exercises."""

    def __init__(self, world):
        seed_catalogue()
        self.world = world
        self.users = world.users
        self.board = board_for(world)
        self.monitor = world.users["monitor"]

    def standard(self, code: str) -> Standard:
        return Standard.objects.get(code=code, board=None)

    def area(self, code: str = "ADM-1", on: datetime.date | None = None, board=None):
        return services.area_select(
            actor=self.monitor, board=board or self.board, standard=self.standard(code),
            local_risk=f"Risk for {code}", monitor=self.monitor, on=on,
        )  # fmt: skip

    def exercise(self, code: str = "ADM-1", *, authority=None, throughput: int = 200, area=None, **kwargs):
        area = area or self.area(code)
        return services.exercise_create(
            actor=self.monitor,
            area=area,
            local_authority=authority or self.world.la1,
            sampled_from=kwargs.pop("sampled_from", datetime.date(2024, 1, 8)),
            sampled_to=kwargs.pop("sampled_to", datetime.date(2024, 1, 12)),
            throughput=throughput,
            **kwargs,
        )


@pytest.fixture
def setup(world):
    return Setup(world)
