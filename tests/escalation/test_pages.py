"""The issue pages: logging, acting, bad input re-shown, stale forms, the queue, the national page and the CSV."""

import csv
import io

import pytest
from django.urls import reverse

from escalation import services
from escalation.models import Issue, IssueStep, Level, Status
from liaison.models import IssueCategory
from tests.helpers import sent_mail

pytestmark = pytest.mark.django_db


def action(issue, name):
    return reverse("issue-action", args=[issue.pk, name])


def new_issue_data(route, **overrides):
    data = {
        "title": "New claims late",
        "description": "Claims reach us three weeks late.",
        "direction": "to-jcp",
        "category": IssueCategory.objects.get(code="new-claims-delay").pk,
        "district": route.world.d1.pk,
        "local_authority": route.world.la1.pk,
        "originator": route.la1_originator.pk,
        "source": "day-to-day",
        "attempts_made": "no",
        "la_manager_role": "la-benefits-manager",
    }
    data.update(overrides)
    return data


def test_logging_an_issue_refers_it_to_the_proposed_contact(route, client):
    client.force_login(route.users["la-manager"])
    assert client.get(reverse("issue-create")).status_code == 200
    response = client.post(reverse("issue-create"), new_issue_data(route))
    issue = Issue.objects.get()
    assert response.status_code == 302 and response["Location"] == issue.get_absolute_url()
    assert issue.operational_contact == route.dpm["d1"] and issue.level == Level.OPERATIONAL
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "referred to Performance d1" in page
    assert "Referred to the operational contact" in page


def test_bad_input_is_explained_and_what_was_typed_is_kept(route, client):
    client.force_login(route.users["erm"])
    response = client.post(
        reverse("issue-create"), new_issue_data(route, attempts_made="yes", attempts_detail="", category="")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Say what was tried at the lowest operational level" in page
    assert "Choose the category of the issue" in page
    assert 'value="New claims late"' in page
    assert not Issue.objects.exists()


def test_the_holder_acts_and_the_timeline_says_who_when_and_why(route, client):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    client.force_login(route.users["erm"])
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Escalate to Country/Regional ERM" in page and "Record the outcome" in page
    response = client.post(
        action(issue, "escalate"), {"escalate-version": issue.version, "escalate-reason": "Regional backlog"}
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.level == Level.REGIONAL_ERM
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Escalated: District ERM to Country/Regional ERM" in page
    assert "Regional backlog" in page
    # The ERM no longer holds it: no action forms are offered.
    assert "What you can do" not in page


def test_escalating_without_a_reason_reshows_the_form_and_changes_nothing(route, client):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    client.force_login(route.users["erm"])
    response = client.post(action(issue, "escalate"), {"escalate-version": issue.version, "escalate-reason": " "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say why it cannot be resolved at this level" in page and "There is a problem" in page
    issue.refresh_from_db()
    assert issue.level == Level.DISTRICT_ERM and issue.version == 1


def test_a_stale_form_is_refused_and_the_text_is_kept(route, client):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    seen = issue.version
    services.issue_update_record(actor=route.users["erm"], issue=issue, version=seen, text="Chased")
    client.force_login(route.users["erm"])
    response = client.post(action(issue, "resolve"), {"resolve-version": seen, "resolve-outcome": "My careful words"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed" in page
    assert "My careful words" in page
    assert f'name="resolve-version" value="{seen + 1}"' in page
    issue.refresh_from_db()
    assert issue.status == Status.IN_PROGRESS


def test_moving_past_the_top_is_refused_on_the_page(route, client):
    issue = route.issue(actor="gpt", source="legacy-jrb", attempts_made=True, attempts_detail="At the JRB")
    client.force_login(route.users["gpt"])
    assert "Escalate" not in client.get(issue.get_absolute_url()).content.decode().split("Timeline")[0]
    response = client.post(action(issue, "escalate"), {"escalate-version": issue.version, "escalate-reason": "Up"})
    assert response.status_code == 409
    assert "top of this route" in response.content.decode()
    assert IssueStep.objects.filter(issue=issue).count() == 1


def test_communicating_the_outcome_emails_and_closes(route, client):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    issue = services.issue_resolve(actor=route.users["erm"], issue=issue, version=issue.version, outcome="Fixed")
    client.force_login(route.users["erm"])
    response = client.post(
        action(issue, "communicate"),
        {"communicate-version": issue.version, "communicate-contacts": [route.dpm["d1"].pk], "communicate-message": ""},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == Status.CLOSED
    assert {to for sent in sent_mail() for to in sent.to} == {route.la1_originator.email, route.dpm["d1"].email}
    page = client.get(issue.get_absolute_url()).content.decode()
    assert f"Originator One ({route.la1_originator.email})" in page
    assert "Reopen the issue" in page


def test_queue_and_national_page(route, client):
    mine = route.issue(attempts_made=True, attempts_detail="Calls", title="At the district ERM")
    national = route.issue(actor="gpt", source="legacy-jrb", attempts_made=True, attempts_detail="JRB", title="JRB")
    client.force_login(route.users["erm"])
    page = client.get(reverse("issue-queue")).content.decode()
    assert mine.title in page and national.title not in page
    assert client.get(reverse("issue-national")).status_code == 403
    client.force_login(route.users["gpt"])
    page = client.get(reverse("issue-queue")).content.decode()
    assert national.title in page and mine.title not in page
    page = client.get(reverse("issue-national")).content.decode()
    assert "Open issues by level" in page and national.title in page


def test_home_shows_the_issues_waiting_for_the_user(route, client):
    mine = route.issue(attempts_made=True, attempts_detail="Calls", title="At the district ERM")
    route.issue(actor="gpt", source="legacy-jrb", attempts_made=True, attempts_detail="JRB", title="JRB item")
    client.force_login(route.users["erm"])
    page = client.get(reverse("home")).content.decode()
    assert "Issues waiting for you" in page and "1 issue at your level." in page
    assert mine.get_absolute_url() in page and "JRB item" not in page
    client.force_login(route.users["regional-erm"])
    assert "Issues waiting for you" not in client.get(reverse("home")).content.decode()


def test_median_working_days_to_resolution_is_the_middle_value(route):
    from escalation.selectors import national_statistics
    from escalation.services import resolution_tally_rebuild

    # Written behind the services' back, so recounted as after a bulk load.
    for days in (2, 9, 4):
        issue = route.issue(attempts_made=True, attempts_detail="Calls")
        Issue.objects.filter(pk=issue.pk).update(working_days_to_resolution=days, status=Status.IN_PROGRESS)
    resolution_tally_rebuild()
    assert national_statistics()["median_working_days"] == 4
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    Issue.objects.filter(pk=issue.pk).update(working_days_to_resolution=10)
    resolution_tally_rebuild()
    assert national_statistics()["median_working_days"] == 6.5


def test_list_filters_and_csv_defuse_formulas(route, client):
    route.issue(title='=HYPERLINK("http://evil")', attempts_made=True, attempts_detail="Calls")
    route.issue(title="Still with the contact")
    client.force_login(route.users["erm"])
    page = client.get(reverse("issue-list"), {"level": "operational"}).content.decode()
    assert "Still with the contact" in page and "HYPERLINK" not in page
    response = client.get(reverse("issue-export"), {"level": "district-erm"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row["Title"] for row in rows] == ['\'=HYPERLINK("http://evil")']
    assert rows[0]["Level"] == "District ERM" and rows[0]["GSS code"] == "E08000101"
    for query in ({"status": "open"}, {"age": "week"}, {"source": "day-to-day"}, {"local_authority": "E08000101"}):
        assert client.get(reverse("issue-list"), query).status_code == 200
    assert "2 issues" in client.get(reverse("issue-list"), {"local_authority": "E08000101"}).content.decode()


@pytest.mark.parametrize(
    "spread, median",
    [
        ([], None),
        ([(7, 1)], 7.0),
        ([(2, 1), (9, 1)], 5.5),
        ([(1, 3), (4, 1)], 1.0),
        ([(1, 2), (4, 2)], 2.5),
        ([(0, 5), (3, 4), (10, 1)], 1.5),
        ([(0, 5), (3, 5), (10, 1)], 3.0),
    ],
)
def test_the_median_is_read_from_how_many_took_each_number_of_days(spread, median):
    from escalation.selectors import _median_of_spread

    values = [value for value, n in spread for _ in range(n)]
    assert _median_of_spread(spread, len(values)) == median
    if values:
        ordered = sorted(values)
        middle = ordered[(len(values) - 1) // 2 : len(values) // 2 + 1]
        assert median == sum(middle) / len(middle)


def test_the_queue_is_a_page_at_a_time_and_names_what_it_leaves_out(route, client, monkeypatch):
    from escalation import views

    monkeypatch.setattr(views, "QUEUE_PAGE", 2)
    monkeypatch.setattr(views, "RAISED_SHOWN", 2)
    titles = [f"Legacy item {n}" for n in range(3)]
    for title in titles:
        route.issue(actor="gpt", source="legacy-jrb", attempts_made=True, attempts_detail="JRB", title=title)
    client.force_login(route.users["gpt"])
    first = client.get(reverse("issue-queue")).content.decode()
    assert "3 issues waiting for you, 2 a page." in first
    assert titles[0] in first and titles[1] in first and titles[2] not in first.split("Logged by you")[0]
    assert "page=2" in first
    second = client.get(reverse("issue-queue"), {"page": 2}).content.decode()
    assert titles[2] in second.split("Logged by you")[0]
    assert "You logged 3 issues that are still open; the 2 newest are shown here." in first
    assert 'href="/issues/?status=open&amp;logged=me">See all 3 open issues you logged</a>' in first


@pytest.mark.parametrize("role", ["erm", "gpt"])
def test_the_issue_list_and_its_download_filter_to_the_issues_you_logged(role, route, client):
    mine = route.issue(actor=role, title="Logged by me")
    theirs = route.issue(actor="regional-erm", title="Logged by someone else")
    client.force_login(route.users[role])
    listed = client.get(reverse("issue-list"), {"logged": "me", "status": "open"}).content.decode()
    assert mine.reference in listed and theirs.reference not in listed
    everyone = client.get(reverse("issue-list"), {"status": "open"}).content.decode()
    assert mine.reference in everyone and theirs.reference in everyone
    export = b"".join(client.get(reverse("issue-export"), {"logged": "me"}).streaming_content).decode("utf-8-sig")
    assert mine.reference in export and theirs.reference not in export
    # A value the filter does not offer is named as a problem and lists nothing (never everyone's issues).
    refused = client.get(reverse("issue-list"), {"logged": "someone"}).content.decode()
    assert "There is a problem" in refused and "Select a valid choice" in refused
    assert mine.reference not in refused and theirs.reference not in refused
