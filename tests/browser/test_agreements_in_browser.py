"""The ERM prepares an End of Year Sign-off in a real Chromium; the LA manager chooses "not met" (with its reason), is
shown the new text and signs it; the District Manager signs; the sealed PDF is downloaded, read back and its seal
validated with pyHanko; a tampered copy fails on the verify page."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from agreements.models import DocumentKind, DocumentStatus, SigningDocument
from agreements.seal import seal_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign(page, live_server, document, password, printed_name):
    page.goto(f"{live_server.url}/agreements/{document.pk}/")
    expect(page.locator("#document-text")).to_contain_text("We have reviewed partnership working")
    page.get_by_label("Your password").fill(password)
    page.get_by_label("Printed name").fill(printed_name)
    page.get_by_label("I have read the text above").check()
    page.get_by_role("button", name="Sign this document").click()


def test_two_party_signing_sealed_pdf_and_tamper_check(
    demo, live_server, page, sign_in, assert_accessible, tmp_path, smtp_server
):
    from django.contrib.auth import get_user_model

    email = {
        u.username: u.email for u in get_user_model().objects.filter(username__in=["la-manager", "district-manager"])
    }
    sign_in(page, "erm")
    page.goto(f"{live_server.url}/agreements/")
    assert_accessible(page)
    page.get_by_role("link", name="End of Year Sign-off for Greater Manchester Joint Board").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prepare an End of Year Sign-off")
    assert_accessible(page)
    page.get_by_label("Manchester", exact=True).check()
    page.get_by_label("The year from April of").fill("2009")
    page.get_by_role("button", name="Prepare for signing").click()
    expect(page.locator("#document-text")).to_contain_text("No statement chosen yet")
    document = SigningDocument.objects.get(kind=DocumentKind.END_OF_YEAR, period_start__year=2009)
    # Preparing it asks both signers, by email through the SMTP server.
    for username in ("la-manager", "district-manager"):
        assert any(document.get_absolute_url() in smtp_server.body(m) for m in smtp_server.to(email[username]))
    smtp_server.clear()
    page.context.clear_cookies()

    sign_in(page, "la-manager")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Agreements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreements and signing")
    assert_accessible(page)
    page.goto(f"{live_server.url}/agreements/{document.pk}/")
    expect(page.get_by_label("Your password")).to_have_count(0)
    page.get_by_label("have not been met satisfactorily").check()
    page.get_by_role("button", name="Add this statement to the text").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say briefly why")
    expect(page.get_by_label("have not been met satisfactorily")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("If not met: why, briefly").fill("Change of circumstances forwarded late all year")
    page.get_by_role("button", name="Add this statement to the text").click()
    expect(page.locator("#document-text")).to_contain_text("Change of circumstances forwarded late all year")
    document.refresh_from_db()
    expect(page.locator("#document-hash")).to_have_text(document.content_sha256)
    # Signing is the task now; changing the statement waits behind a details.
    expect(page.get_by_role("button", name="Change the statement")).to_be_hidden()
    page.get_by_text("Do not agree with the statement? Change it").click()
    expect(page.get_by_role("button", name="Change the statement")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your password").fill("wrong-password")
    page.get_by_label("Printed name").fill("HELEN BROOKS")
    page.get_by_label("I have read the text above").check()
    page.get_by_role("button", name="Sign this document").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The password is not right")
    expect(page.get_by_label("Printed name")).to_have_value("HELEN BROOKS")
    expect(page.locator("#document-text")).to_contain_text("Change of circumstances forwarded late all year")
    page.get_by_label("Your password").fill("liaison")
    page.get_by_label("I have read the text above").check()
    page.get_by_role("button", name="Sign this document").click()
    expect(page.locator("#signature-la")).to_contain_text("HELEN BROOKS")
    expect(page.locator("#document-status")).to_have_text("Signed by one party")
    page.context.clear_cookies()

    sign_in(page, "district-manager")
    _sign(page, live_server, document, "liaison", "DAVID OKAFOR")
    expect(page.locator("#document-status")).to_have_text("Signed by both and sealed")
    expect(page.locator("#audit")).to_be_visible()
    expect(page.locator("#review-action")).to_contain_text("A review action is open for the Joint Board")
    assert_accessible(page)
    document.refresh_from_db()
    assert document.status == DocumentStatus.SEALED
    # The last signature sends the sealed PDF to both signers.
    for username in ("la-manager", "district-manager"):
        sealed = [
            part
            for message in smtp_server.to(email[username])
            for part in message.iter_attachments()
            if part.get_content_type() == "application/pdf"
        ]
        assert sealed, username
        mailed = "".join(p.extract_text() for p in PdfReader(io.BytesIO(sealed[0].get_content())).pages)
        assert "HELEN BROOKS" in mailed and "DAVID OKAFOR" in mailed

    with page.expect_download() as info:
        page.locator("#download-pdf").click()
    path = tmp_path / "signed.pdf"
    info.value.save_as(path)
    pdf = path.read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "HELEN BROOKS" in text and "DAVID OKAFOR" in text and "Audit record" in text
    words = " ".join(text.split())
    assert "not been met satisfactorily" in words and "forwarded late all year" in words
    check = seal_check(pdf)
    assert check.intact and check.trusted

    page.goto(f"{live_server.url}{document.agreement.get_absolute_url()}")
    expect(page.locator("#next-evaluation")).to_be_visible()
    assert_accessible(page)

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
