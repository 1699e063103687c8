"""Local agreements (PA 3.1.6, 3.2.5), information request procedures (PA 3.1.2) and contingency plans (PA 3.1.7)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agreements import services
from agreements.models import (
    ContingencyInvocation,
    LocalAgreement,
    LocalAgreementKind,
    LocalAgreementStatus,
    RequestChannel,
    RequestKind,
)
from boards.models import MeetingStatus
from liaison.alerts import scan_deadlines
from liaison.models import Alert, Event
from tests.boards.factories import MeetingFactory, board_for

pytestmark = pytest.mark.django_db

PLAN = {
    "invoked_when": "CIS is unavailable for more than one working day.",
    "jcp_actions": "The BDC answers LA queries by telephone.",
    "la_actions": "The LA holds new claims and logs each query.",
    "decided_by": "The JCP co-chair with the LA Benefits Manager",
}


class Register:
    def __init__(self, world, signing):
        self.world = world
        self.users = world.users
        self.board = signing.board
        self.held = MeetingFactory(board=self.board)
        self.scheduled = MeetingFactory(
            board=self.board, status=MeetingStatus.SCHEDULED, date=timezone.localdate() + datetime.timedelta(days=20)
        )

    def propose(self, who="erm", kind=LocalAgreementKind.INFORMATION_REQUESTS, **kwargs):
        kwargs.setdefault("title", "Requests between the BDC and Authority One")
        kwargs.setdefault("text", "Requests go by the channels below.")
        kwargs.setdefault("local_authorities", [self.world.la1])
        return services.local_agreement_propose(actor=self.users[who], board=self.board, kind=kind, **kwargs)

    def revise(self, previous, who="erm", **kwargs):
        """A new version of `previous` (it keeps its kind, whatever is sent)."""
        kwargs.setdefault("kind", "")
        kwargs.setdefault("title", previous.title)
        kwargs.setdefault("text", "Requests now also by telephone.")
        kwargs.setdefault("local_authorities", [self.world.la1])
        return services.local_agreement_propose(actor=self.users[who], board=self.board, previous=previous, **kwargs)

    def add_request(self, agreement, who="erm", **kwargs):
        kwargs.setdefault("request_kind", RequestKind.CUSTOMER_STATEMENT)
        kwargs.setdefault("channel", RequestChannel.SECURE_EMAIL)
        kwargs.setdefault("address", "hb.requests@authority-one.gcsx.gov.uk")
        kwargs.setdefault("target_working_days", 2)
        return services.request_procedure_add(actor=self.users[who], agreement=agreement, **kwargs)


@pytest.fixture
def register(world, signing):
    return Register(world, signing)


def test_an_agreement_becomes_agreed_only_at_a_held_meeting_of_its_board(register, world):
    agreement = register.propose()
    register.add_request(agreement)
    for meeting in (register.scheduled, MeetingFactory(board=board_for(world, title="Other board")), None):
        with pytest.raises(ValidationError, match="has been held"):
            services.local_agreement_agree(actor=world.users["erm"], agreement=agreement, meeting=meeting)
    agreement.refresh_from_db()
    assert agreement.status == LocalAgreementStatus.PROPOSED and agreement.agreed_at is None

    services.local_agreement_agree(actor=world.users["erm"], agreement=agreement, meeting=register.held)
    agreement.refresh_from_db()
    assert agreement.status == LocalAgreementStatus.AGREED and agreement.agreed_at == register.held
    assert Event.objects.filter(kind="local-agreement.agreed", subject_id=agreement.pk).exists()
    with pytest.raises(ValidationError, match="cannot become agreed"):
        services.local_agreement_agree(actor=world.users["erm"], agreement=agreement, meeting=register.held)


def test_an_information_request_procedure_needs_a_request_before_it_is_agreed(register, world):
    agreement = register.propose()
    with pytest.raises(ValidationError, match="at least one kind of request"):
        services.local_agreement_agree(actor=world.users["erm"], agreement=agreement, meeting=register.held)
    with pytest.raises(ValidationError) as refused:
        register.add_request(agreement, request_kind=RequestKind.OTHER, other_kind="")
    assert "other_kind" in refused.value.message_dict
    assert not agreement.procedures.exists()


def test_a_change_is_a_new_version_and_the_old_one_stays_readable_until_superseded(register, world, client):
    first = register.propose()
    register.add_request(first)
    services.local_agreement_agree(actor=world.users["erm"], agreement=first, meeting=register.held)
    second = register.revise(first, kind="ignored: a new version keeps its kind")
    assert (second.version, second.kind, second.previous) == (2, LocalAgreementKind.INFORMATION_REQUESTS, first)
    assert list(second.procedures.values_list("address", flat=True)) == ["hb.requests@authority-one.gcsx.gov.uk"]
    first.refresh_from_db()
    assert first.status == LocalAgreementStatus.AGREED  # still in force until the new one is agreed
    with pytest.raises(ValidationError, match="newer version"):
        register.revise(first, title="x", text="y")

    services.local_agreement_agree(actor=world.users["erm"], agreement=second, meeting=register.held)
    first.refresh_from_db()
    assert first.status == LocalAgreementStatus.SUPERSEDED and first.text == "Requests go by the channels below."
    client.force_login(world.users["la-manager"])
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Requests go by the channels below." in page and "Superseded" in page and "version 2</a> is newer" in page


def test_members_read_the_register_and_only_its_keepers_write(register, world, client, signing):
    agreement = register.propose()
    # The LA co-chair's user keeps the register with the ERM (the joint chairs provide the secretariat).
    register.board.la_chair.user = world.users["la-manager"]
    register.board.la_chair.save()
    assert register.add_request(agreement, who="la-manager").target_working_days == 2
    for who in ("monitor", "district-manager", "la-fraud"):
        with pytest.raises(PermissionDenied):
            register.propose(who=who)
    other_board = board_for(world, district=world.d3, authority=world.la3, title="Board Three")
    with pytest.raises(PermissionDenied):
        services.local_agreement_propose(
            actor=world.users["la-manager"],
            board=other_board,
            kind=LocalAgreementKind.OTHER,
            title="x",
            text="y",
            local_authorities=[world.la3],
        )
    assert LocalAgreement.objects.count() == 1

    client.force_login(world.users["la-fraud"])
    assert client.get(f"/agreements/boards/{register.board.pk}/local/").status_code == 200
    assert client.get(f"/agreements/boards/{register.board.pk}/local/new/").status_code == 403
    client.force_login(world.users["erm"])
    assert client.get(f"/agreements/boards/{other_board.pk}/local/").status_code == 404
    assert client.get(agreement.get_absolute_url()).status_code == 200


def test_the_las_page_shows_the_procedures_in_force_for_it(register, world, client):
    agreement = register.propose()
    register.add_request(agreement)
    register.add_request(
        agreement,
        request_kind=RequestKind.URGENT_PAYMENT,
        channel=RequestChannel.TELEPHONE,
        address="0161 000 0000",
        target_working_days=1,
    )
    client.force_login(world.users["la-manager"])
    page = client.get(f"/authorities/{world.la1.gss_code}/").content.decode()
    assert "No information request procedure has been agreed for Authority One yet." in page
    services.local_agreement_agree(actor=world.users["erm"], agreement=agreement, meeting=register.held)
    page = client.get(f"/authorities/{world.la1.gss_code}/").content.decode()
    assert (
        "hb.requests@authority-one.gcsx.gov.uk" in page and "Urgent payment query" in page and "0161 000 0000" in page
    )
    meeting_page = client.get(register.held.get_absolute_url()).content.decode()
    assert "Local agreements agreed at this meeting" in meeting_page and agreement.title in meeting_page


def test_review_and_missing_procedure_alerts_raise_once_and_clear(register, world, signing):
    erm, dm = world.users["erm"], world.users["district-manager"]
    register.board.jcp_chair.user = dm
    register.board.jcp_chair.save()
    codes = ["board-no-request-procedure", "local-agreement-review-due"]
    today = timezone.localdate()
    first = scan_deadlines(today=today, codes=codes)
    assert first.by_check["board-no-request-procedure"]["raised"] == 1
    assert scan_deadlines(today=today, codes=codes).raised == 0
    alert = Alert.objects.open().get(check_code="board-no-request-procedure")
    assert {d.user for d in alert.deliveries.all()} == {erm, dm}

    agreement = register.propose(review_on=today + datetime.timedelta(days=10))
    register.add_request(agreement)
    services.local_agreement_agree(actor=erm, agreement=agreement, meeting=register.held)
    assert scan_deadlines(today=today, codes=codes).cleared == 1
    later = today + datetime.timedelta(days=11)
    assert scan_deadlines(today=later, codes=codes).by_check["local-agreement-review-due"]["raised"] == 1
    assert scan_deadlines(today=later, codes=codes).raised == 0
    services.local_agreement_withdraw(actor=erm, agreement=agreement, reason="Replaced by the regional procedure")
    result = scan_deadlines(today=later, codes=codes)
    assert result.by_check["local-agreement-review-due"]["cleared"] == 1
    assert result.by_check["board-no-request-procedure"]["raised"] == 1


def test_a_contingency_plan_is_invoked_stood_down_and_alerted_while_open_too_long(register, world):
    erm = world.users["erm"]
    with pytest.raises(ValidationError) as missing:
        register.propose(kind=LocalAgreementKind.CONTINGENCY, title="Loss of CIS")
    assert set(missing.value.message_dict) == set(PLAN)
    plan = register.propose(kind=LocalAgreementKind.CONTINGENCY, title="Loss of CIS", **PLAN)
    with pytest.raises(ValidationError, match="agreed contingency plan"):
        services.contingency_invoke(actor=erm, plan=plan, reason="CIS down", local_authorities=[world.la1])
    services.local_agreement_agree(actor=erm, agreement=plan, meeting=register.held)
    with pytest.raises(ValidationError) as refused:
        services.contingency_invoke(actor=erm, plan=plan, reason="CIS down", local_authorities=[world.la3])
    assert "local_authorities" in refused.value.message_dict
    invocation = services.contingency_invoke(actor=erm, plan=plan, reason="CIS down", local_authorities=[world.la1])

    codes = ["contingency-invocation-open"]
    today = timezone.localdate()
    assert scan_deadlines(today=today + datetime.timedelta(days=3), codes=codes).raised == 0
    late = today + datetime.timedelta(days=20)
    assert scan_deadlines(today=late, codes=codes).raised == 1
    alert = Alert.objects.open().get(check_code="contingency-invocation-open")
    assert world.users["regional-erm"] in {d.user for d in alert.deliveries.all()}

    with pytest.raises(ValidationError):
        services.contingency_stand_down(actor=erm, invocation=invocation, lessons="")
    services.contingency_stand_down(actor=erm, invocation=invocation, lessons="Keep the telephone list current.")
    assert scan_deadlines(today=late, codes=codes).cleared == 1
    invocation.refresh_from_db()
    assert invocation.lessons and not invocation.is_open
    # The board reviews it at its next meeting: the invocation is on that agenda, with what was learnt.
    item = register.scheduled.agenda_items.get(source="agreements")
    assert item.title == "Contingency plan invoked: Loss of CIS"
    assert f"for {world.la1.name}, stood down on" in item.body and "Keep the telephone list current." in item.body
    with pytest.raises(ValidationError, match="already been stood down"):
        services.contingency_stand_down(actor=erm, invocation=invocation, lessons="Again")
    assert ContingencyInvocation.objects.count() == 1


def test_gpt_publishes_the_national_steer_shown_beside_each_plan(register, world, client):
    plan = register.propose(kind=LocalAgreementKind.CONTINGENCY, title="Loss of ETD", **PLAN)
    with pytest.raises(PermissionDenied):
        services.national_steer_publish(actor=world.users["erm"], title="x", text="y")
    client.force_login(world.users["gpt"])
    response = client.post("/agreements/national-steer/", {"title": "CIS outages", "text": "Keep a paper log."})
    assert response.status_code == 302
    client.force_login(world.users["erm"])
    assert "Keep a paper log." in client.get(plan.get_absolute_url()).content.decode()
    assert client.post("/agreements/national-steer/", {"title": "x", "text": "y"}).status_code == 403


def test_the_pages_propose_add_a_request_and_agree(register, world, client):
    client.force_login(world.users["erm"])
    board = register.board
    response = client.post(
        f"/agreements/boards/{board.pk}/local/new/",
        {"kind": LocalAgreementKind.INFORMATION_REQUESTS, "title": "Requests", "text": "As below."},
    )
    assert (
        response.status_code == 200
        and "Choose the Local Authorities or districts it covers" in response.content.decode()
    )
    assert not LocalAgreement.objects.exists()
    response = client.post(
        f"/agreements/boards/{board.pk}/local/new/",
        {
            "kind": LocalAgreementKind.INFORMATION_REQUESTS,
            "title": "Requests",
            "text": "As below.",
            "local_authorities": [world.la1.pk],
        },
    )
    agreement = LocalAgreement.objects.get()
    assert response.status_code == 302
    response = client.post(f"/agreements/local/{agreement.pk}/agree/", {"meeting": register.held.pk})
    assert response.status_code == 400 and "at least one kind of request" in response.content.decode()
    client.post(
        f"/agreements/local/{agreement.pk}/requests/new/",
        {"request_kind": "claim-evidence", "channel": "form", "address": "Form HB-E1", "target_working_days": "5"},
    )
    response = client.post(f"/agreements/local/{agreement.pk}/agree/", {"meeting": register.scheduled.pk})
    assert response.status_code == 400
    assert client.post(f"/agreements/local/{agreement.pk}/agree/", {"meeting": register.held.pk}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == LocalAgreementStatus.AGREED


def test_the_board_page_lists_the_agreements_proposed_or_in_force_and_no_other(register, world, client):
    client.force_login(world.users["erm"])
    empty = client.get(register.board.get_absolute_url()).content.decode()
    assert "No local agreement has been proposed for this board yet." in empty
    first = register.propose(title="Requests, first version")
    register.add_request(first)
    services.local_agreement_agree(actor=world.users["erm"], agreement=first, meeting=register.held)
    second = register.revise(first, title="Requests, second version")

    def listed():
        page = client.get(register.board.get_absolute_url()).content.decode()
        return page.split('id="local-agreement-list"')[1].split("</ul>")[0]

    shown = listed()
    assert "Requests, first version</a> (information request procedure, version 1)" in shown
    assert "Requests, second version</a>" in shown and "Proposed" in shown and "Agreed" in shown
    services.local_agreement_agree(actor=world.users["erm"], agreement=second, meeting=register.held)
    shown = listed()
    assert "Requests, second version" in shown and "Requests, first version" not in shown
