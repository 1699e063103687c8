"""Two people act on the same issue at once: one wins, the other is told, and nothing is half-applied."""

import pytest
from django.core.exceptions import PermissionDenied

from escalation import services
from escalation.models import Issue, Level, StepKind
from escalation.route import Refused
from tests.helpers import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_escalate_and_resolve_at_once_one_wins(postgres_only, route):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    erm = route.users["erm"]
    seen = issue.version

    outcomes = race(
        lambda: services.issue_escalate(actor=erm, issue=issue, version=seen, reason="Needs the region"),
        lambda: services.issue_resolve(actor=erm, issue=issue, version=seen, outcome="Sorted locally"),
    )

    winners = [o for o in outcomes if isinstance(o, Issue)]
    # The loser is refused for what is true once the winner has committed (no longer open, or no longer theirs).
    losers = [o for o in outcomes if isinstance(o, Refused | PermissionDenied)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    issue.refresh_from_db()
    assert issue.version == seen + 1
    kinds = list(issue.steps.values_list("kind", flat=True))
    assert kinds.count(StepKind.ESCALATED) + kinds.count(StepKind.RESOLVED) == 1
    if kinds[-1] == StepKind.ESCALATED:
        assert (issue.level, issue.outcome) == (Level.REGIONAL_ERM, "")
    else:
        assert issue.level == Level.DISTRICT_ERM and issue.outcome == "Sorted locally"


def test_two_escalations_at_once_move_the_issue_one_level(postgres_only, route):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    erm = route.users["erm"]
    seen = issue.version
    outcomes = race(
        *[
            (lambda n=n: services.issue_escalate(actor=erm, issue=issue, version=seen, reason=f"Reason {n}"))
            for n in range(2)
        ]
    )
    # The second escalation finds the issue gone up to a level the ERM does not hold, and is refused for that.
    assert sorted(type(o).__name__ for o in outcomes) == ["Issue", "PermissionDenied"], outcomes
    issue.refresh_from_db()
    assert issue.level == Level.REGIONAL_ERM
    assert issue.steps.filter(kind=StepKind.ESCALATED).count() == 1
