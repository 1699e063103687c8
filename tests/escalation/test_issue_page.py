"""`escalation.selectors.issue_page`: one issue as its page reads it, the rest read beside it rather than joined."""

import pytest

from escalation.models import Issue
from escalation.selectors import ISSUE_PEOPLE, issue_page
from liaison.scoping import scope_for

pytestmark = pytest.mark.django_db


def test_the_issue_comes_with_its_places_people_roles_and_organisations_in_hand(route, django_assert_num_queries):
    issue = route.issue(operational_contact=route.dpm["d1"])
    user = route.users["erm"]
    scope_for(user)  # the user's scope, read once a request whatever the page
    # The issue with its category and LA, its district with the region, its two people with theirs.
    with django_assert_num_queries(3):
        shown = issue_page(user=user, pk=issue.pk)
    with django_assert_num_queries(0):
        lines = {
            "category": shown.category.name,
            "place": f"{shown.local_authority.name}, {shown.district.name}, {shown.district.region.name}",
            "people": {
                field: (getattr(shown, field).role.name, getattr(shown, field).organisation) for field in ISSUE_PEOPLE
            },
        }
    assert lines["category"] == issue.category.name
    assert lines["place"] == f"{route.world.la1.name}, {route.world.d1.name}, {route.world.d1.region.name}"
    assert lines["people"] == {
        "originator": (route.la1_originator.role.name, route.world.la1.name),
        "operational_contact": (route.dpm["d1"].role.name, f"Jobcentre Plus {route.world.d1}"),
    }


def test_an_issue_naming_no_operational_contact_yet_reads_only_its_originator(route, django_assert_num_queries):
    issue = route.issue()
    Issue.objects.filter(pk=issue.pk).update(operational_contact=None)
    shown = issue_page(user=route.users["erm"], pk=issue.pk)
    with django_assert_num_queries(0):
        assert shown.operational_contact is None
        assert shown.originator.pk == route.la1_originator.pk


def test_an_issue_out_of_the_users_sight_is_not_found(route):
    elsewhere = route.issue(
        actor="gpt", district=route.world.d3, local_authority=route.world.la3, originator=route.dpm["d3"]
    )
    assert issue_page(user=route.users["gpt"], pk=elsewhere.pk) is not None
    assert issue_page(user=route.users["erm"], pk=elsewhere.pk) is None
    assert issue_page(user=route.users["la-manager"], pk=elsewhere.pk) is None
    assert issue_page(user=route.users["erm"], pk=elsewhere.pk + 1000) is None
