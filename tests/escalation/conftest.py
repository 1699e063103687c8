import pytest

from escalation.models import Direction
from liaison.models import ContactRole
from tests.escalation.factories import IssueFactory
from tests.factories import ContactFactory, LAContactFactory


class Route:
    """The world plus a routed network: each district has the contacts the routing table and the LA side need."""

    def __init__(self, world):
        self.world = world
        self.users = world.users
        roles = {r.code: r for r in ContactRole.objects.all()}
        self.dpm = {}
        for district in (world.d1, world.d2, world.d3):
            self.dpm[district.code] = ContactFactory(
                name=f"Performance {district.code}", district=district, role=roles["district-performance-manager"]
            )
        self.la1_nominated = LAContactFactory(
            name="Nominated One", local_authority=world.la1, role=roles["nominated-contact"]
        )
        self.la1_originator = LAContactFactory(name="Originator One", local_authority=world.la1)
        self.jcp_originator = ContactFactory(
            name="Jcp Originator", district=world.d1, role=roles["benefit-processing-manager"]
        )

    def issue(self, actor="erm", **kwargs):
        world = self.world
        kwargs.setdefault("district", world.d1)
        kwargs.setdefault("local_authority", world.la1)
        if kwargs.get("direction") == Direction.TO_LA:
            kwargs.setdefault("originator", self.jcp_originator)
        else:
            kwargs.setdefault("originator", self.la1_originator)
        return IssueFactory(actor=self.users[actor] if isinstance(actor, str) else actor, **kwargs)


@pytest.fixture
def route(world):
    return Route(world)
