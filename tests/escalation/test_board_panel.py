"""What escalation adds to the Joint Boards' pages (through `boards.panels`), and the issue page's honest "Escalate"."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from boards.services import transition_seed
from escalation import services
from escalation.models import Issue, Level, Source
from liaison.models import Role
from tests.boards.factories import board_for
from tests.factories import LAContactFactory, user_with_role

pytestmark = pytest.mark.django_db


def panel(page: str) -> str:
    """The "Open issues" section of a board page."""
    match = re.search(r'<section aria-labelledby="board-open-issues".*?</section>', page, re.S)
    assert match, "The board page has no open issues panel"
    return match.group(0)


def hrefs(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', html)]


def listed_titles(client, url: str) -> set[str]:
    page = client.get(url).content.decode()
    return set(re.findall(r'<span class="liaison-issue-title">([^<]+)</span>', page))


@pytest.fixture
def board(world):
    """District One's board, which Authority Two (of District Two) also sits on."""
    board = board_for(world)
    board.local_authorities.add(world.la2)
    return board


@pytest.fixture
def la2_manager(world):
    return user_with_role(Role.LA_BENEFITS_MANAGER, local_authority=world.la2, username="la2-manager")


def test_the_panel_lists_the_boards_open_issues_with_level_status_due_date_and_stalled(route, client, board):
    waiting = route.issue(title="Claims three weeks late", attempts_made=True, attempts_detail="Calls")
    stalled = route.issue(title="Overpayments not notified", attempts_made=True, attempts_detail="Emails")
    Issue.objects.filter(pk=stalled.pk).update(level_since=timezone.now() - datetime.timedelta(days=60))
    done = route.issue(title="Already sorted", attempts_made=True, attempts_detail="Calls")
    services.issue_resolve(actor=route.users["erm"], issue=done, version=done.version, outcome="Fixed")
    elsewhere = route.issue(
        actor="gpt",
        title="Another district's issue",
        district=route.world.d3,
        local_authority=route.world.la3,
        originator=LAContactFactory(local_authority=route.world.la3),
    )
    client.force_login(route.users["admin"])

    section = panel(client.get(board.get_absolute_url()).content.decode())

    assert "2 open issues in this board's districts and authorities." in section
    assert "Claims three weeks late" in section and "Overpayments not notified" in section
    assert done.title not in section and elsewhere.title not in section
    assert '<caption class="govuk-table__caption' in section and 'scope="col"' in section and 'scope="row"' in section
    rows = {title: row for row in section.split("<tr")[1:] for title in (waiting.title, stalled.title) if title in row}
    assert "District ERM" in rows[waiting.title] and "New" in rows[waiting.title]
    assert "Stalled" not in rows[waiting.title]
    assert '<strong class="govuk-tag govuk-tag--red">Stalled</strong>' in rows[stalled.title]
    # The due date is the last working day at the level (10 working days for the District ERM by default).
    assert re.search(r"\d{1,2} [A-Z][a-z]{2} \d{4}", rows[waiting.title])
    assert stalled.reference in rows[stalled.title] and stalled.get_absolute_url() in rows[stalled.title]
    # The stalled issue has waited longest at its level, so it comes first.
    assert section.index(stalled.title) < section.index(waiting.title)


def test_the_panel_links_to_the_issue_list_filtered_to_the_district(route, client, board):
    route.issue(title="In District One", attempts_made=True, attempts_detail="Calls")
    route.issue(
        actor="gpt",
        title="In District Three",
        district=route.world.d3,
        local_authority=route.world.la3,
        originator=LAContactFactory(local_authority=route.world.la3),
    )
    client.force_login(route.users["erm"])

    section = panel(client.get(board.get_absolute_url()).content.decode())

    links = [href for href in hrefs(section) if href.startswith(reverse("issue-list") + "?")]
    assert links == [f"{reverse('issue-list')}?district=d1&status=open"]
    assert "All open issues in District One (1)" in section
    assert listed_titles(client, links[0]) == {"In District One"}


@pytest.mark.parametrize(
    ("viewer", "sees", "hidden"),
    [
        # The district's ERM works in District One: its issues, not Authority Two's (which is in District Two).
        ("erm", {"District One, Authority One"}, {"District Two, Authority Two"}),
        # An LA manager of another authority on the board sees their own LA's issues only.
        ("la2", {"District Two, Authority Two"}, {"District One, Authority One"}),
    ],
)
def test_the_panel_shows_only_what_the_viewer_may_see(route, client, board, la2_manager, viewer, sees, hidden):
    world = route.world
    route.issue(title="District One, Authority One", attempts_made=True, attempts_detail="Calls")
    originator = LAContactFactory(local_authority=world.la2, name="Originator Two")
    route.issue(
        actor=la2_manager,
        title="District Two, Authority Two",
        district=world.d2,
        local_authority=world.la2,
        originator=originator,
    )
    user = la2_manager if viewer == "la2" else route.users[viewer]
    client.force_login(user)

    response = client.get(board.get_absolute_url())

    assert response.status_code == 200
    section = panel(response.content.decode())
    assert all(title in section for title in sees)
    assert not any(title in section for title in hidden)
    assert "1 open issue in this board's districts and authorities." in section
    # Every issue the panel shows is one the viewer could open.
    for href in hrefs(section):
        if href.startswith("/issues/") and "?" not in href:
            assert client.get(href).status_code == 200


def test_a_viewer_who_may_see_none_of_the_issues_is_told_so(route, client, board, la2_manager):
    route.issue(title="District One, Authority One", attempts_made=True, attempts_detail="Calls")
    client.force_login(la2_manager)

    section = panel(client.get(board.get_absolute_url()).content.decode())

    assert "There are no open issues in this board's districts and authorities that you can see." in section
    assert "District One, Authority One" not in section and "<table" not in section


def grow(route, n):
    """n issues of each kind in the board's district: at the ERM, referred, stalled, and resolved (not shown)."""
    erm = route.users["erm"]
    for _ in range(n):
        route.issue(attempts_made=True, attempts_detail="Calls")
        route.issue()
        stalled = route.issue(
            attempts_made=True,
            attempts_detail="Calls",
            local_authority=route.world.la12,
            originator=route.jcp_originator,
        )
        Issue.objects.filter(pk=stalled.pk).update(level_since=timezone.now() - datetime.timedelta(days=40))
        done = route.issue(attempts_made=True, attempts_detail="Calls")
        services.issue_resolve(actor=erm, issue=done, version=done.version, outcome="Done")


@pytest.mark.parametrize("role", ["erm", "la-manager", "regional-erm", "gpt"])
def test_the_panel_adds_a_fixed_number_of_queries_however_many_issues(
    route, client, board, django_assert_max_num_queries, role
):
    client.force_login(route.users[role])
    grow(route, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(board.get_absolute_url()).status_code == 200
    grow(route, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(board.get_absolute_url()).content.decode()
    section = panel(page)
    # Many issues: the panel shows at most the 25 longest waiting, and says how many there are in all.
    total = int(re.search(r"(\d+) open issues in this board's districts and authorities", section).group(1))
    assert total >= 24
    assert section.count('<tr class="govuk-table__row">') == 1 + min(total, 25)
    if total > 25:
        assert f"{total} open issues in this board's districts and authorities; the 25 waiting longest" in section


@pytest.fixture
def legacy_items(route):
    """District One's issues from each source: the legacy ones came off the final JRB and JOB meetings."""
    return {
        source: route.issue(
            title=f"From {source}", source=source, attempts_made=True, attempts_detail="Raised at the final meeting"
        )
        for source in (Source.LEGACY_JRB, Source.LEGACY_JOB, Source.DAY_TO_DAY)
    }


def test_the_moving_on_checklist_links_outstanding_items_to_the_escalation_list(route, client, legacy_items):
    transition_seed(actor=route.world.users["admin"], district=route.world.d1)
    client.force_login(route.users["erm"])

    page = client.get(reverse("boards:transition", args=["d1"])).content.decode()

    rows = {row.split("</td>")[0]: row for row in page.split("<tr")[2:]}
    jrb_row = next(row for action, row in rows.items() if "final JRB meetings to be forwarded" in action)
    job_row = next(row for action, row in rows.items() if "final JOB meetings to be resolved" in action)
    jrb = [h for h in hrefs(jrb_row) if h.startswith(reverse("issue-list") + "?")]
    job = [h for h in hrefs(job_row) if h.startswith(reverse("issue-list") + "?")]
    assert jrb == [f"{reverse('issue-list')}?district=d1&source=legacy-jrb"]
    assert job == [f"{reverse('issue-list')}?district=d1&source=legacy-job"]
    assert "Legacy JRB items logged on the escalation route" in jrb_row
    assert "Legacy JOB items logged on the escalation route" in job_row
    # No other row of the checklist links to the issues.
    assert sum(reverse("issue-list") + "?" in row for row in rows.values()) == 2
    # JRB items went straight to the GPT (guidelines, "Moving on"); JOB items entered the route at the ERM.
    assert listed_titles(client, jrb[0]) == {"From legacy-jrb"}
    assert listed_titles(client, job[0]) == {"From legacy-job"}
    assert legacy_items[Source.LEGACY_JRB].level == Level.GPT
    assert legacy_items[Source.LEGACY_JOB].level == Level.DISTRICT_ERM


def test_the_checklist_links_are_per_district(route, client, legacy_items):
    transition_seed(actor=route.world.users["admin"], district=route.world.d2)
    client.force_login(route.users["regional-erm"])

    page = client.get(reverse("boards:transition", args=["d2"])).content.decode()

    links = [h for h in hrefs(page) if h.startswith(reverse("issue-list") + "?")]
    assert sorted(links) == [
        f"{reverse('issue-list')}?district=d2&source=legacy-job",
        f"{reverse('issue-list')}?district=d2&source=legacy-jrb",
    ]
    # District One's legacy items are not District Two's.
    assert all(listed_titles(client, link) == set() for link in links)


def test_the_issue_page_says_what_must_happen_before_escalating(route, client):
    issue = route.issue()
    client.force_login(route.users["erm"])

    page = client.get(issue.get_absolute_url()).content.decode()

    assert issue.level == Level.OPERATIONAL and not issue.attempts_made
    assert 'action="' + reverse("issue-action", args=[issue.pk, "escalate"]) not in page
    assert "Escalate to District ERM" not in page
    assert re.search(
        r'<div class="govuk-inset-text" id="escalate-blocked">\s*Record the attempt made at the operational level '
        r"before escalating",
        page,
    )
    # The other actions of the holder are still offered.
    assert reverse("issue-action", args=[issue.pk, "update"]) in page

    issue = services.issue_update_record(
        actor=route.users["erm"], issue=issue, version=issue.version, text="The performance manager is looking"
    )
    page = client.get(issue.get_absolute_url()).content.decode()

    assert "Escalate to District ERM" in page and "escalate-blocked" not in page


def test_the_blocked_escalation_is_still_refused_if_posted(route, client):
    issue = route.issue()
    client.force_login(route.users["erm"])

    response = client.post(
        reverse("issue-action", args=[issue.pk, "escalate"]),
        {"escalate-version": issue.version, "escalate-reason": "Too slow"},
    )

    assert response.status_code == 409
    assert "Record the attempt made at the operational level" in response.content.decode()
    issue.refresh_from_db()
    assert issue.level == Level.OPERATIONAL


def test_an_issue_raised_with_the_la_says_the_same_before_going_to_the_la_manager(route, client):
    issue = route.issue(direction="to-la")
    client.force_login(route.users["erm"])

    page = client.get(issue.get_absolute_url()).content.decode()

    assert issue.level == Level.OPERATIONAL
    assert 'id="escalate-blocked"' in page and 'name="escalate-reason"' not in page


def test_a_newly_scheduled_meeting_lists_the_unresolved_issues_by_level_without_titles(route, board):
    from boards.services import meeting_schedule

    route.issue(title="Claims three weeks late", attempts_made=True, attempts_detail="Calls")
    stalled = route.issue(title="Overpayments not notified", attempts_made=True, attempts_detail="Emails")
    Issue.objects.filter(pk=stalled.pk).update(level_since=timezone.now() - datetime.timedelta(days=60))
    meeting = meeting_schedule(
        actor=route.users["erm"], board=board, date=timezone.localdate() + datetime.timedelta(days=14)
    )
    item = meeting.agenda_items.get(source="escalation")
    assert item.title == "Unresolved issues from the escalation route"
    assert "2 open issues" in item.body and "1 past their level's target" in item.body
    assert "District ERM: 2" in item.body
    assert "Claims three weeks late" not in item.body
