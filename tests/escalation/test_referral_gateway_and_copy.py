"""Re-referral before an issue climbs, the LA's own attempts, the ODN's referral to the COO Gateway and the GPT's list
of national directorates; the district page's way into the route; the copy of refusals on an out-of-date page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from escalation import services
from escalation.checks import issue_stalled
from escalation.models import (
    Direction,
    Issue,
    Level,
    LevelTarget,
    NationalDirectorate,
    Source,
    Status,
    StepKind,
)
from escalation.route import Refused, StaleIssue
from escalation.selectors import level_due, level_targets
from liaison.models import ContactRole, Event
from liaison.notifications import Notification
from tests.factories import ContactFactory, LAContactFactory

pytestmark = pytest.mark.django_db


def state(issue):
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


def at_odn(route):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    for who in ("erm", "regional-erm"):
        issue = services.issue_escalate(actor=route.users[who], issue=issue, version=issue.version, reason="Up")
    assert issue.level == Level.ODN
    return issue


# Re-referral -----------------------------------------------------------------------------------------------------


def test_an_issue_at_the_operational_level_is_re_referred_and_the_new_contact_told(route, world):
    issue = route.issue()
    first = issue.operational_contact
    right = ContactFactory(
        name="Right Person",
        district=world.d1,
        email="right@jcp.example.gov.uk",
        role=ContactRole.objects.get(code="benefit-processing-manager"),
    )
    issue = services.issue_rerefer(
        actor=route.users["erm"], issue=issue, version=issue.version, contact=right, reason="It is a processing delay"
    )
    assert (issue.operational_contact, issue.status, issue.level) == (right, Status.REFERRED, Level.OPERATIONAL)
    step = issue.steps.order_by("pk").last()
    assert (step.kind, step.contact, step.text) == (StepKind.REREFERRED, right, "It is a processing delay")
    event = Event.objects.get(kind="issue.re-referred")
    assert first.name in event.summary and right.name in event.summary
    told = Notification.objects.filter(kind="issue-referred", email="right@jcp.example.gov.uk")
    assert told.count() == 1 and issue.reference in told.get().title


def test_re_referral_guards_refuse_and_change_nothing(route, world):
    issue = route.issue()
    erm = route.users["erm"]
    elsewhere = ContactFactory(name="Far Away", district=world.d3)
    before = state(issue)
    with pytest.raises(ValidationError):
        services.issue_rerefer(actor=erm, issue=issue, version=issue.version, contact=elsewhere, reason="Wrong")
    with pytest.raises(ValidationError):
        services.issue_rerefer(
            actor=erm, issue=issue, version=issue.version, contact=issue.operational_contact, reason="Same"
        )
    right = ContactFactory(name="Right Person", district=world.d1)
    with pytest.raises(ValidationError):
        services.issue_rerefer(actor=erm, issue=issue, version=issue.version, contact=right, reason="  ")
    with pytest.raises(PermissionDenied):
        services.issue_rerefer(
            actor=route.users["district-manager"], issue=issue, version=issue.version, contact=right, reason="Mine"
        )
    assert state(issue) == before
    # Once it has climbed, it is no longer re-referred: the holder of the new level is refused.
    climbed = route.issue(attempts_made=True, attempts_detail="Calls")
    before = state(climbed)
    with pytest.raises(Refused, match="left the operational level"):
        services.issue_rerefer(actor=erm, issue=climbed, version=climbed.version, contact=right, reason="Late")
    assert state(climbed) == before


def test_an_issue_jcp_raised_with_an_la_is_re_referred_only_to_the_las_contacts(route, world):
    issue = route.issue(direction=Direction.TO_LA)
    assert issue.level == Level.OPERATIONAL
    jcp = ContactFactory(name="Jcp Person", district=world.d1)
    before = state(issue)
    with pytest.raises(ValidationError):
        services.issue_rerefer(actor=route.users["erm"], issue=issue, version=issue.version, contact=jcp, reason="x")
    assert state(issue) == before
    la_contact = LAContactFactory(name="La Person", local_authority=world.la1)
    issue = services.issue_rerefer(
        actor=route.users["erm"], issue=issue, version=issue.version, contact=la_contact, reason="Their fraud lead"
    )
    assert issue.operational_contact == la_contact


def test_the_issue_page_offers_re_referral_to_the_holder_and_posts_it(route, world, client):
    issue = route.issue()
    right = ContactFactory(name="Right Person", district=world.d1)
    client.force_login(route.users["erm"])
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Re-refer to another operational contact" in page and "Right Person" in page
    response = client.post(
        reverse("issue-action", args=[issue.pk, "rerefer"]),
        {"rerefer-version": issue.version, "rerefer-contact": right.pk, "rerefer-reason": "Wrong team"},
    )
    assert response.status_code == 302
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Re-referred to another operational contact" in page and "Wrong team" in page
    client.force_login(route.users["district-manager"])
    assert "Re-refer to another operational contact" not in client.get(issue.get_absolute_url()).content.decode()


# The LA's own attempts -------------------------------------------------------------------------------------------


def test_an_la_manager_records_the_las_attempts_on_an_issue_it_raised(route):
    issue = route.issue(actor="la-manager", attempts_made=True, attempts_detail="Calls")
    level = issue.level
    issue = services.issue_la_attempt_record(
        actor=route.users["la-fraud"], issue=issue, version=issue.version, text="Our team re-sent the forms."
    )
    step = issue.steps.order_by("pk").last()
    assert (step.kind, step.text, step.from_level) == (StepKind.LA_ATTEMPT, "Our team re-sent the forms.", level)
    assert issue.level == level and Event.objects.filter(kind="issue.la-attempt").count() == 1


def test_the_las_attempts_are_refused_to_others_and_on_other_issues(route, world):
    raised = route.issue(attempts_made=True, attempts_detail="Calls")
    other_la = route.issue(local_authority=world.la12, originator=route.jcp_originator)
    to_la = route.issue(direction=Direction.TO_LA)
    for actor, issue, refusal in (
        ("erm", raised, PermissionDenied),
        ("la-manager", other_la, PermissionDenied),
        ("la-manager", to_la, PermissionDenied),
    ):
        before = state(issue)
        with pytest.raises(refusal):
            services.issue_la_attempt_record(actor=route.users[actor], issue=issue, version=issue.version, text="x")
        assert state(issue) == before
    before = state(raised)
    with pytest.raises(ValidationError):
        services.issue_la_attempt_record(actor=route.users["la-manager"], issue=raised, version=raised.version, text="")
    assert state(raised) == before


def test_the_las_attempt_refuses_a_national_insurance_number(route, client):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    client.force_login(route.users["la-manager"])
    before = state(issue)
    response = client.post(
        reverse("issue-action", args=[issue.pk, "la-attempt"]),
        {"la-attempt-version": issue.version, "la-attempt-text": "Customer QQ123456C was called"},
    )
    assert response.status_code == 200 and "National Insurance number" in response.content.decode()
    assert state(issue) == before


# The COO Gateway and its directorates ----------------------------------------------------------------------------


def test_the_odn_refers_an_issue_to_the_coo_gateway_with_its_own_target(route):
    issue = at_odn(route)
    directorate = NationalDirectorate.objects.get(name="Contact Centre Directorate")
    when = timezone.now()
    issue = services.issue_gateway_refer(
        actor=route.users["odn"], issue=issue, version=issue.version, directorate=directorate, reason="Scripts", at=when
    )
    assert (issue.level, issue.stage, issue.directorate) == (Level.ODN, LevelTarget.COO_GATEWAY, directorate)
    assert issue.national_directorate == directorate.name and issue.gateway_since == when
    step = issue.steps.order_by("pk").last()
    assert (step.kind, step.directorate) == (StepKind.GATEWAY, directorate.name)
    targets = level_targets()
    assert targets[LevelTarget.COO_GATEWAY] == LevelTarget.objects.get(stage="coo-gateway").working_days
    LevelTarget.objects.update_or_create(stage="coo-gateway", defaults={"working_days": 3})
    due = level_due(issue, level_targets())
    assert due < level_due(Issue(level=Level.ODN, level_since=when, local_authority=issue.local_authority), targets)
    # The deadline scan counts the gateway's own target.
    found = issue_stalled(due + datetime.timedelta(days=7), subject=issue)
    assert len(found) == 1 and "COO Gateway" in found[0].title and "3 working days" in found[0].detail
    assert issue_stalled(due, subject=issue) == []
    # It still goes on to the GPT.
    issue = services.issue_escalate(actor=route.users["odn"], issue=issue, version=issue.version, reason="National")
    assert (issue.level, issue.stage) == (Level.GPT, Level.GPT)


def test_other_is_free_text_only_when_no_directorate_fits(route):
    issue = at_odn(route)
    odn = route.users["odn"]
    before = state(issue)
    with pytest.raises(ValidationError):
        services.issue_gateway_refer(actor=odn, issue=issue, version=issue.version, directorate=None, reason="x")
    retired = NationalDirectorate.objects.create(name="Old Directorate", retired_at=timezone.now())
    with pytest.raises(ValidationError, match="retired"):
        services.issue_gateway_refer(actor=odn, issue=issue, version=issue.version, directorate=retired, reason="x")
    with pytest.raises(PermissionDenied):
        services.issue_gateway_refer(
            actor=route.users["gpt"],
            issue=issue,
            version=issue.version,
            directorate=None,
            other_directorate="Y",
            reason="x",
        )
    assert state(issue) == before
    issue = services.issue_gateway_refer(
        actor=odn, issue=issue, version=issue.version, directorate=None, other_directorate="Estates", reason="x"
    )
    assert (issue.directorate, issue.national_directorate) == (None, "Estates")
    assert issue.steps.order_by("pk").last().directorate == "Other: Estates"
    before = state(issue)
    with pytest.raises(Refused, match="already with the COO Gateway"):
        services.issue_gateway_refer(actor=odn, issue=issue, version=issue.version, directorate=None, reason="x")
    assert state(issue) == before


def test_only_the_odn_level_refers_to_the_gateway(route):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    before = state(issue)
    with pytest.raises(Refused, match="only the ODN"):
        services.issue_gateway_refer(
            actor=route.users["erm"],
            issue=issue,
            version=issue.version,
            directorate=NationalDirectorate.objects.first(),
            reason="x",
        )
    assert state(issue) == before


def test_the_gateway_form_offers_current_directorates_and_other(route, client):
    issue = at_odn(route)
    NationalDirectorate.objects.create(name="Retired Directorate", retired_at=timezone.now())
    client.force_login(route.users["odn"])
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Refer to the COO Gateway" in page and "Working Age Benefits Directorate" in page
    assert "Retired Directorate" not in page and 'value="other"' in page
    response = client.post(
        reverse("issue-action", args=[issue.pk, "gateway"]),
        {"gateway-version": issue.version, "gateway-directorate": "other", "gateway-reason": "Estates"},
    )
    assert response.status_code == 200 and "Name the directorate" in response.content.decode()
    direct = NationalDirectorate.objects.get(name="Working Age Benefits Directorate")
    response = client.post(
        reverse("issue-action", args=[issue.pk, "gateway"]),
        {"gateway-version": issue.version, "gateway-directorate": direct.pk, "gateway-reason": "Claims"},
    )
    assert response.status_code == 302
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "COO Gateway, with Working Age Benefits Directorate" in page and "due with the COO Gateway" in page


def test_the_gpt_keeps_the_list_and_retired_directorates_are_never_deleted(route, client):
    gpt = route.users["gpt"]
    added = services.directorate_add(actor=gpt, name="Estates Directorate")
    with pytest.raises(ValidationError):
        services.directorate_add(actor=gpt, name="estates directorate")
    services.directorate_retire(actor=gpt, directorate=added)
    added.refresh_from_db()
    assert added.retired_at is not None and added not in NationalDirectorate.objects.current()
    services.directorate_retire(actor=gpt, directorate=added, retire=False)
    renamed = services.directorate_rename(actor=gpt, directorate=added, name="Estates and Facilities")
    assert [h.name for h in renamed.history.order_by("history_id")][-1] == "Estates and Facilities"
    assert renamed.history.count() == 4
    with pytest.raises(PermissionDenied):
        services.directorate_add(actor=route.users["odn"], name="Not mine")
    client.force_login(gpt)
    page = client.get(reverse("issue-directorates")).content.decode()
    assert "Estates and Facilities" in page and "Retire" in page
    assert client.post(f"/issues/directorates/{added.pk}/delete/").status_code == 404
    assert NationalDirectorate.objects.filter(pk=added.pk).exists()


# Copy and the page for someone whose page was out of date --------------------------------------------------------


def test_a_closed_issue_never_invites_a_resubmit(route, client):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    erm = route.users["erm"]
    seen = issue.version
    issue = services.issue_resolve(actor=erm, issue=issue, version=seen, outcome="Fixed")
    issue = services.issue_communicate_outcome(actor=erm, issue=issue, version=issue.version)
    client.force_login(erm)
    before = state(issue)
    response = client.post(
        reverse("issue-action", args=[issue.pk, "update"]), {"update-version": seen, "update-text": "Chased"}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "no longer open" in page and "“Outcome communicated”" in page
    assert "submit again" not in page and 'name="update-text"' not in page
    assert "is outcome communicated" not in page
    assert state(issue) == before


def test_a_non_holder_with_an_old_page_is_refused_for_the_right_reason(route, client):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    seen = issue.version
    issue = services.issue_escalate(actor=route.users["erm"], issue=issue, version=seen, reason="Up")
    issue = services.issue_escalate(actor=route.users["regional-erm"], issue=issue, version=issue.version, reason="Up")
    client.force_login(route.users["erm"])
    before = state(issue)
    response = client.post(
        reverse("issue-action", args=[issue.pk, "escalate"]), {"escalate-version": seen, "escalate-reason": "Again"}
    )
    assert response.status_code == 403
    assert "It goes to the Escalate" not in response.content.decode()
    assert state(issue) == before


def test_a_holder_whose_page_is_out_of_date_is_invited_to_submit_again(route):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    seen = issue.version
    issue = services.issue_update_record(actor=route.users["erm"], issue=issue, version=seen, text="Chased")
    with pytest.raises(StaleIssue, match="submit again"):
        services.issue_escalate(actor=route.users["erm"], issue=issue, version=seen, reason="Up")


def test_the_closed_state_has_one_name_and_the_referral_reads_well(route, client):
    issue = route.issue()
    client.force_login(route.users["erm"])
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "at Operational contact" not in page and issue.operational_contact.name in page
    issue = services.issue_update_record(actor=route.users["erm"], issue=issue, version=issue.version, text="Tried")
    issue = services.issue_resolve(actor=route.users["erm"], issue=issue, version=issue.version, outcome="Fixed")
    response = client.post(
        reverse("issue-action", args=[issue.pk, "communicate"]), {"communicate-version": issue.version}, follow=True
    )
    page = response.content.decode()
    assert "“Outcome communicated”" in page and " is closed" not in page
    listed = client.get(reverse("issue-list")).content.decode()
    assert ">Closed<" not in listed


def test_the_legacy_source_is_the_joint_regional_board(route, client):
    assert Source.LEGACY_JRB.label == "Legacy Joint Regional Board item"
    issue = route.issue(actor="gpt", source=Source.LEGACY_JRB, attempts_made=True, attempts_detail="JRB")
    assert issue.source == "legacy-jrb"
    client.force_login(route.users["gpt"])
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "Joint Regional Board" in page and "Resolution Board" not in page


# The district page and "Log an issue" ----------------------------------------------------------------------------


def test_the_district_page_leads_to_its_issues_and_to_log_one(route, world, client):
    route.issue()
    client.force_login(route.users["erm"])
    page = client.get(reverse("district-detail", args=[world.d1.code])).content.decode()
    assert "1 open issue in District One" in page
    assert f"{reverse('issue-list')}?district=d1" in page
    assert f"{reverse('issue-create')}?district=d1" in page and "Log an issue" in page
    client.force_login(route.users["monitor"])
    page = client.get(reverse("district-detail", args=[world.d1.code])).content.decode()
    assert "All issues in District One" in page


def test_log_an_issue_groups_the_authorities_by_district_and_starts_at_the_chosen_one(route, world, client):
    client.force_login(route.users["regional-erm"])
    response = client.get(reverse("issue-create"), {"district": "d2"})
    form = response.context["form"]
    assert form.initial["district"] == world.d2
    groups = {
        label: [name for _pk, name in options] for label, options in form.fields["local_authority"].widget.choices[1:]
    }
    assert groups == {
        "District One": ["Authority One", "Authority Straddle"],
        "District Two": ["Authority Straddle", "Authority Two"],
    }
    page = response.content.decode()
    assert '<optgroup label="District Two">' in page and "issue-form.mjs" in page
