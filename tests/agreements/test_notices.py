"""Signing tells the signers: asked to sign, the other side signed, sealed (with the PDF), signature voided."""

import pytest

from agreements import services
from agreements.models import Side
from tests.helpers import sent_mail

pytestmark = pytest.mark.django_db


def _to(address):
    return [m for m in sent_mail() if address in m.to]


def test_preparing_asks_both_signers_and_the_last_signature_sends_the_sealed_pdf(signing, world):
    jcp, la = signing.users["district-manager"], signing.users["la-manager"]
    document = signing.prepare()
    [asked_jcp] = _to(jcp.email)
    [asked_la] = _to(la.email)
    assert asked_jcp.subject.startswith("Waiting for your signature: Statement of Intent")
    assert "as Jobcentre Plus" in asked_jcp.body and document.get_absolute_url() in asked_jcp.body
    assert "Why you got this email: you sign for Local Authority" in asked_la.body

    sent_mail().clear()
    signing.sign(document, "district-manager", Side.JCP)
    [other] = _to(la.email)
    assert "DISTRICT-MANAGER signed it for Jobcentre Plus" in other.body
    assert not _to(jcp.email)

    sent_mail().clear()
    signing.sign(document, "la-manager", Side.LA)
    document.refresh_from_db()
    assert document.sealed_pdf
    for person in (jcp, la):
        [sealed] = _to(person.email)
        assert sealed.subject.startswith("Signed and sealed: Statement of Intent")
        [(filename, content, mimetype)] = sealed.attachments
        assert filename.endswith("sealed.pdf") and mimetype == "application/pdf"
        assert content == bytes(document.sealed_pdf)
    board = signing.board
    for contact in (board.erm, board.jcp_chair, board.la_chair):
        if contact is not None and contact.email:
            assert len(_to(contact.email)) == 1


def test_a_signer_whose_signature_a_change_voided_is_told_and_a_new_version_asks_both(signing):
    la = signing.users["la-manager"]
    document = signing.prepare()
    signing.sign(document, "la-manager", Side.LA)
    sent_mail().clear()
    services.document_update(actor=signing.users["erm"], document=document, delivery_centre="District One BDC")
    told = [m for m in _to(la.email) if m.subject.startswith("Sign again")]
    assert len(told) == 1 and "no longer applies" in told[0].body
    signing.sign(document, "la-manager", Side.LA)
    signing.sign(document, "district-manager", Side.JCP)
    sent_mail().clear()
    document.refresh_from_db()
    new = services.document_new_version(actor=signing.users["erm"], document=document)
    assert {m.to[0] for m in sent_mail() if m.subject.startswith("Waiting for your signature")} == {
        la.email,
        signing.users["district-manager"].email,
    }
    assert "replaces version 1" in _to(la.email)[0].body and new.version == 2


def test_a_statement_of_intent_due_soon_warns_the_signers_once(signing):
    import datetime

    from liaison.alerts import scan_deadlines

    document = signing.prepare(period_start=datetime.date(2008, 4, 1))
    codes = ["agreement-due-soon"]
    assert scan_deadlines(today=datetime.date(2008, 3, 1), codes=codes).raised == 0
    first = scan_deadlines(today=datetime.date(2008, 3, 25), codes=codes)
    again = scan_deadlines(today=datetime.date(2008, 3, 26), codes=codes)
    assert (first.raised, again.raised, again.emails) == (1, 0, 0)
    warned = [m for m in sent_mail() if "due by 1 April 2008" in m.subject]
    assert {m.to[0] for m in warned} >= {signing.users["la-manager"].email, signing.users["district-manager"].email}
    assert all(document.get_absolute_url() in m.body for m in warned)
