"""The list, queue, national and issue pages make the same number of queries however many issues and steps."""

import pytest

from escalation import services
from escalation.models import Direction
from tests.helpers import body, count

pytestmark = pytest.mark.django_db


def grow(route, n):
    """n issues of each kind: referred, at the district ERM with an update, raised with the LA, resolved."""
    erm = route.users["erm"]
    for _ in range(n):
        route.issue()
        issue = route.issue(attempts_made=True, attempts_detail="Calls")
        services.issue_update_record(actor=erm, issue=issue, version=issue.version, text="Chased")
        route.issue(direction=Direction.TO_LA, attempts_made=True, attempts_detail="Calls")
        national = route.issue(actor="gpt", source="legacy-jrb", attempts_made=True, attempts_detail="JRB")
        services.issue_resolve(actor=route.users["gpt"], issue=national, version=national.version, outcome="Done")


PAGES = [
    ("erm", "/issues/"),
    ("erm", "/issues/?status=open&age=week&local_authority=E08000101"),
    ("erm", "/issues/export.csv"),
    ("erm", "/issues/queue/"),
    ("la-manager", "/issues/queue/"),
    ("gpt", "/issues/"),
    ("gpt", "/issues/queue/"),
    ("gpt", "/issues/national/"),
    ("regional-erm", "/issues/"),
    ("erm", "/"),
    ("la-manager", "/"),
]


@pytest.mark.parametrize(("role", "url"), PAGES)
def test_queries_do_not_grow_with_issues(route, client, django_assert_max_num_queries, role, url):
    client.force_login(route.users[role])
    # Enough that the home page's panels are full: they count their rows only then.
    grow(route, 5)
    few = count(client, url)
    grow(route, 15)
    with django_assert_max_num_queries(few):
        body(client.get(url))


@pytest.mark.parametrize("role", ["erm", "gpt", "monitor"])
def test_issue_page_queries_do_not_grow_with_its_timeline(route, client, django_assert_max_num_queries, role):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    client.force_login(route.users[role])
    few = count(client, issue.get_absolute_url())
    for n in range(20):
        issue = services.issue_update_record(
            actor=route.users["erm"], issue=issue, version=issue.version, text=f"Chased again ({n})"
        )
    with django_assert_max_num_queries(few):
        assert client.get(issue.get_absolute_url()).status_code == 200
