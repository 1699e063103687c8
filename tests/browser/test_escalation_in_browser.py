"""Real users in headless Chromium take issues along the whole Appendix 2 route, both ways, with axe on each page."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from escalation.models import Issue, Level, Status, StepKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def act(live_server, sign_in, assert_accessible):
    """Sign in as a demo user, open the issue and check the page."""

    def do(page, username, issue):
        if page.get_by_role("button", name="Sign out").count():
            page.get_by_role("button", name="Sign out").click()
        sign_in(page, username)
        page.goto(f"{live_server.url}/issues/queue/")
        assert_accessible(page)
        page.get_by_role("link", name=issue.reference).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(issue.title)
        assert_accessible(page)

    return do


def submit(page, assert_accessible, button, message):
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("alert")).to_contain_text(message)
    assert_accessible(page)


def test_la_managers_issue_goes_through_every_level_to_the_gpt_and_back(
    demo, live_server, page, sign_in, assert_accessible, act, smtp_server
):
    sign_in(page, "la-manager")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Issues").click()
    assert_accessible(page)
    page.get_by_role("link", name="Log an issue").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Housing costs missing from new claims")
    page.get_by_label("Description").fill("New claims arrive without the customer's housing costs.")
    page.get_by_label("Category").select_option(label="Delay in processing new claims")
    page.get_by_label("Jobcentre Plus district").select_option(label="Greater Manchester Central")
    page.get_by_label("Local Authority", exact=True).select_option(label="Manchester")
    page.get_by_label("Originator").select_option(label="Helen Brooks, Housing Benefit Manager, Manchester")
    # Nothing tried yet: the page says what is missing and keeps what was typed.
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Log the issue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what was tried")
    expect(page.get_by_label("Title")).to_have_value("Housing costs missing from new claims")
    assert_accessible(page)
    page.get_by_label("No", exact=True).check()
    submit(page, assert_accessible, "Log the issue", "referred to")
    issue = Issue.objects.get(title="Housing costs missing from new claims")
    assert issue.level == Level.OPERATIONAL and issue.operational_contact.role.code == "district-performance-manager"
    # The operational contact is told, by email through the SMTP server, with a link to the issue.
    referred = smtp_server.to(issue.operational_contact.email)
    assert referred and issue.reference in referred[0]["Subject"]
    assert issue.get_absolute_url() in smtp_server.body(referred[0])

    # The ERM acts for the operational contact, then carries it to the District ERM level and on.
    act(page, "erm", issue)
    # Nothing tried at the operational level yet: the page says so instead of offering to escalate.
    expect(page.get_by_role("button", name="Escalate", exact=False)).to_have_count(0)
    expect(page.locator(".govuk-inset-text")).to_contain_text("Record the attempt made at the operational level")
    page.get_by_label("Update", exact=True).fill("The performance manager says the claim form changed nationally.")
    submit(page, assert_accessible, "Record the update", "Your update has been recorded")
    page.get_by_label("Why it cannot be resolved at this level").fill("Not a local problem.")
    submit(page, assert_accessible, "Escalate to District ERM", "escalated to the District ERM")
    page.get_by_label("Why it cannot be resolved at this level").fill("The form is set by the region.")
    submit(page, assert_accessible, "Escalate to Country/Regional ERM", "escalated to the Country/Regional ERM")
    expect(page.get_by_role("heading", name="What you can do")).to_have_count(0)
    # Escalating it to the region emails the Regional ERM.
    regional = get_user_model().objects.get(username="regional-erm")
    assert any(issue.reference in m["Subject"] for m in smtp_server.to(regional.email))

    act(page, "regional-erm", issue)
    page.get_by_label("Why it cannot be resolved at this level").fill("Every district has the same form.")
    submit(page, assert_accessible, "Escalate to ODN / COO Gateway", "escalated to the ODN / COO Gateway")

    act(page, "odn", issue)
    # The ODN refers it to the COO Gateway, naming the directorate from the GPT's list.
    page.get_by_label("Working Age Benefits Directorate").check()
    page.get_by_label("What the COO Gateway is to pursue").fill("Pursued with the claims directorate.")
    submit(page, assert_accessible, "Refer it to the COO Gateway", "referred to the COO Gateway")
    expect(page.locator("#issue-level")).to_have_text("COO Gateway, with Working Age Benefits Directorate")
    page.get_by_label("Why it cannot be resolved at this level").fill("Needs national guidance.")
    submit(page, assert_accessible, "Escalate to Governmental Partnerships Team", "Governmental Partnerships Team")

    act(page, "gpt", issue)
    expect(page.get_by_role("button", name="Escalate", exact=False)).to_have_count(0)
    page.get_by_label("Outcome", exact=True).fill("The national claim form now asks for housing costs.")
    submit(page, assert_accessible, "Record the outcome", "Now communicate it to the originator")
    issue.refresh_from_db()
    page.get_by_label(issue.operational_contact.name, exact=False).check()
    submit(page, assert_accessible, "Email the outcome and close the issue", "is now “Outcome communicated”")
    expect(page.locator("#issue-status")).to_have_text("Outcome communicated")

    issue.refresh_from_db()
    assert issue.status == Status.CLOSED
    kinds = list(issue.steps.values_list("kind", flat=True))
    assert kinds == [
        StepKind.LOGGED,
        StepKind.REFERRED,
        StepKind.UPDATE,
        StepKind.ESCALATED,
        StepKind.ESCALATED,
        StepKind.ESCALATED,
        StepKind.GATEWAY,
        StepKind.ESCALATED,
        StepKind.RESOLVED,
        StepKind.COMMUNICATED,
    ]
    # Referral and escalation notices name the issue too; the outcome email is the one that says "Outcome of".
    sent = [m for m in smtp_server.messages if m["Subject"].startswith(f"Outcome of {issue.reference}")]
    # One email to the secure addresses with the outcome, one to the others with a link only (PA 3.1.2).
    assert 1 <= len(sent) <= 2
    assert "helen.brooks@manchester.example.gov.uk" in {to for m in sent for to in m["X-Envelope-To"].split(", ")}
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Escalated: ODN / COO Gateway to Governmental Partnerships Team")
    expect(timeline).to_contain_text("Working Age Benefits Directorate")
    expect(timeline).to_contain_text("Emailed to: Helen Brooks")


def test_jcp_raises_an_issue_with_the_la_benefits_manager(demo, live_server, page, sign_in, assert_accessible, act):
    sign_in(page, "district-manager")
    page.goto(f"{live_server.url}/issues/new/")
    page.get_by_label("Title").fill("Discretionary payments not notified")
    page.get_by_label("Description").fill("The LA's discretionary housing payments are not notified to the BDC.")
    page.get_by_label("Category").select_option(label="Change of circumstances not received")
    page.get_by_label("Jobcentre Plus district").select_option(label="Greater Manchester Central")
    page.get_by_label("Local Authority", exact=True).select_option(label="Manchester")
    page.get_by_label("Originator").select_option(index=1)
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("What was tried, with whom and when").fill("Asked the LA's nominated contact twice.")
    page.get_by_label("LA Benefits Manager").check()
    submit(page, assert_accessible, "Log the issue", "LA Benefits Manager")
    issue = Issue.objects.get(title="Discretionary payments not notified")
    assert (issue.direction, issue.level) == ("to-la", Level.LA_MANAGER)

    act(page, "la-manager", issue)
    expect(page.get_by_role("button", name="Escalate", exact=False)).to_have_count(0)
    page.get_by_label("Outcome", exact=True).fill("Payments are now copied to the BDC weekly.")
    submit(page, assert_accessible, "Record the outcome", "Now communicate it to the originator")
    submit(page, assert_accessible, "Email the outcome and close the issue", "“Outcome communicated”")
    issue.refresh_from_db()
    assert issue.status == Status.CLOSED
    # The originator, and the LA's operational contact the form proposes.
    sent = [m for m in mail.outbox if m.subject.startswith(f"Outcome of {issue.reference}")]
    assert sorted(to for m in sent for to in m.to) == sorted([issue.originator.email, issue.operational_contact.email])
