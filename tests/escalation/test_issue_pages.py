"""The issue list's pages for a scoped user are chosen from the scope's (pk, created_at) rows
(`selectors.issue_pages`): page by page they must list exactly what the filters list over `visible_to`, newest
first, for every role and filter."""

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from escalation import selectors
from escalation.filters import IssueFilter
from escalation.models import Issue

pytestmark = pytest.mark.django_db

ROLES = ["erm", "district-manager", "monitor", "la-manager", "la-fraud", "regional-erm", "gpt"]
FILTERS = ["", "status=open", "district=d1", "local_authority=E08000112", "q=straddling", "age=week", "level=gpt"]


@pytest.fixture
def logged(route, world):
    issues = [route.issue(title=f"District one issue {n}") for n in range(7)]
    issues.append(route.issue(local_authority=world.la12, title="Straddling issue", originator=route.jcp_originator))
    issues.append(
        route.issue(
            title="Shared with the straddling LA", other_authorities=[world.la12], originator=route.jcp_originator
        )
    )
    issues.append(
        route.issue(actor="regional-erm", district=world.d2, local_authority=world.la2, originator=route.dpm["d2"])
    )
    issues.append(route.issue(actor="gpt", district=world.d3, local_authority=world.la3, originator=route.dpm["d3"]))
    # Some logged long ago, and two at the same moment (the id breaks the tie).
    long_ago = timezone.now() - datetime.timedelta(days=200)
    Issue.objects.filter(pk__in=[issues[1].pk, issues[2].pk]).update(created_at=long_ago)
    return issues


def _filter(user, query):
    return IssueFilter(QueryDict(query), queryset=selectors.issue_list(user=user), user=user)


@pytest.mark.parametrize("query", FILTERS)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_lists_what_the_filters_list_in_scope(role, query, route, logged):
    user = route.users[role]
    expected = list(_filter(user, query).qs.order_by("-created_at", "-pk").values_list("pk", flat=True))
    paginator = selectors.issue_pages(user=user, issue_filter=_filter(user, query), per_page=3)
    listed = [issue.pk for number in paginator.page_range for issue in paginator.page(number).object_list]
    fresh = selectors.issue_pages(user=user, issue_filter=_filter(user, query), per_page=3)
    assert listed == expected
    assert fresh.get_page(1).paginator.count == len(expected)


def test_a_filter_that_is_not_valid_lists_nothing(route, logged):
    user = route.users["erm"]
    page = selectors.issue_pages(user=user, issue_filter=_filter(user, "status=nonsense")).get_page(1)
    assert list(page.object_list) == [] and page.paginator.count == 0
