import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from agreements import services
from agreements.models import DocumentKind, DocumentStatus, Side, YearStatement
from agreements.seal import seal_check
from boards.models import AgendaItem
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
    document = signing.prepare(kind=DocumentKind.END_OF_YEAR, statement=YearStatement.MET)
    old_hash = document.content_sha256
    signing.sign(document, "la-manager", Side.LA)
    services.document_update(actor=signing.users["erm"], document=document, statement=YearStatement.BEST_ABILITY)
    document.refresh_from_db()
    assert document.content_sha256 != old_hash
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


def test_not_met_needs_a_reason_and_opens_a_review_for_the_board(signing):
    with pytest.raises(ValidationError):
        signing.prepare(kind=DocumentKind.END_OF_YEAR, statement=YearStatement.NOT_MET)
    meeting = MeetingFactory(
        board=signing.board, status="scheduled", date=signing.board.established_on.replace(year=2099)
    )
    document = signing.prepare(
        kind=DocumentKind.END_OF_YEAR, statement=YearStatement.NOT_MET, not_met_reason="Targets missed all year"
    )
    signing.sign(document, "la-manager", Side.LA)
    signing.sign(document, "district-manager", Side.JCP)
    document.refresh_from_db()
    assert document.review_opened
    item = AgendaItem.objects.get(meeting=meeting, source="agreements")
    assert "Targets missed" in item.body


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
