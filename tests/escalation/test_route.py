"""Every legal and illegal move on the escalation route, through the services that make them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from escalation import services
from escalation.models import (
    Direction,
    Issue,
    IssueStep,
    Level,
    LevelTarget,
    NationalDirectorate,
    Source,
    Status,
    StepKind,
)
from escalation.route import Refused, StaleIssue, allowed_actions
from escalation.selectors import DEFAULT_TARGETS, level_due, level_targets
from liaison.models import AppendOnlyError, Event, IssueCategory, Role
from tests.factories import DistrictFactory, LAContactFactory, LocalAuthorityFactory, UserFactory
from tests.helpers import sent_mail

pytestmark = pytest.mark.django_db


def kinds(issue):
    return list(issue.steps.values_list("kind", flat=True))


def escalate(route, issue, who, reason="Could not be resolved here", **kwargs):
    issue.refresh_from_db()
    return services.issue_escalate(actor=route.users[who], issue=issue, version=issue.version, reason=reason, **kwargs)


def test_not_yet_tried_is_referred_to_the_contact_the_category_proposes(route):
    issue = route.issue()
    assert (issue.level, issue.status) == (Level.OPERATIONAL, Status.REFERRED)
    assert issue.operational_contact == route.dpm["d1"]
    assert kinds(issue) == [StepKind.LOGGED, StepKind.REFERRED]
    assert issue.steps.get(kind=StepKind.REFERRED).contact == route.dpm["d1"]
    assert Event.objects.filter(subject_type="escalation.issue", subject_id=issue.pk).count() == 2


def test_already_tried_starts_with_the_district_erm(route):
    issue = route.issue(attempts_made=True, attempts_detail="Phoned the BDC twice.")
    assert (issue.level, issue.status) == (Level.DISTRICT_ERM, Status.NEW)
    assert "Phoned the BDC twice." in issue.steps.get().text


def test_district_managed_by_the_region_skips_the_district_erm(route, world):
    world.d2.managed_by_region = True
    world.d2.save()
    issue = route.issue(
        actor="regional-erm",
        district=world.d2,
        local_authority=world.la2,
        attempts_made=True,
        attempts_detail="Emails to the BDC",
        originator=route.dpm["d2"],
    )
    assert issue.level == Level.REGIONAL_ERM
    referred = route.issue(
        actor="regional-erm", district=world.d2, local_authority=world.la2, originator=route.dpm["d2"]
    )
    services.issue_update_record(
        actor=route.users["regional-erm"],
        issue=referred,
        version=referred.version,
        text="The performance manager could not help",
    )
    assert escalate(route, referred, "regional-erm").level == Level.REGIONAL_ERM


def test_legacy_jrb_items_go_to_the_gpt(route):
    issue = route.issue(actor="gpt", source=Source.LEGACY_JRB, attempts_made=True, attempts_detail="At the JRB")
    assert issue.level == Level.GPT


def test_logging_refuses_bad_input_and_saves_nothing(route, world):
    with pytest.raises(ValidationError) as error:
        route.issue(attempts_made=True, attempts_detail="", title=" ")
    assert set(error.value.message_dict) == {"attempts_detail", "title"}
    with pytest.raises(ValidationError) as error:
        route.issue(local_authority=world.la3)
    assert "local_authority" in error.value.message_dict
    assert not Issue.objects.exists()
    assert not IssueStep.objects.exists()


def test_no_contact_in_the_routing_role_asks_for_one(route):
    nino = IssueCategory.objects.get(code="nino-applied-for")
    with pytest.raises(ValidationError) as error:
        route.issue(category=nino)
    assert "Nominated Officer" in error.value.message_dict["operational_contact"][0]
    # An ERM may choose the contact instead.
    issue = route.issue(category=nino, operational_contact=route.dpm["d1"])
    assert issue.operational_contact == route.dpm["d1"]


@pytest.mark.parametrize(
    ("role", "direction", "allowed"),
    [
        ("erm", Direction.TO_JCP, True),
        ("la-manager", Direction.TO_JCP, True),
        ("regional-erm", Direction.TO_JCP, True),
        ("gpt", Direction.TO_JCP, True),
        ("monitor", Direction.TO_JCP, False),
        ("district-manager", Direction.TO_JCP, False),
        ("la-manager", Direction.TO_LA, False),
        ("district-manager", Direction.TO_LA, True),
        ("monitor", Direction.TO_LA, True),
    ],
)
def test_who_may_log_which_direction(route, role, direction, allowed):
    if allowed:
        assert route.issue(actor=role, direction=direction).pk
    else:
        with pytest.raises(PermissionDenied):
            route.issue(actor=role, direction=direction)
        assert not Issue.objects.exists()


def test_cannot_jump_to_the_erm_before_an_attempt_is_recorded(route):
    issue = route.issue()
    with pytest.raises(Refused, match="Record the attempt made at the operational level"):
        escalate(route, issue, "erm")
    issue.refresh_from_db()
    assert issue.level == Level.OPERATIONAL and issue.version == 1
    services.issue_update_record(
        actor=route.users["erm"],
        issue=issue,
        version=issue.version,
        text="The performance manager says the backlog clears next month",
    )
    issue = escalate(route, issue, "erm")
    assert (issue.level, issue.status) == (Level.DISTRICT_ERM, Status.ESCALATED)


def test_the_whole_route_to_the_gpt_and_back_to_outcome_communicated(route):
    issue = route.issue(actor="la-manager", attempts_made=True, attempts_detail="Three calls to the BDC")
    assert issue.level == Level.DISTRICT_ERM
    issue = escalate(route, issue, "erm", reason="The BDC backlog is regional")
    assert issue.level == Level.REGIONAL_ERM
    issue = escalate(route, issue, "regional-erm", reason="Needs a change of process")
    assert issue.level == Level.ODN
    directorate = NationalDirectorate.objects.get(name="Working Age Benefits Directorate")
    issue = services.issue_gateway_refer(
        actor=route.users["odn"],
        issue=issue,
        version=issue.version,
        directorate=directorate,
        reason="Raised with the directorate",
    )
    assert (issue.national_directorate, issue.directorate, issue.level) == (directorate.name, directorate, Level.ODN)
    issue = escalate(route, issue, "odn", reason="Needs national input")
    assert issue.level == Level.GPT
    with pytest.raises(Refused, match="top of this route"):
        escalate(route, issue, "gpt")
    issue = services.issue_resolve(
        actor=route.users["gpt"], issue=issue, version=issue.version, outcome="National guidance issued"
    )
    assert issue.status == Status.RESOLVED and issue.working_days_to_resolution == 0
    with pytest.raises(Refused):
        services.issue_resolve(actor=route.users["gpt"], issue=issue, version=issue.version, outcome="Again")
    # The originator's address is secure and gets the outcome; the other contact's is not, and gets a link only.
    route.la1_originator.secure_email = True
    route.la1_originator.save()
    issue = services.issue_communicate_outcome(
        actor=route.users["gpt"],
        issue=issue,
        version=issue.version,
        contacts=[route.dpm["d1"]],
        message="Thanks for your patience",
    )
    assert issue.status == Status.CLOSED and issue.closed_at
    outcome_mail = [m for m in sent_mail() if m.subject.startswith("Outcome of")]
    assert len(outcome_mail) == 2
    secure, plain = outcome_mail
    assert secure.to == [route.la1_originator.email] and plain.to == [route.dpm["d1"].email]
    assert "National guidance issued" in secure.body and "Thanks for your patience" in secure.body
    assert "National guidance issued" not in plain.body and "Thanks for your patience" not in plain.body
    assert "not marked as a secure address" in plain.body and issue.get_absolute_url() in plain.body
    communicated = issue.steps.get(kind=StepKind.COMMUNICATED)
    assert {r["name"] for r in communicated.recipients} == {"Originator One", "Performance d1"}
    assert kinds(issue) == [
        StepKind.LOGGED,
        StepKind.ESCALATED,
        StepKind.ESCALATED,
        StepKind.GATEWAY,
        StepKind.ESCALATED,
        StepKind.RESOLVED,
        StepKind.COMMUNICATED,
    ]
    assert [(s.from_level, s.to_level) for s in issue.steps.filter(kind=StepKind.ESCALATED)] == [
        (Level.DISTRICT_ERM, Level.REGIONAL_ERM),
        (Level.REGIONAL_ERM, Level.ODN),
        (Level.ODN, Level.GPT),
    ]
    with pytest.raises(Refused, match="no longer open"):
        services.issue_resolve(actor=route.users["gpt"], issue=issue, version=issue.version, outcome="x")
    with pytest.raises(Refused):
        escalate(route, issue, "gpt")
    # The LA manager who raised it reopens it; it goes back to the level that resolved it.
    issue = services.issue_reopen(
        actor=route.users["la-manager"], issue=issue, version=issue.version, reason="The delays are back"
    )
    assert (issue.level, issue.status, issue.outcome) == (Level.GPT, Status.REOPENED, "")
    assert issue.steps.filter(kind=StepKind.RESOLVED).get().text == "National guidance issued"
    assert issue.history.count() == 8  # logged, 3 escalations, update, resolved, communicated, reopened


def test_escalating_without_a_reason_changes_nothing(route):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    with pytest.raises(ValidationError) as error:
        escalate(route, issue, "erm", reason="   ")
    assert "reason" in error.value.message_dict
    issue.refresh_from_db()
    assert (issue.level, issue.version, issue.steps.count()) == (Level.DISTRICT_ERM, 1, 1)


def test_moves_that_do_not_fit_the_state_are_refused(route):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    erm = route.users["erm"]
    with pytest.raises(Refused, match="only a resolved issue"):
        services.issue_communicate_outcome(actor=erm, issue=issue, version=issue.version)
    with pytest.raises(Refused, match="not “Outcome communicated”"):
        services.issue_reopen(actor=erm, issue=issue, version=issue.version, reason="why")
    with pytest.raises(ValidationError):
        services.issue_resolve(actor=erm, issue=issue, version=issue.version, outcome="")
    issue = services.issue_resolve(actor=erm, issue=issue, version=issue.version, outcome="Fixed")
    with pytest.raises(Refused, match="no longer open"):
        services.issue_update_record(actor=erm, issue=issue, version=issue.version, text="more")
    with pytest.raises(Refused, match="not “Outcome communicated”"):
        services.issue_reopen(actor=erm, issue=issue, version=issue.version, reason="why")


def test_acting_outside_scope_or_not_holding_the_level_is_refused(route, world):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    elsewhere = route.issue(
        actor="gpt",
        district=world.d3,
        local_authority=world.la3,
        originator=route.dpm["d3"],
        attempts_made=True,
        attempts_detail="Calls",
    )
    with pytest.raises(PermissionDenied, match="outside"):
        escalate(route, elsewhere, "erm")
    for role in ("regional-erm", "district-manager", "monitor", "la-manager", "odn", "gpt", "admin"):
        with pytest.raises(PermissionDenied, match="Only the holder"):
            escalate(route, issue, role)
        with pytest.raises(PermissionDenied):
            services.issue_resolve(actor=route.users[role], issue=issue, version=issue.version, outcome="x")
    issue.refresh_from_db()
    assert (issue.level, issue.version, issue.status) == (Level.DISTRICT_ERM, 1, Status.NEW)


def test_a_stale_version_is_refused(route):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    seen = issue.version
    services.issue_update_record(actor=route.users["erm"], issue=issue, version=seen, text="Chased the BDC")
    with pytest.raises(StaleIssue, match="Someone else changed"):
        services.issue_escalate(actor=route.users["erm"], issue=issue, version=seen, reason="Too slow")
    issue.refresh_from_db()
    assert issue.level == Level.DISTRICT_ERM and issue.version == seen + 1


def test_the_contacts_linked_user_and_the_erm_act_at_the_operational_level(route):
    contact_user = UserFactory(username="dpm-user")
    route.dpm["d1"].user = contact_user
    route.dpm["d1"].save()
    issue = route.issue()
    assert allowed_actions(contact_user, issue) == {"update", "resolve", "escalate", "rerefer"}
    assert allowed_actions(route.users["erm"], issue) == {"update", "resolve", "escalate", "rerefer"}
    assert allowed_actions(route.users["regional-erm"], issue) == set()
    services.issue_resolve(actor=contact_user, issue=issue, version=issue.version, outcome="Processed today")
    issue.refresh_from_db()
    assert issue.status == Status.RESOLVED and issue.resolved_by == contact_user


def test_jcp_raises_with_the_la_and_it_tops_out_at_the_la_manager(route, world):
    issue = route.issue(actor="district-manager", direction=Direction.TO_LA)
    assert issue.level == Level.OPERATIONAL and issue.operational_contact == route.la1_nominated
    services.issue_update_record(
        actor=route.users["erm"], issue=issue, version=issue.version, text="The nominated contact did not reply"
    )
    issue = escalate(route, issue, "erm", reason="No reply in two weeks", la_manager_role=Role.LA_FRAUD_MANAGER)
    assert (issue.level, issue.la_manager_role) == (Level.LA_MANAGER, Role.LA_FRAUD_MANAGER)
    assert issue.level_label == "LA Fraud Manager"
    with pytest.raises(PermissionDenied):
        escalate(route, issue, "la-manager")
    with pytest.raises(Refused, match="Joint Board"):
        escalate(route, issue, "la-fraud")
    issue = services.issue_resolve(
        actor=route.users["la-fraud"], issue=issue, version=issue.version, outcome="Referrals now go to the fraud team"
    )
    issue = services.issue_communicate_outcome(actor=route.users["la-fraud"], issue=issue, version=issue.version)
    assert issue.status == Status.CLOSED
    assert [m.to for m in sent_mail() if m.subject.startswith("Outcome of")] == [[route.jcp_originator.email]]


def test_level_targets_count_working_days_on_the_las_nation_calendar(route, world):
    scotland = DistrictFactory(code="scot-d", region=world.south)
    glasgow = LocalAuthorityFactory(gss_code="S12000049", name="Glasgow", nation="SCT", districts=[scotland])
    start = timezone.make_aware(datetime.datetime(2026, 12, 24, 10))
    common = {"actor": "gpt", "attempts_made": True, "attempts_detail": "Calls", "at": start}
    english = route.issue(**common)
    originator = LAContactFactory(local_authority=glasgow)
    scottish = route.issue(district=scotland, local_authority=glasgow, originator=originator, **common)
    targets = level_targets()
    # 25, 28 December and 1 January are holidays in both; Scotland's 2 January (a Saturday) moves to Monday 4th.
    assert level_due(english, targets) == datetime.date(2027, 1, 12)
    assert level_due(scottish, targets) == datetime.date(2027, 1, 13)


def test_level_targets_are_read_once_and_a_changed_target_counts_at_once(route, django_assert_num_queries):
    first = level_targets()
    with django_assert_num_queries(0):
        assert level_targets() == first
    target, _ = LevelTarget.objects.update_or_create(
        stage=Level.DISTRICT_ERM, defaults={"working_days": first[Level.DISTRICT_ERM] + 7}
    )
    assert level_targets()[Level.DISTRICT_ERM] == first[Level.DISTRICT_ERM] + 7
    target.delete()
    assert level_targets()[Level.DISTRICT_ERM] == DEFAULT_TARGETS[Level.DISTRICT_ERM]


def test_the_timeline_is_append_only(route):
    issue = route.issue()
    step = issue.steps.first()
    step.text = "rewritten"
    with pytest.raises(AppendOnlyError):
        step.save()
    with pytest.raises(AppendOnlyError):
        step.delete()
    with pytest.raises(TypeError):
        IssueStep.objects.filter(issue=issue).update(text="x")
    with pytest.raises(TypeError):
        IssueStep.objects.filter(issue=issue).delete()
    assert issue.steps.count() == 2


def test_what_a_user_holds_follows_their_roles_and_their_districts_flags(route, world):
    """The held issues' SQL is kept per user and role assignments: a new role, or a district handed to its region,
    shows at the next request."""
    from django.contrib.auth import get_user_model

    from escalation.route import held_issues_q
    from liaison.models import District, RoleAssignment

    erm = route.users["erm"]
    in_d1 = route.issue(title="Waiting in district one")
    in_d2 = route.issue(actor="regional-erm", district=world.d2, local_authority=world.la2, originator=route.dpm["d2"])

    def held(user):
        fresh = get_user_model().objects.get(pk=user.pk)  # a new request: the scope is read again
        return set(Issue.objects.filter(held_issues_q(fresh, statuses=[Status.REFERRED])).values_list("pk", flat=True))

    assert in_d1.pk in held(erm) and in_d2.pk not in held(erm)
    RoleAssignment.objects.create(user=erm, role=Role.ERM, district=world.d2)
    assert {in_d1.pk, in_d2.pk} <= held(erm)
    District.objects.filter(pk=world.d1.pk).update(managed_by_region=True)
    assert in_d1.pk not in held(erm) and in_d1.pk in held(route.users["regional-erm"])
