"""Factories for boards: a board comes with its people drawn from its districts' networks."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from boards.models import Action, Board, BoardScope, BoardStatus, Meeting, MeetingStatus
from tests.factories import ContactFactory, LAContactFactory, role


class BoardFactory(factory.django.DjangoModelFactory):
    """An active board of one district and its first LA, with both co-chairs, the ERM and secretariats."""

    class Meta:
        model = Board
        skip_postgeneration_save = True

    class Params:
        district = None
        authority = None

    title = factory.Sequence(lambda n: f"Joint Board {n}")
    scope = BoardScope.JOINT
    status = BoardStatus.ACTIVE
    established_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=500))
    jcp_chair = factory.LazyAttribute(
        lambda o: ContactFactory(district=o.district, role=role("district-manager"), name=f"Chair of {o.title}")
    )
    la_chair = factory.LazyAttribute(
        lambda o: LAContactFactory(local_authority=o.authority, name=f"LA chair of {o.title}")
    )
    erm = factory.LazyAttribute(lambda o: ContactFactory(district=o.district, role=role("district-erm")))
    jcp_secretariat = factory.LazyAttribute(lambda o: ContactFactory(district=o.district))
    la_secretariat = factory.LazyAttribute(
        lambda o: LAContactFactory(local_authority=o.authority, role=role("nominated-contact"))
    )

    @factory.post_generation
    def links(self, create, extracted, **kwargs):
        if not create:
            return
        district = self.jcp_chair.district
        self.districts.add(district)
        self.local_authorities.add(self.la_chair.local_authority)


def board_for(world, *, district=None, authority=None, **kwargs) -> Board:
    return BoardFactory(district=district or world.d1, authority=authority or world.la1, **kwargs)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    board = factory.SubFactory(BoardFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    status = MeetingStatus.HELD


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    meeting = factory.SubFactory(MeetingFactory)
    board = factory.SelfAttribute("meeting.board")
    description = factory.Sequence(lambda n: f"Action number {n}")
    owner = factory.SelfAttribute("meeting.board.erm")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
