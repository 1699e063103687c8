"""Both parties sign a Statement of Intent in a real Chromium; the sealed PDF is downloaded, read back and its seal
validated with pyHanko; a tampered copy fails on the verify page."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from pypdf import PdfReader

from agreements import services
from agreements.models import Agreement, DocumentKind, DocumentStatus, SigningDocument
from agreements.seal import seal_check
from boards.models import Board
from liaison.models import LocalAuthority

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign(page, live_server, document, password, printed_name):
    page.goto(f"{live_server.url}/agreements/{document.pk}/")
    expect(page.locator("#document-text")).to_contain_text("We have read the service level agreement")
    page.get_by_label("Your password").fill(password)
    page.get_by_label("Printed name").fill(printed_name)
    page.get_by_label("I have read the text above").check()
    page.get_by_role("button", name="Sign this document").click()


def test_two_party_signing_sealed_pdf_and_tamper_check(demo, live_server, page, sign_in, assert_accessible, tmp_path):
    erm = get_user_model().objects.get(username="erm")
    document = services.document_prepare(
        actor=erm,
        agreement=Agreement.objects.get(version="FINAL VERSION 1.0"),
        kind=DocumentKind.STATEMENT_OF_INTENT,
        board=Board.objects.get(title="Greater Manchester Joint Board"),
        signing_authority=LocalAuthority.objects.get(gss_code="E08000003"),
        delivery_centre="Manchester Benefit Delivery Centre",
        period_start=datetime.date(2010, 4, 1),
        period_end=datetime.date(2011, 3, 31),
    )

    sign_in(page, "la-manager")
    page.get_by_role("link", name="Agreements").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreements and signing")
    assert_accessible(page)
    _sign(page, live_server, document, "wrong-password", "HELEN BROOKS")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The password is not right")
    assert_accessible(page)
    _sign(page, live_server, document, "liaison", "HELEN BROOKS")
    expect(page.locator("#signature-la")).to_contain_text("HELEN BROOKS")
    expect(page.locator("#document-status")).to_have_text("Signed by one party")
    page.context.clear_cookies()

    sign_in(page, "district-manager")
    _sign(page, live_server, document, "liaison", "DAVID OKAFOR")
    expect(page.locator("#document-status")).to_have_text("Signed by both and sealed")
    expect(page.locator("#audit")).to_be_visible()
    assert_accessible(page)
    document.refresh_from_db()
    assert document.status == DocumentStatus.SEALED

    with page.expect_download() as info:
        page.locator("#download-pdf").click()
    path = tmp_path / "signed.pdf"
    info.value.save_as(path)
    pdf = path.read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "HELEN BROOKS" in text and "DAVID OKAFOR" in text and "Audit record" in text
    check = seal_check(pdf)
    assert check.intact and check.trusted

    page.goto(f"{live_server.url}/agreements/verify/")
    assert_accessible(page)
    page.get_by_label("Signed PDF").set_input_files(str(path))
    page.get_by_role("button", name="Check the PDF").click()
    expect(page.locator("#verify-result")).to_contain_text("The seal is intact")
    expect(page.locator("#verify-record")).to_contain_text("latest version")
    tampered = bytearray(pdf)
    tampered[len(pdf) // 2] ^= 0x01
    bad = tmp_path / "tampered.pdf"
    bad.write_bytes(bytes(tampered))
    page.get_by_label("Signed PDF").set_input_files(str(bad))
    page.get_by_role("button", name="Check the PDF").click()
    expect(page.locator("#verify-result")).to_contain_text("The seal is not intact")
    assert SigningDocument.objects.filter(pk=document.pk, status=DocumentStatus.SEALED).exists()
