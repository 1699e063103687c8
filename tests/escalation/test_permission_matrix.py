"""Every role against every issue: who sees it (pages, list, CSV, queue) and who may act on it."""

import csv
import io

import pytest
from django.urls import reverse

from escalation import services
from escalation.models import Direction, Issue, NationalDirectorate
from escalation.route import LA_ATTEMPT, allowed_actions, holds_level, holds_level_as_read
from escalation.selectors import issue_page, my_queue, queue_head, queue_pages
from liaison.models import District, Event, IssueCategory, Role
from tests.factories import LAContactFactory, UserFactory, user_with_role

ALL = "all"

# role -> issues it may see, by the keys of `issues` below.
VISIBLE = {
    "erm": {"i_d1", "i_la12", "i_to_la"},
    "district-manager": {"i_d1", "i_la12", "i_to_la"},
    "monitor": {"i_d1", "i_la12", "i_to_la"},
    "la-manager": {"i_d1", "i_to_la"},
    "la-fraud": {"i_d1", "i_to_la"},
    "regional-erm": {"i_d1", "i_la12", "i_d2", "i_to_la"},
    "odn": ALL,
    "gpt": ALL,
    "admin": ALL,
}
# role -> issues whose current level it holds (so it may update, escalate and resolve them).
HOLDS = {
    "erm": {"i_d1", "i_la12"},
    "district-manager": set(),
    "monitor": set(),
    "la-manager": {"i_to_la"},
    "la-fraud": set(),
    "regional-erm": {"i_d2"},
    "odn": {"i_d3"},
    "gpt": {"i_jrb"},
    "admin": set(),
}
# role -> open issues raised with JCP by an LA it manages (so it records the LA's own attempts on them).
LA_ATTEMPTS = {"la-manager": {"i_d1"}, "la-fraud": {"i_d1"}}
# (role, issue) pairs that may re-refer (the holder of an issue still at the operational level) and refer to the
# COO Gateway (the ODN, on an issue at its level).
REREFERS = {("erm", "i_la12")}
GATEWAYS = {("odn", "i_d3")}
ROLES = list(VISIBLE)


@pytest.fixture
def issues(route, world):
    """One issue at each kind of level, in each part of the world's scope."""
    erm_d2 = user_with_role(Role.ERM, district=world.d2, username="w-erm-d2")
    erm_d3 = user_with_role(Role.ERM, district=world.d3, username="w-erm-d3")
    regional_south = user_with_role(Role.REGIONAL_ERM, region=world.south, username="w-rerm-south")
    at_d3 = {"district": world.d3, "local_authority": world.la3, "originator": route.dpm["d3"]}
    tried = {"attempts_made": True, "attempts_detail": "Calls"}

    i_d2 = route.issue(
        actor="regional-erm", district=world.d2, local_authority=world.la2, originator=route.dpm["d2"], **tried
    )
    i_d2 = services.issue_escalate(actor=erm_d2, issue=i_d2, version=i_d2.version, reason="Up")
    i_d3 = route.issue(actor="gpt", **at_d3, **tried)
    i_d3 = services.issue_escalate(actor=erm_d3, issue=i_d3, version=i_d3.version, reason="Up")
    i_d3 = services.issue_escalate(actor=regional_south, issue=i_d3, version=i_d3.version, reason="Up")
    return {
        "i_d1": route.issue(title="District one issue", **tried),
        "i_la12": route.issue(local_authority=world.la12, title="Straddling issue", originator=route.jcp_originator),
        "i_d2": i_d2,
        "i_d3": i_d3,
        "i_jrb": route.issue(actor="gpt", source="legacy-jrb", title="Legacy JRB item", **at_d3, **tried),
        "i_to_la": route.issue(actor="erm", direction=Direction.TO_LA, title="Raised with the authority", **tried),
    }


def _expected(keys, issues):
    return set(issues) if keys == ALL else keys


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_which_issue(role, route, issues, client):
    user = route.users[role]
    visible = _expected(VISIBLE[role], issues)
    by_pk = {issue.pk: key for key, issue in issues.items()}
    assert {by_pk[pk] for pk in Issue.objects.visible_to(user).values_list("pk", flat=True)} == visible
    client.force_login(user)
    for key, issue in issues.items():
        response = client.get(issue.get_absolute_url())
        assert response.status_code == (200 if key in visible else 404), key
    listed = client.get(reverse("issue-list")).content.decode()
    assert {key for key, issue in issues.items() if f">{issue.reference}<" in listed} == visible
    export = b"".join(client.get(reverse("issue-export")).streaming_content).decode("utf-8-sig")
    assert {row["Reference"] for row in csv.DictReader(io.StringIO(export))} == {
        issues[key].reference for key in visible
    }
    queue = client.get(reverse("issue-queue")).content.decode()
    assert {key for key, issue in issues.items() if f">{issue.reference}<" in queue} >= HOLDS[role]


def _trail_issues(user) -> tuple[set[int], int]:
    """The issues whose events are on the user's activity trail, and how many events of issues it has."""
    trail = Event.objects.visible_to(user).filter(subject_type="escalation.issue")
    return set(trail.values_list("subject_id", flat=True)), trail.count()


def _events_of(issue_ids) -> int:
    return Event.objects.filter(subject_type="escalation.issue", subject_id__in=issue_ids).count()


@pytest.mark.parametrize("role", ROLES)
def test_the_activity_trail_holds_every_event_of_the_issues_a_role_sees_and_no_other(role, route, issues):
    # The trail reads an issue's events by the district and LA they name (escalation.models.issue_event_arms).
    visible = {issues[key].pk for key in _expected(VISIBLE[role], issues)}
    assert _trail_issues(route.users[role]) == (visible, _events_of(visible))


def test_an_issue_seen_through_another_authority_or_as_its_contact_brings_its_events(route, world, issues):
    straddle_manager = user_with_role(Role.LA_BENEFITS_MANAGER, local_authority=world.la12, username="w-la12")
    contact_user = UserFactory(username="w-contact")
    contact = LAContactFactory(local_authority=world.la1, user=contact_user)
    shared = route.issue(
        title="Shared with the straddling LA", other_authorities=[world.la12], operational_contact=contact
    )
    sees = set(Issue.objects.visible_to(straddle_manager).values_list("pk", flat=True))
    assert shared.pk in sees and issues["i_d1"].pk not in sees
    assert _trail_issues(straddle_manager) == (sees, _events_of(sees))
    # Someone with no role at all sees the issue they are the operational contact of, and its events.
    assert set(Issue.objects.visible_to(contact_user).values_list("pk", flat=True)) == {shared.pk}
    assert _trail_issues(contact_user) == ({shared.pk}, _events_of({shared.pk}))
    # Still with them at the operational level, it waits for them, on its page as in the database.
    as_read = issue_page(user=route.users["gpt"], pk=shared.pk)
    assert holds_level_as_read(contact_user, as_read) is holds_level(contact_user, shared) is True
    assert list(my_queue(user=contact_user).values_list("pk", flat=True)) == [shared.pk]
    assert not my_queue(user=straddle_manager).filter(pk=shared.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_an_issue_page_works_out_who_holds_its_level_as_the_database_does(role, route, issues, world):
    # The page answers from the issue as it read it (route.holds_level_as_read); what is sent is checked in SQL.
    user, reader = route.users[role], route.users["gpt"]
    for managed_by_region in (False, True):
        District.objects.filter(pk__in=[world.d1.pk, world.d2.pk]).update(managed_by_region=managed_by_region)
        for key, issue in issues.items():
            as_read = holds_level_as_read(user, issue_page(user=reader, pk=issue.pk))
            assert as_read == holds_level(user, issue), (key, managed_by_region)
            if not managed_by_region:
                assert as_read == (key in HOLDS[role]), key


@pytest.mark.parametrize("role", ROLES)
def test_the_queue_holds_only_issues_the_role_sees(role, route, issues, world):
    # The queue reads the held union alone (selectors.my_queue): it must never hold an issue visible_to leaves out,
    # whichever way the districts are run.
    user = route.users[role]
    by_pk = {issue.pk: key for key, issue in issues.items()}
    for managed_by_region in (False, True):
        District.objects.filter(pk__in=[world.d1.pk, world.d2.pk]).update(managed_by_region=managed_by_region)
        queued = set(my_queue(user=user).values_list("pk", flat=True))
        visible = set(Issue.objects.visible_to(user).values_list("pk", flat=True))
        held = {issue.pk for issue in issues.values() if holds_level(user, issue)}
        assert queued <= visible, (role, managed_by_region)
        assert queued == held & visible, (role, managed_by_region)
        # The home page's head of the queue and the queue's pages read the held union's keys, then rows by key:
        # the same issues, in the same order.
        in_order = list(my_queue(user=user).values_list("pk", flat=True))
        pages = queue_pages(user=user, per_page=2)
        paged = [issue.pk for n in pages.page_range for issue in pages.page(n).object_list]
        assert paged == in_order, (role, managed_by_region)
        assert queue_head(user=user, shown=2) == [(pk, len(in_order)) for pk in in_order[:2]]
        if not managed_by_region:
            assert {by_pk[pk] for pk in queued} == HOLDS[role]


def test_an_issue_stays_where_it_was_raised(issues, world):
    from django.core.exceptions import ValidationError

    issue = Issue.objects.get(pk=issues["i_d1"].pk)
    issue.district = world.d3
    with pytest.raises(ValidationError):
        issue.save()
    issue = Issue.objects.get(pk=issues["i_d1"].pk)
    issue.local_authority = world.la12
    with pytest.raises(ValidationError):
        issue.save()
    assert Issue.objects.get(pk=issue.pk).local_authority == world.la1


@pytest.mark.parametrize("role", ROLES)
def test_who_may_act_on_which_issue(role, route, issues, client):
    user = route.users[role]
    visible = _expected(VISIBLE[role], issues)
    client.force_login(user)
    for key, issue in issues.items():
        assert bool(allowed_actions(user, issue) - {LA_ATTEMPT}) == (key in HOLDS[role]), key
        assert (LA_ATTEMPT in allowed_actions(user, issue)) == (key in LA_ATTEMPTS.get(role, set())), key
        before = (issue.version, issue.steps.count())
        response = client.post(
            reverse("issue-action", args=[issue.pk, "update"]),
            {"update-version": issue.version, "update-text": f"Update from {role}"},
        )
        expected = 302 if key in HOLDS[role] else 403 if key in visible else 404
        assert response.status_code == expected, key
        issue.refresh_from_db()
        after = (issue.version, issue.steps.count())
        assert (after != before) == (key in HOLDS[role]), key


@pytest.mark.parametrize("role", ROLES)
def test_every_role_may_log_something_and_only_national_roles_see_the_national_page(role, route, client):
    client.force_login(route.users[role])
    response = client.get(reverse("issue-create"))
    assert response.status_code == 200
    national_pages = client.get(reverse("issue-national")).status_code
    assert national_pages == (200 if role in ("odn", "gpt", "admin") else 403)


@pytest.mark.parametrize("role", ROLES)
def test_escalating_and_resolving_by_post_follow_the_matrix(role, route, issues, client):
    user = route.users[role]
    visible = _expected(VISIBLE[role], issues)
    client.force_login(user)
    for key, issue in issues.items():
        if key in HOLDS[role]:
            continue
        for action, data in (
            ("escalate", {"escalate-reason": f"Pushed by {role}"}),
            ("resolve", {"resolve-outcome": f"Closed by {role}"}),
            ("communicate", {}),
            ("reopen", {"reopen-reason": f"Reopened by {role}"}),
        ):
            before = (issue.version, issue.status, issue.level, issue.steps.count())
            response = client.post(
                reverse("issue-action", args=[issue.pk, action]), {f"{action}-version": issue.version, **data}
            )
            assert response.status_code in ((403, 409) if key in visible else (404,)), (key, action)
            issue.refresh_from_db()
            assert (issue.version, issue.status, issue.level, issue.steps.count()) == before, (key, action)


@pytest.mark.parametrize("role", ["erm", "la-manager", "district-manager"])
def test_logging_by_post_for_a_district_out_of_scope_saves_nothing(role, route, world, client):
    client.force_login(route.users[role])
    before = Issue.objects.count()
    response = client.post(
        reverse("issue-create"),
        {
            "title": "Not mine",
            "description": "Elsewhere",
            "direction": Direction.TO_JCP,
            "category": IssueCategory.objects.order_by("pk").first().pk,
            "district": world.d3.pk,
            "local_authority": world.la3.pk,
            "originator": route.dpm["d3"].pk,
            "source": "day-to-day",
            "attempts_made": "no",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Issue.objects.count() == before


def _snapshot(issue):
    issue.refresh_from_db()
    return (
        issue.version,
        issue.status,
        issue.level,
        issue.operational_contact_id,
        issue.national_directorate,
        issue.gateway_since,
        issue.steps.count(),
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_new_write_on_an_issue_follows_the_matrix(role, route, world, issues, client):
    """Re-referring, the LA's attempts and the referral to the COO Gateway, posted by every role on every issue:
    only the right person changes anything; everyone else is refused and nothing changes."""
    from tests.factories import ContactFactory

    user = route.users[role]
    visible = _expected(VISIBLE[role], issues)
    other_contact = ContactFactory(name="Right Contact", district=world.d1)
    directorate = NationalDirectorate.objects.current().first()
    client.force_login(user)
    for key, issue in issues.items():
        for action, data, allowed in (
            ("la-attempt", {"la-attempt-text": f"Tried by {role}"}, key in LA_ATTEMPTS.get(role, set())),
            (
                "rerefer",
                {"rerefer-contact": other_contact.pk, "rerefer-reason": f"Routed wrongly, says {role}"},
                (role, key) in REREFERS,
            ),
            (
                "gateway",
                {"gateway-directorate": directorate.pk, "gateway-reason": f"Pursue it, says {role}"},
                (role, key) in GATEWAYS,
            ),
        ):
            before = _snapshot(issue)
            response = client.post(
                reverse("issue-action", args=[issue.pk, action]), {f"{action}-version": issue.version, **data}
            )
            after = _snapshot(issue)
            if allowed:
                assert response.status_code == 302, (key, action)
                assert after != before, (key, action)
            else:
                assert response.status_code in ((403, 409) if key in visible else (404,)), (key, action)
                assert after == before, (key, action)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_gpt_keeps_the_list_of_national_directorates(role, route, client):
    user = route.users[role]
    client.force_login(user)
    gpt = role == "gpt"
    directorate = NationalDirectorate.objects.current().first()
    before = list(NationalDirectorate.objects.order_by("pk").values_list("name", "retired_at"))
    assert client.get(reverse("issue-directorates")).status_code == (200 if gpt else 403)
    assert client.get(reverse("issue-directorate-edit", args=[directorate.pk])).status_code == (200 if gpt else 403)
    responses = [
        client.post(reverse("issue-directorate-add"), {"name": f"Directorate of {role}"}),
        client.post(reverse("issue-directorate-edit", args=[directorate.pk]), {"name": f"Renamed by {role}"}),
        client.post(reverse("issue-directorate-retire", args=[directorate.pk]), {"retire": "yes"}),
    ]
    after = list(NationalDirectorate.objects.order_by("pk").values_list("name", "retired_at"))
    if gpt:
        assert [r.status_code for r in responses] == [302, 302, 302]
        assert len(after) == len(before) + 1
    else:
        assert [r.status_code for r in responses] == [403, 403, 403]
        assert after == before
