import datetime

import pytest
from django.utils import timezone

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

    @staticmethod
    def window(area) -> tuple[datetime.date, datetime.date]:
        """Five days sampled at the end of the area's period, up to today: a window that lies in the period."""
        last = min(timezone.localdate(), area.plan.period_end)
        return max(area.plan.period_start, last - datetime.timedelta(days=4)), last

    def exercise(self, code: str = "ADM-1", *, authority=None, throughput: int = 200, area=None, **kwargs):
        # An exercise sampled on given days belongs to an area of the period those days lie in.
        area = area or self.area(code, on=kwargs.get("sampled_from"))
        first, last = self.window(area)
        return services.exercise_create(
            actor=self.monitor,
            area=area,
            local_authority=authority or self.world.la1,
            sampled_from=kwargs.pop("sampled_from", first),
            sampled_to=kwargs.pop("sampled_to", last),
            throughput=throughput,
            **kwargs,
        )


@pytest.fixture
def setup(world):
    return Setup(world)
