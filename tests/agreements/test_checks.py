import datetime

from agreements import services
from agreements.models import DocumentKind, Side, SigningDocument, YearStatement
from liaison.alerts import scan_deadlines
from liaison.models import Alert
from tests.helpers import sent_mail


def _open(code):
    return list(Alert.objects.open().filter(check_code=code))


def test_statement_unsigned_when_its_period_starts_raises_once_and_clears_when_signed(signing):
    document = signing.prepare()
    scan_deadlines(today=datetime.date(2008, 3, 31), codes=["agreement-statement-unsigned"])
    assert _open("agreement-statement-unsigned") == []
    scan_deadlines(today=datetime.date(2008, 4, 2), codes=["agreement-statement-unsigned"])
    scan_deadlines(today=datetime.date(2008, 4, 3), codes=["agreement-statement-unsigned"])
    alerts = _open("agreement-statement-unsigned")
    assert len(alerts) == 1 and alerts[0].url == document.get_absolute_url()
    signing.sign(document, "la-manager", Side.LA)
    signing.sign(document, "district-manager", Side.JCP)
    scan_deadlines(today=datetime.date(2008, 4, 4), codes=["agreement-statement-unsigned"])
    assert _open("agreement-statement-unsigned") == []


def test_end_of_year_sign_off_late_after_30_april(signing):
    document = signing.prepare(kind=DocumentKind.END_OF_YEAR)
    scan_deadlines(today=datetime.date(2009, 4, 30), codes=["agreement-sign-off-late"])
    assert _open("agreement-sign-off-late") == []
    scan_deadlines(today=datetime.date(2009, 5, 1), codes=["agreement-sign-off-late"])
    assert len(_open("agreement-sign-off-late")) == 1
    signing.choose(document, "la-manager", YearStatement.MET)
    signing.sign(document, "la-manager", Side.LA)
    signing.sign(document, "district-manager", Side.JCP)
    scan_deadlines(today=datetime.date(2009, 5, 2), codes=["agreement-sign-off-late"])
    assert _open("agreement-sign-off-late") == []


def test_evaluation_more_than_12_months_old(signing):
    scan_deadlines(today=datetime.date(2009, 3, 31), codes=["agreement-evaluation-overdue"])
    assert _open("agreement-evaluation-overdue") == []
    scan_deadlines(today=datetime.date(2009, 4, 2), codes=["agreement-evaluation-overdue"])
    assert len(_open("agreement-evaluation-overdue")) == 1
    services.evaluation_record(
        actor=signing.users["gpt"], agreement=signing.agreement, evaluated_on=datetime.date(2009, 4, 2)
    )
    scan_deadlines(today=datetime.date(2009, 4, 3), codes=["agreement-evaluation-overdue"])
    assert _open("agreement-evaluation-overdue") == []


def test_reminder_after_5_working_days_once_per_interval(signing, mailoutbox):
    document = signing.prepare()
    asked = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)  # a Monday
    SigningDocument.objects.filter(pk=document.pk).update(asked_at=asked)
    signing.sign(document, "la-manager", Side.LA)
    scan_deadlines(today=datetime.date(2026, 3, 6), codes=["agreement-signer-reminder"])
    assert _open("agreement-signer-reminder") == []
    scan_deadlines(today=datetime.date(2026, 3, 9), codes=["agreement-signer-reminder"])
    scan_deadlines(today=datetime.date(2026, 3, 10), codes=["agreement-signer-reminder"])
    alerts = _open("agreement-signer-reminder")
    assert len(alerts) == 1 and ":jcp:" in alerts[0].key
    dm_mails = [
        m for m in sent_mail() if signing.users["district-manager"].email in m.to and m.subject.startswith("Liaison:")
    ]
    assert len(dm_mails) == 1
    assert not [
        m for m in sent_mail() if signing.users["la-manager"].email in m.to and m.subject.startswith("Liaison:")
    ]
    scan_deadlines(today=datetime.date(2026, 3, 16), codes=["agreement-signer-reminder"])
    assert (
        len(
            [
                m
                for m in sent_mail()
                if signing.users["district-manager"].email in m.to and m.subject.startswith("Liaison:")
            ]
        )
        == 2
    )
    signing.sign(document, "district-manager", Side.JCP)
    scan_deadlines(today=datetime.date(2026, 3, 17), codes=["agreement-signer-reminder"])
    assert _open("agreement-signer-reminder") == []


def test_board_page_shows_the_agreement_status(client, signing):
    document = signing.prepare()
    client.force_login(signing.users["erm"])
    html = client.get(signing.board.get_absolute_url()).content.decode()
    assert "Statements of Intent and End of Year Sign-offs" in html and document.get_absolute_url() in html


def test_a_signer_whose_signature_a_change_voided_is_told_until_they_sign_again(signing, mailoutbox):
    document = signing.prepare(kind=DocumentKind.END_OF_YEAR)
    signing.choose(document, "la-manager", YearStatement.MET)
    signing.sign(document, "la-manager", Side.LA)
    scan_deadlines(today=datetime.date(2026, 3, 2), codes=["agreement-signature-voided"])
    assert _open("agreement-signature-voided") == []
    signing.choose(document, "district-manager", YearStatement.NOT_MET, "Targets missed")
    signing.sign(document, "district-manager", Side.JCP)
    scan_deadlines(today=datetime.date(2026, 3, 2), codes=["agreement-signature-voided"])
    scan_deadlines(today=datetime.date(2026, 3, 3), codes=["agreement-signature-voided"])
    alerts = _open("agreement-signature-voided")
    assert len(alerts) == 1 and alerts[0].url == document.get_absolute_url()
    # Told once, by the "Sign again" notice written when the text changed; the alert adds no second email.
    told = [
        m for m in sent_mail() if signing.users["la-manager"].email in m.to and "changed after you signed" in m.subject
    ]
    assert len(told) == 1, [m.subject for m in told]
    assert not [
        m for m in sent_mail() if signing.users["district-manager"].email in m.to and m.subject.startswith("Liaison:")
    ]
    signing.sign(document, "la-manager", Side.LA)
    scan_deadlines(today=datetime.date(2026, 3, 4), codes=["agreement-signature-voided"])
    assert _open("agreement-signature-voided") == []


def test_not_met_with_no_meeting_for_the_review_raises_an_alert_to_the_erm_until_it_is_opened(signing):
    from agreements import services
    from boards.services import meeting_schedule

    document = signing.prepare(kind=DocumentKind.END_OF_YEAR)
    signing.choose(document, "la-manager", YearStatement.NOT_MET, "Backlog")
    signing.sign(document, "la-manager", Side.LA)
    signing.sign(document, "district-manager", Side.JCP)
    document.refresh_from_db()
    assert document.is_sealed and not document.review_opened
    scan_deadlines(codes=["agreement-review-not-opened"])
    alerts = _open("agreement-review-not-opened")
    assert len(alerts) == 1
    assert set(alerts[0].recipients.values_list("pk", flat=True)) == {signing.users["erm"].pk}
    meeting_schedule(
        actor=signing.users["erm"], board=signing.board, date=datetime.date.today() + datetime.timedelta(days=30)
    )
    services.document_review_open(actor=signing.users["erm"], document=document)
    scan_deadlines(codes=["agreement-review-not-opened"])
    assert _open("agreement-review-not-opened") == []
