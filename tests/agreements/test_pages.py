import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import DocumentStatus, Side
from agreements.seal import seal_check
from liaison.models import Event
from tests.agreements.conftest import Signing


def _post_sign(client, user, document, **data):
    client.force_login(user)
    return client.post(reverse("agreements:document-detail", args=[document.pk]), Signing.payload(document, **data))


def test_list_and_detail_show_the_text_and_the_sign_form_only_to_a_signer(client, signing):
    document = signing.prepare()
    client.force_login(signing.users["la-manager"])
    page = client.get("/agreements/")
    assert page.status_code == 200 and document.get_kind_display() in page.content.decode()
    page = client.get(f"/agreements/{document.pk}/")
    html = page.content.decode()
    assert "We have read the service level agreement" in html
    assert "Your password" in html and document.content_sha256 in html
    assert Event.objects.filter(kind="agreement.viewed", subject_id=document.pk).count() == 1
    client.force_login(signing.users["erm"])
    html = client.get(f"/agreements/{document.pk}/").content.decode()
    assert "Your password" not in html and "Audit" in html


def test_two_party_flow_through_the_pages_and_the_sealed_pdf_download(client, signing):
    document = signing.prepare()
    assert _post_sign(client, signing.users["la-manager"], document, printed_name="HELEN BROOKS").status_code == 302
    assert (
        _post_sign(client, signing.users["district-manager"], document, printed_name="DAVID OKAFOR").status_code == 302
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.SEALED
    signature = document.signatures.get(side=Side.LA)
    assert signature.ip_address == "127.0.0.1"
    response = client.get(f"/agreements/{document.pk}/signed.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    assert seal_check(pdf).ok
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "HELEN BROOKS" in text and "DAVID OKAFOR" in text


def test_wrong_password_on_the_page_shows_an_error_and_signs_nothing(client, signing):
    document = signing.prepare()
    response = _post_sign(client, signing.users["la-manager"], document, password="nope")
    assert response.status_code == 200
    assert "The password is not right" in response.content.decode()
    assert document.signatures.count() == 0


def test_stale_page_after_a_change_is_refused_and_the_signer_is_told(client, signing):
    from agreements import services

    document = signing.prepare()
    assert _post_sign(client, signing.users["la-manager"], document).status_code == 302
    stale = document.content_sha256
    services.document_update(actor=signing.users["erm"], document=document, delivery_centre="District One BDC")
    document.refresh_from_db()
    response = _post_sign(client, signing.users["district-manager"], document, shown_sha256=stale)
    assert "changed since you opened it" in response.content.decode()
    client.force_login(signing.users["la-manager"])
    html = client.get(f"/agreements/{document.pk}/").content.decode()
    assert "your earlier signature no longer applies" in html


def test_people_who_do_not_hold_the_role_get_403_on_post(client, signing):
    document = signing.prepare()
    for who in ("erm", "monitor", "la-fraud", "regional-erm", "gpt", "admin"):
        assert _post_sign(client, signing.users[who], document).status_code == 403
    assert document.signatures.count() == 0


@pytest.mark.parametrize(
    "who,visible",
    [
        ("erm", True),
        ("district-manager", True),
        ("monitor", True),
        ("la-manager", True),
        ("la-fraud", True),
        ("regional-erm", True),
        ("odn", True),
        ("gpt", True),
        ("admin", True),
    ],
)
def test_permission_matrix_for_seeing_a_document(client, signing, world, who, visible):
    document = signing.prepare()
    client.force_login(world.users[who])
    assert (client.get(f"/agreements/{document.pk}/").status_code == 200) is visible


def test_outsiders_cannot_see_or_download(client, signing, world):
    from liaison.models import Role
    from tests.factories import user_with_role

    document = signing.prepare()
    signing.sign(document, "la-manager", Side.LA)
    signing.sign(document, "district-manager", Side.JCP)
    outsider = user_with_role(Role.LA_BENEFITS_MANAGER, local_authority=world.la3, username="la-out")
    client.force_login(outsider)
    assert client.get(f"/agreements/{document.pk}/").status_code == 404
    assert client.get(f"/agreements/{document.pk}/signed.pdf").status_code == 404
    assert document.get_kind_display() not in client.get("/agreements/").content.decode()
    client.logout()
    assert client.get("/agreements/").status_code == 302


def test_verify_page_intact_and_tampered(client, signing):
    document = signing.prepare()
    signing.sign(document, "la-manager", Side.LA)
    signing.sign(document, "district-manager", Side.JCP)
    document.refresh_from_db()
    pdf = bytes(document.sealed_pdf)
    client.force_login(signing.users["erm"])
    page = client.post("/agreements/verify/", {"pdf": SimpleUploadedFile("a.pdf", pdf, "application/pdf")})
    html = page.content.decode()
    assert "The seal is intact" in html and "latest version" in html and f"/agreements/{document.pk}/" in html
    tampered = bytearray(pdf)
    tampered[len(pdf) // 2] ^= 0x01
    page = client.post("/agreements/verify/", {"pdf": SimpleUploadedFile("b.pdf", bytes(tampered), "application/pdf")})
    assert "The seal is not intact" in page.content.decode()
    page = client.post("/agreements/verify/", {})
    assert "Choose the PDF to check" in page.content.decode()


def test_verify_page_says_when_a_newer_version_exists(client, signing):
    from agreements import services

    document = signing.prepare()
    signing.sign(document, "la-manager", Side.LA)
    signing.sign(document, "district-manager", Side.JCP)
    document.refresh_from_db()
    new = services.document_new_version(actor=signing.users["erm"], document=document)
    client.force_login(signing.users["la-manager"])
    page = client.post(
        "/agreements/verify/", {"pdf": SimpleUploadedFile("a.pdf", bytes(document.sealed_pdf), "application/pdf")}
    )
    html = page.content.decode()
    assert "The seal is intact" in html and f"/agreements/{document.pk}/" in html
    assert "A newer version of this document exists" in html and "latest version" not in html
    assert new.version == 2


def test_board_panel_offers_preparing_only_to_those_who_prepare(client, signing):
    client.force_login(signing.users["erm"])
    html = client.get(signing.board.get_absolute_url()).content.decode()
    assert f"/agreements/boards/{signing.board.pk}/statement-of-intent/new/" in html
    assert f"/agreements/boards/{signing.board.pk}/end-of-year/new/" in html
    client.force_login(signing.users["district-manager"])
    html = client.get(signing.board.get_absolute_url()).content.decode()
    assert "Statements of Intent and End of Year Sign-offs" in html and "/statement-of-intent/new/" not in html
