import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from agreements import services
from agreements.models import DocumentKind, DocumentStatus, Side, YearStatement, content_hash
from agreements.seal import seal_check
from boards.models import Action
from boards.selectors import carried_forward_actions
from liaison.calendar import add_working_days
from liaison.models import Event, Role
from tests.boards.factories import MeetingFactory
from tests.factories import user_with_role


def _kinds(document):
    return list(
        Event.objects.filter(subject_type="agreements.signingdocument", subject_id=document.pk)
        .order_by("occurred_at", "pk")
        .values_list("kind", flat=True)
    )


def test_both_sign_in_either_order_and_the_pdf_is_sealed(signing):
    document = signing.prepare()
    first = signing.sign(document, "la-manager", Side.LA)
    document.refresh_from_db()
    assert document.status == DocumentStatus.PART_SIGNED
    assert first.content_sha256 == document.content_sha256
    assert first.ip_address == "127.0.0.1" and first.user_agent == "pytest"
    signing.sign(document, "district-manager", Side.JCP)
    document.refresh_from_db()
    assert document.status == DocumentStatus.SEALED
    pdf = bytes(document.sealed_pdf)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Statement of Intent" in text
    assert "DISTRICT-MANAGER" in text and "LA-MANAGER" in text
    assert document.content_sha256 in text.replace("\n", "")
    assert "Audit record" in text
    check = seal_check(pdf)
    assert check.intact and check.trusted and check.ok
    assert _kinds(document) == ["agreement.prepared", "agreement.signed", "agreement.signed", "agreement.sealed"]


def test_wrong_password_is_refused_and_nothing_is_signed(signing):
    document = signing.prepare()
    with pytest.raises(ValidationError) as error:
        signing.sign(document, "la-manager", Side.LA, password="wrong")
    assert "password" in error.value.message_dict
    assert document.signatures.count() == 0


def test_wrong_person_cannot_sign_either_side(signing):
    document = signing.prepare()
    for who in ("erm", "la-fraud", "monitor", "admin", "gpt"):
        for side in (Side.JCP, Side.LA):
            with pytest.raises(PermissionDenied):
                signing.sign(document, who, side)
    with pytest.raises(PermissionDenied):
        signing.sign(document, "la-manager", Side.JCP)
    with pytest.raises(PermissionDenied):
        signing.sign(document, "district-manager", Side.LA)
    assert document.signatures.count() == 0


def test_signer_outside_the_board_cannot_sign(signing, world):
    document = signing.prepare()
    outsider_dm = user_with_role(Role.DISTRICT_MANAGER, district=world.d3, username="dm-three")
    outsider_la = user_with_role(Role.LA_BENEFITS_MANAGER, local_authority=world.la3, username="la-three")
    signing.users["dm-three"] = outsider_dm
    signing.users["la-three"] = outsider_la
    with pytest.raises(PermissionDenied):
        signing.sign(document, "dm-three", Side.JCP)
    with pytest.raises(PermissionDenied):
        signing.sign(document, "la-three", Side.LA)
    assert document.signatures.count() == 0


def test_already_signed_side_cannot_sign_again(signing):
    document = signing.prepare()
    signing.sign(document, "la-manager", Side.LA)
    with pytest.raises(ValidationError, match="already signed"):
        signing.sign(document, "la-manager", Side.LA)
    signing.sign(document, "district-manager", Side.JCP)
    with pytest.raises(ValidationError, match="final"):
        signing.sign(document, "district-manager", Side.JCP)
    assert document.signatures.count() == 2


def test_changed_document_voids_the_first_signature_and_refuses_a_stale_page(signing):
    document = signing.prepare()
    old_hash = document.content_sha256
    signing.sign(document, "la-manager", Side.LA)
    services.document_update(actor=signing.users["erm"], document=document, delivery_centre="District One BDC")
    document.refresh_from_db()
    assert document.content_sha256 != old_hash and "District One BDC" in document.content
    assert document.status == DocumentStatus.AWAITING
    signature = document.signatures.get()
    assert signature.invalidated_at is not None and signature.content_sha256 == old_hash
    assert "agreement.invalidated" in _kinds(document)
    with pytest.raises(ValidationError, match="changed since you opened it"):
        signing.sign(document, "district-manager", Side.JCP, shown_sha256=old_hash)
    signing.sign(document, "district-manager", Side.JCP)
    signing.sign(document, "la-manager", Side.LA)
    document.refresh_from_db()
    assert document.status == DocumentStatus.SEALED


def test_end_of_year_a_signer_chooses_the_statement_then_both_sign_that_exact_text(signing):
    document = signing.prepare(kind=DocumentKind.END_OF_YEAR)
    assert document.statement == "" and "No statement chosen yet" in document.content
    with pytest.raises(ValidationError, match="Choose the statement first"):
        signing.sign(document, "la-manager", Side.LA)
    chosen = signing.choose(document, "la-manager", YearStatement.BEST_ABILITY)
    document.refresh_from_db()
    assert chosen.content_sha256 == document.content_sha256 == content_hash(document.content)
    assert document.statement == YearStatement.BEST_ABILITY
    assert "met to the best of each organisations ability" in document.content
    assert document.status == DocumentStatus.AWAITING and document.signatures.count() == 0
    first = signing.sign(document, "la-manager", Side.LA)
    second = signing.sign(document, "district-manager", Side.JCP)
    document.refresh_from_db()
    assert first.content_sha256 == second.content_sha256 == document.content_sha256
    assert document.status == DocumentStatus.SEALED
    assert first.__class__.objects.get(pk=first.pk).invalidated_at is None
    assert _kinds(document) == [
        "agreement.prepared",
        "agreement.statement-chosen",
        "agreement.signed",
        "agreement.signed",
        "agreement.sealed",
    ]
    chosen_event = Event.objects.get(kind="agreement.statement-chosen", subject_id=document.pk)
    assert chosen_event.actor == signing.users["la-manager"]
    assert chosen_event.data["sha256"] == document.content_sha256 and chosen_event.data["statement"] == "best-ability"


def test_end_of_year_a_signer_who_disagrees_changes_the_statement_and_the_first_signs_again(signing):
    document = signing.prepare(kind=DocumentKind.END_OF_YEAR)
    signing.choose(document, "la-manager", YearStatement.MET)
    first = signing.sign(document, "la-manager", Side.LA)
    document.refresh_from_db()
    met_hash = document.content_sha256
    asked = document.asked_at
    # The second signer, on a page showing the text before the statement was chosen, is refused.
    with pytest.raises(ValidationError, match="changed since you opened it"):
        signing.choose(document, "district-manager", YearStatement.NOT_MET, "Backlog", shown_sha256="0" * 64)
    signing.choose(document, "district-manager", YearStatement.NOT_MET, "Backlog all year")
    document.refresh_from_db()
    first.refresh_from_db()
    assert first.invalidated_at is not None and first.content_sha256 == met_hash
    assert document.content_sha256 != met_hash and document.asked_at > asked
    assert "not been met satisfactorily" in document.content and "Backlog all year" in document.content
    assert document.status == DocumentStatus.AWAITING
    assert _kinds(document)[-2:] == ["agreement.invalidated", "agreement.statement-changed"]
    changed = Event.objects.get(kind="agreement.statement-changed", subject_id=document.pk)
    assert changed.data["sha256"] == document.content_sha256
    # The first signer, on a page showing the old text, is refused and shown the new one.
    with pytest.raises(ValidationError, match="changed since you opened it"):
        signing.sign(document, "la-manager", Side.LA, shown_sha256=met_hash)
    signing.sign(document, "district-manager", Side.JCP)
    signing.sign(document, "la-manager", Side.LA)
    document.refresh_from_db()
    assert document.status == DocumentStatus.SEALED
    assert set(document.signatures.filter(invalidated_at__isnull=True).values_list("content_sha256", flat=True)) == {
        document.content_sha256
    }


def test_choosing_the_same_statement_again_changes_nothing(signing):
    document = signing.prepare(kind=DocumentKind.END_OF_YEAR)
    signing.choose(document, "la-manager", YearStatement.NOT_MET, "Backlog")
    signature = signing.sign(document, "la-manager", Side.LA)
    document.refresh_from_db()
    before = (document.content_sha256, document.asked_at, len(_kinds(document)))
    signing.choose(document, "district-manager", YearStatement.NOT_MET, "  Backlog ")
    document.refresh_from_db()
    signature.refresh_from_db()
    assert (document.content_sha256, document.asked_at, len(_kinds(document))) == before
    assert signature.invalidated_at is None and document.status == DocumentStatus.PART_SIGNED


def test_statement_rules(signing):
    soi = signing.prepare()
    with pytest.raises(ValidationError) as error:
        signing.choose(soi, "la-manager", YearStatement.MET)
    assert "statement" in error.value.message_dict
    eoy = signing.prepare(kind=DocumentKind.END_OF_YEAR)
    with pytest.raises(ValidationError) as error:
        signing.choose(eoy, "la-manager", YearStatement.NOT_MET, "  ")
    assert error.value.message_dict["not_met_reason"] == [
        "Say briefly why the aims, objectives and standards were not met"
    ]
    with pytest.raises(ValidationError) as error:
        signing.choose(eoy, "la-manager", YearStatement.NOT_MET, "x" * 1001)
    assert error.value.message_dict["not_met_reason"] == ["The reason must be 1000 characters or fewer"]
    with pytest.raises(ValidationError) as error:
        signing.choose(eoy, "la-manager", "maybe")
    assert "statement" in error.value.message_dict
    eoy.refresh_from_db()
    assert eoy.statement == "" and "No statement chosen yet" in eoy.content
    # The reason is kept only with "not met".
    signing.choose(eoy, "la-manager", YearStatement.MET, "ignored")
    eoy.refresh_from_db()
    assert eoy.not_met_reason == "" and "ignored" not in eoy.content


def test_only_a_signer_of_a_document_that_is_not_final_chooses_the_statement(signing):
    document = signing.prepare(kind=DocumentKind.END_OF_YEAR)
    for who in ("erm", "la-fraud", "monitor", "admin", "gpt"):
        with pytest.raises(PermissionDenied):
            signing.choose(document, who, YearStatement.MET)
    document.refresh_from_db()
    assert document.statement == "" and _kinds(document) == ["agreement.prepared"]
    signing.choose(document, "district-manager", YearStatement.MET)
    signing.sign(document, "district-manager", Side.JCP)
    signing.sign(document, "la-manager", Side.LA)
    with pytest.raises(ValidationError, match="final"):
        signing.choose(document, "la-manager", YearStatement.NOT_MET, "Too late")
    new = services.document_new_version(actor=signing.users["erm"], document=document)
    with pytest.raises(ValidationError, match="final"):
        signing.choose(document, "la-manager", YearStatement.NOT_MET, "Too late")
    document.refresh_from_db()
    assert document.statement == YearStatement.MET and new.statement == ""


def test_one_person_never_signs_for_both_sides(signing, world):
    both = signing.users["district-manager"]
    from liaison.models import RoleAssignment

    RoleAssignment.objects.create(user=both, role=Role.LA_BENEFITS_MANAGER, local_authority=world.la1)
    document = signing.prepare()
    signing.sign(document, "district-manager", Side.JCP)
    with pytest.raises(ValidationError, match="other side"):
        signing.sign(document, "district-manager", Side.LA)
    assert document.signatures.count() == 1


def test_sealed_document_is_never_edited_a_change_is_a_new_version(signing):
    document = signing.prepare()
    signing.sign(document, "la-manager", Side.LA)
    signing.sign(document, "district-manager", Side.JCP)
    with pytest.raises(ValidationError, match="never edited"):
        services.document_update(actor=signing.users["erm"], document=document, delivery_centre="Elsewhere")
    new = services.document_new_version(actor=signing.users["erm"], document=document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUPERSEDED and new.version == 2
    assert new.status == DocumentStatus.AWAITING and new.content_sha256 != document.content_sha256


def test_one_la_signs_on_behalf_of_all_the_board_las(signing, world):
    document = signing.prepare(on_behalf_of_all=True)
    assert set(document.covered_authorities.all()) == {world.la1, world.la12}
    assert "on behalf of all LAs" in document.content and "Authority Straddle" in document.content
    signing.sign(document, "la-manager", Side.LA)
    signing.sign(document, "district-manager", Side.JCP)
    document.refresh_from_db()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(document.sealed_pdf))).pages)
    assert "Authority Straddle" in text


def test_not_met_opens_a_review_action_for_the_board_on_its_next_agenda(signing):
    held = MeetingFactory(board=signing.board, date=timezone.localdate() - datetime.timedelta(days=20))
    document = signing.prepare(kind=DocumentKind.END_OF_YEAR)
    signing.choose(document, "la-manager", YearStatement.NOT_MET, "Targets missed")
    signing.sign(document, "la-manager", Side.LA)
    assert not Action.objects.exists()
    signing.sign(document, "district-manager", Side.JCP)
    document.refresh_from_db()
    assert document.review_opened
    action = document.review_action
    assert action.board == signing.board and action.meeting == held
    assert action.owner == signing.board.erm and "Targets missed" in action.description
    nation = document.signing_authority.nation
    assert action.due_date == add_working_days(timezone.localdate(), services.REVIEW_ACTION_WORKING_DAYS, nation)
    assert Event.objects.filter(kind="action.added", subject_id=action.pk, data__source="agreements").exists()
    next_meeting = MeetingFactory(
        board=signing.board, status="scheduled", date=timezone.localdate() + datetime.timedelta(days=40)
    )
    assert action in carried_forward_actions(next_meeting)
    assert "agreement.review-opened" in _kinds(document)

    # A new version signed "not met" again carries on with the same review, not a second action.
    new = services.document_new_version(actor=signing.users["erm"], document=document)
    assert new.statement == "" and "No statement chosen yet" in new.content
    signing.choose(new, "district-manager", YearStatement.NOT_MET, "Still behind")
    signing.sign(new, "la-manager", Side.LA)
    signing.sign(new, "district-manager", Side.JCP)
    new.refresh_from_db()
    assert new.review_action == action and Action.objects.count() == 1


def test_met_opens_no_review(signing):
    MeetingFactory(board=signing.board)
    document = signing.prepare(kind=DocumentKind.END_OF_YEAR)
    signing.choose(document, "la-manager", YearStatement.MET)
    signing.sign(document, "la-manager", Side.LA)
    signing.sign(document, "district-manager", Side.JCP)
    document.refresh_from_db()
    assert document.is_sealed and not document.review_opened and not Action.objects.exists()


def test_preparing_checks_the_period_and_refuses_a_second_document_for_the_same_la_and_period(signing, world):
    with pytest.raises(ValidationError) as error:
        signing.prepare(period_start=datetime.date(2007, 4, 1))
    assert "period_start" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        signing.prepare(kind=DocumentKind.END_OF_YEAR, period_end=datetime.date(2010, 3, 31))
    assert "An End of Year Sign-off covers one year" in str(error.value)
    with pytest.raises(ValidationError) as error:
        signing.prepare(signing_authority=world.la3)
    assert "signing_authority" in error.value.message_dict
    signing.prepare(period_end=datetime.date(2011, 3, 31))
    with pytest.raises(ValidationError, match="make a new version"):
        signing.prepare(signing_authority=world.la12, on_behalf_of_all=True)
    signing.prepare(kind=DocumentKind.END_OF_YEAR)  # another kind is another document
    assert signing.board.signing_documents.count() == 2


def test_new_version_of_a_document_signed_on_behalf_of_all_lists_the_board_las_as_they_are_now(signing, world):
    document = signing.prepare(on_behalf_of_all=True)
    signing.sign(document, "la-manager", Side.LA)
    signing.board.local_authorities.add(world.la2)
    new = services.document_new_version(actor=signing.users["erm"], document=document, delivery_centre="BDC North")
    assert set(new.covered_authorities.all()) == {world.la1, world.la12, world.la2}
    assert "Authority Two" in new.content and "BDC North" in new.content and new.supersedes == document
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUPERSEDED
    with pytest.raises(ValidationError, match="newer version"):
        services.document_new_version(actor=signing.users["erm"], document=document)
    with pytest.raises(PermissionDenied):
        services.document_new_version(actor=signing.users["district-manager"], document=new)


def test_evaluation_is_recorded_nationally_and_not_in_the_future(signing):
    with pytest.raises(PermissionDenied):
        services.evaluation_record(
            actor=signing.users["erm"], agreement=signing.agreement, evaluated_on=datetime.date(2009, 4, 1)
        )
    with pytest.raises(ValidationError):
        services.evaluation_record(
            actor=signing.users["gpt"],
            agreement=signing.agreement,
            evaluated_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        services.evaluation_record(
            actor=signing.users["gpt"], agreement=signing.agreement, evaluated_on=datetime.date(2008, 3, 31)
        )
    evaluation = services.evaluation_record(
        actor=signing.users["gpt"], agreement=signing.agreement, evaluated_on=datetime.date(2009, 4, 1), notes="Fine"
    )
    assert evaluation.recorded_by == signing.users["gpt"]
    assert Event.objects.filter(kind="agreement.evaluated", subject_id=signing.agreement.pk).count() == 1


def test_only_the_board_erm_prepares(signing, world):
    for who in ("district-manager", "la-manager", "monitor", "odn"):
        with pytest.raises(PermissionDenied):
            services.document_prepare(
                actor=signing.users[who],
                agreement=signing.agreement,
                kind=DocumentKind.STATEMENT_OF_INTENT,
                board=signing.board,
                signing_authority=world.la1,
                delivery_centre="x",
                period_start=signing.agreement.period_start,
                period_end=signing.agreement.period_end,
            )
    assert signing.board.signing_documents.count() == 0


def test_tampered_pdf_fails_verification(signing):
    document = signing.prepare()
    signing.sign(document, "la-manager", Side.LA)
    signing.sign(document, "district-manager", Side.JCP)
    document.refresh_from_db()
    pdf = bytes(document.sealed_pdf)
    good = services.pdf_verify(actor=signing.users["erm"], data=pdf)
    assert good.intact and good.document == document and good.latest
    tampered = bytearray(pdf)
    tampered[len(pdf) // 3] ^= 0x01
    bad = services.pdf_verify(actor=signing.users["erm"], data=bytes(tampered))
    assert not bad.intact
    assert "agreement.verified" in _kinds(document)
