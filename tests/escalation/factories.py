"""Issues are made through `issue_log`, so that every test issue has the timeline a real one has."""

from __future__ import annotations

import factory

from escalation.models import Direction, Issue, Source
from escalation.services import issue_log
from liaison.models import IssueCategory
from tests.factories import ContactFactory, LAContactFactory


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    title = factory.Sequence(lambda n: f"Issue number {n}")
    description = "New claims are taking three weeks to reach the authority."
    category = factory.LazyFunction(lambda: IssueCategory.objects.get(code="new-claims-delay"))
    direction = Direction.TO_JCP
    source = Source.DAY_TO_DAY
    attempts_made = False
    attempts_detail = ""
    originator = factory.LazyAttribute(lambda o: LAContactFactory(local_authority=o.local_authority))

    @classmethod
    def _create(cls, model_class, *args, actor, **kwargs):
        return issue_log(actor=actor, **kwargs)


__all__ = ["ContactFactory", "IssueFactory", "LAContactFactory"]
