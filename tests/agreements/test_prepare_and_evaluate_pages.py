"""Pages to prepare documents, choose the End of Year statement before signing, make a new version, record an
evaluation; the audit table; admin; query counts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.models import (
    YEAR_STATEMENT_TEXTS,
    Agreement,
    DocumentKind,
    DocumentStatus,
    Evaluation,
    Side,
    Signature,
    SigningDocument,
    YearStatement,
)
from liaison.models import Role
from tests.factories import user_with_role


def _prepare_url(signing, kind="statement-of-intent"):
    return reverse("agreements:document-prepare", args=[signing.board.pk, kind])


def _soi_data(signing, world, **data):
    payload = {
        "agreement": signing.agreement.pk,
        "signing_authority": world.la12.pk,
        "on_behalf_of_all": "on",
        "delivery_centre": "District One BDC",
        "first_year": "2008",
        "last_year": "2011",
    }
    payload.update(data)
    return payload


def test_erm_prepares_a_statement_of_intent_signed_on_behalf_of_all_the_board_las(client, signing, world):
    client.force_login(signing.users["erm"])
    html = client.get(_prepare_url(signing)).content.decode()
    assert "Prepare a Statement of Intent" in html and "Authority One, Authority Straddle" in html
    response = client.post(_prepare_url(signing), _soi_data(signing, world))
    document = SigningDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert document.on_behalf_of_all and document.signing_authority == world.la12
    assert (document.period_start, document.period_end) == (datetime.date(2008, 4, 1), datetime.date(2011, 3, 31))
    assert set(document.covered_authorities.all()) == {world.la1, world.la12}
    html = client.get(document.get_absolute_url()).content.decode()
    assert "on behalf of all LAs" in html and "Authority One, Authority Straddle" in html


def test_prepare_form_errors_reshow_what_was_typed_and_change_nothing(client, signing, world):
    client.force_login(signing.users["erm"])
    response = client.post(
        _prepare_url(signing), _soi_data(signing, world, delivery_centre="Typed BDC", first_year="2010", last_year="9")
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Error: " in html and "govuk-error-summary" in html
    assert 'value="Typed BDC"' in html and 'value="2010"' in html
    response = client.post(_prepare_url(signing), _soi_data(signing, world, first_year="2010", last_year="2010"))
    assert "The period must end in a later year than it starts" in response.content.decode()
    # The service's refusal (outside the agreement's period) shows against its field.
    response = client.post(_prepare_url(signing), _soi_data(signing, world, first_year="2006", last_year="2008"))
    assert "The period must fall within the agreement" in response.content.decode()
    response = client.post(_prepare_url(signing), _soi_data(signing, world, delivery_centre=""))
    assert "Enter the name of the Benefit Delivery Centre and/or district" in response.content.decode()
    assert not SigningDocument.objects.exists()


def test_erm_prepares_an_end_of_year_sign_off_for_one_year_without_choosing_the_statement(client, signing, world):
    client.force_login(signing.users["erm"])
    html = client.get(_prepare_url(signing, "end-of-year")).content.decode()
    assert "Prepare an End of Year Sign-off" in html and "Which statement" not in html
    data = {
        "agreement": signing.agreement.pk,
        "signing_authority": world.la1.pk,
        "delivery_centre": "District One",
        "first_year": "2009",
    }
    assert client.post(_prepare_url(signing, "end-of-year"), data).status_code == 302
    document = SigningDocument.objects.get()
    assert document.kind == DocumentKind.END_OF_YEAR and document.statement == ""
    assert (document.period_start, document.period_end) == (datetime.date(2009, 4, 1), datetime.date(2010, 3, 31))
    assert client.get(reverse("agreements:document-prepare", args=[signing.board.pk, "other"])).status_code == 404


@pytest.mark.parametrize(
    "who,status",
    [
        ("erm", 200),
        ("regional-erm", 200),
        ("admin", 200),
        ("district-manager", 403),
        ("la-manager", 403),
        ("la-fraud", 403),
        ("monitor", 403),
        ("odn", 403),
        ("gpt", 403),
    ],
)
def test_permission_matrix_for_preparing(client, signing, world, who, status):
    client.force_login(world.users[who])
    assert client.get(_prepare_url(signing)).status_code == status
    assert client.post(_prepare_url(signing), _soi_data(signing, world)).status_code == (302 if status == 200 else 403)


def test_outsiders_do_not_find_the_prepare_page(client, signing, world):
    outsider = user_with_role(Role.ERM, district=world.d3, username="erm-three")
    client.force_login(outsider)
    assert client.get(_prepare_url(signing)).status_code == 404


def _radios(html, name):
    return {
        re.search(r'value="([^"]*)"', tag).group(1): "checked" in tag
        for tag in re.findall(r"<input[^>]*>", html, re.S)
        if f'name="{name}"' in tag and 'type="radio"' in tag
    }


def test_end_of_year_a_signer_chooses_the_statement_sees_the_new_text_then_signs_it(client, signing):
    document = signing.prepare(kind=DocumentKind.END_OF_YEAR)
    url = document.get_absolute_url()
    client.force_login(signing.users["la-manager"])
    html = client.get(url).content.decode()
    assert "Choose the statement" in html and "Add this statement to the text" in html
    for text in YEAR_STATEMENT_TEXTS.values():
        assert text in html
    assert "Your password" not in html and "choose it above first" in html and " style=" not in html
    # Signing before the statement is chosen is refused.
    assert client.post(url, signing.payload(document)).status_code == 403
    # No statement, then "not met" without a reason: errors, what was typed is shown again, nothing changes.
    response = client.post(url, signing.statement_payload(document))
    html = response.content.decode()
    assert response.status_code == 200 and "Error: " in html and "govuk-error-summary" in html
    assert "Choose one of the three statements" in html
    response = client.post(url, signing.statement_payload(document, statement=YearStatement.NOT_MET))
    html = response.content.decode()
    assert "Say briefly why the aims, objectives and standards were not met" in html
    assert _radios(html, "statement")["not-met"]
    response = client.post(
        url, signing.statement_payload(document, statement=YearStatement.NOT_MET, not_met_reason="x" * 1001)
    )
    html = response.content.decode()
    assert "The reason must be 1000 characters or fewer" in html and "x" * 1001 in html
    document.refresh_from_db()
    assert document.statement == "" and "No statement chosen yet" in document.content
    shown = document.content_sha256
    response = client.post(
        url, signing.statement_payload(document, statement=YearStatement.NOT_MET, not_met_reason="Backlog")
    )
    assert response.status_code == 302 and response["Location"] == url
    document.refresh_from_db()
    assert document.statement == YearStatement.NOT_MET and "Backlog" in document.content
    assert document.content_sha256 != shown and not document.signatures.exists()
    # The page now shows the new text and its hash, the statement chosen and the sign form.
    html = client.get(url).content.decode()
    assert document.content_sha256 in html and "Why not met: Backlog" in html
    assert "Change the statement" in html and "Sign this document" in html and "choose it above first" not in html
    assert _radios(html, "statement")["not-met"]
    # A sign form left open on the text before the statement was chosen is refused.
    response = client.post(url, signing.payload(document, shown_sha256=shown))
    assert "The document changed since you opened it" in response.content.decode()
    assert client.post(url, signing.payload(document, printed_name="HELEN BROOKS")).status_code == 302

    client.force_login(signing.users["district-manager"])
    html = client.get(url).content.decode()
    assert "Backlog" in html and "Change the statement" in html and "change-statement-warning" in html
    assert client.post(url, signing.payload(document, printed_name="DM")).status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.SEALED
    assert document.signatures.filter(invalidated_at__isnull=True).count() == 2
    html = client.get(url).content.decode()
    assert "Change the statement" not in html and "Choose the statement" not in html
    response = client.post(url, signing.statement_payload(document, statement=YearStatement.MET))
    assert response.status_code == 403


def test_statement_form_only_for_the_signers_of_an_end_of_year_sign_off(client, signing, world):
    document = signing.prepare(kind=DocumentKind.END_OF_YEAR)
    soi = signing.prepare()
    for who in ("erm", "monitor", "admin", "la-fraud"):
        client.force_login(world.users[who])
        assert "Choose the statement" not in client.get(document.get_absolute_url()).content.decode()
        response = client.post(
            document.get_absolute_url(), signing.statement_payload(document, statement=YearStatement.MET)
        )
        assert response.status_code == 403, who
    client.force_login(world.users["la-manager"])
    assert "Choose the statement" not in client.get(soi.get_absolute_url()).content.decode()
    assert client.post(soi.get_absolute_url(), signing.statement_payload(soi, statement="met")).status_code == 403
    document.refresh_from_db()
    soi.refresh_from_db()
    assert document.statement == "" and soi.statement == ""


def test_the_first_signer_is_told_on_the_page_when_the_second_changes_the_statement(client, signing):
    document = signing.prepare(kind=DocumentKind.END_OF_YEAR)
    signing.choose(document, "la-manager", YearStatement.MET)
    signing.sign(document, "la-manager", Side.LA)
    document.refresh_from_db()
    client.force_login(signing.users["district-manager"])
    response = client.post(
        document.get_absolute_url(), signing.statement_payload(document, statement=YearStatement.BEST_ABILITY)
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.statement == YearStatement.BEST_ABILITY and document.status == DocumentStatus.AWAITING
    assert not document.signatures.filter(invalidated_at__isnull=True).exists()
    client.force_login(signing.users["la-manager"])
    html = client.get(document.get_absolute_url()).content.decode()
    assert "your earlier signature no longer applies" in html and "Sign this document" in html
    assert "Statement changed by" in html


def test_a_statement_form_left_open_while_the_other_signer_chose_is_refused(client, signing):
    document = signing.prepare(kind=DocumentKind.END_OF_YEAR)
    stale = signing.statement_payload(document, statement=YearStatement.NOT_MET, not_met_reason="Typed reason")
    signing.choose(document, "district-manager", YearStatement.MET)
    document.refresh_from_db()
    client.force_login(signing.users["la-manager"])
    html = client.post(document.get_absolute_url(), stale).content.decode()
    assert "The document changed since you opened it" in html and "Typed reason" in html
    assert document.content_sha256 in html and "Change the statement" in html
    document.refresh_from_db()
    assert document.statement == YearStatement.MET


def test_new_version_page(client, signing):
    document = signing.prepare()
    signing.sign(document, "la-manager", Side.LA)
    signing.sign(document, "district-manager", Side.JCP)
    url = reverse("agreements:document-new-version", args=[document.pk])
    client.force_login(signing.users["district-manager"])
    assert client.get(url).status_code == 403
    assert "Make a new version" not in client.get(document.get_absolute_url()).content.decode()
    client.force_login(signing.users["erm"])
    assert "Make a new version" in client.get(document.get_absolute_url()).content.decode()
    html = client.get(url).content.decode()
    assert "Make version 2" in html and "never edited" in html
    response = client.post(url, {"delivery_centre": ""})
    assert "Enter the name of the Benefit Delivery Centre" in response.content.decode()
    response = client.post(url, {"delivery_centre": "District One, Central BDC"})
    new = SigningDocument.objects.get(supersedes=document)
    assert response["Location"] == new.get_absolute_url() and new.version == 2
    html = client.get(document.get_absolute_url()).content.decode()
    assert "This version has been replaced" in html and "Make a new version" not in html
    assert client.get(url).status_code == 404


def test_agreement_page_lists_evaluations_and_gpt_records_one(client, signing):
    agreement = signing.agreement
    page_url = agreement.get_absolute_url()
    url = reverse("agreements:evaluation-new", args=[agreement.pk])
    client.force_login(signing.users["erm"])
    assert agreement.get_absolute_url() in client.get("/agreements/").content.decode()
    html = client.get(page_url).content.decode()
    assert "Not evaluated yet" in html and "1 April 2009" in html and "Record an evaluation" not in html
    assert client.get(url).status_code == 403
    assert client.post(url, {"evaluated_on_0": "2", "evaluated_on_1": "4", "evaluated_on_2": "2009"}).status_code == 403
    client.force_login(signing.users["gpt"])
    assert "Record an evaluation" in client.get(page_url).content.decode()
    future = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post(
        url,
        {
            "evaluated_on_0": str(future.day),
            "evaluated_on_1": str(future.month),
            "evaluated_on_2": str(future.year),
            "notes": "Typed notes",
        },
    )
    html = response.content.decode()
    assert "must be today or in the past" in html and "Typed notes" in html
    response = client.post(
        url, {"evaluated_on_0": "2", "evaluated_on_1": "4", "evaluated_on_2": "2009", "notes": "Standards kept"}
    )
    assert response.status_code == 302 and response["Location"] == page_url
    html = client.get(page_url).content.decode()
    assert "Standards kept" in html and "2 April 2010" in html  # the next one is due 12 months on
    assert Evaluation.objects.get().recorded_by == signing.users["gpt"]


def test_audit_table_lists_every_event_with_its_time_and_hashes(client, signing):
    document = signing.prepare()
    signing.sign(document, "la-manager", Side.LA)
    services.document_update(actor=signing.users["erm"], document=document, delivery_centre="District One BDC")
    signing.sign(document, "district-manager", Side.JCP)
    signing.sign(document, "la-manager", Side.LA)
    document.refresh_from_db()
    client.force_login(signing.users["monitor"])
    html = client.get(document.get_absolute_url()).content.decode()
    audit = html[html.index('id="audit"') :]
    from agreements.selectors import document_events

    events = list(document_events(document))
    assert {e.kind for e in events} >= {
        "agreement.prepared",
        "agreement.signed",
        "agreement.invalidated",
        "agreement.changed",
        "agreement.sealed",
    }
    for event in events:
        assert event.summary.replace("'", "&#x27;") in audit
        assert timezone.localtime(event.occurred_at).strftime("%H:%M:%S") in audit
    voided = Signature.objects.get(document=document, invalidated_at__isnull=False)
    assert f"text signed {voided.content_sha256}" in audit
    assert f"PDF {document.sealed_pdf_sha256}" in audit and f"text {document.content_sha256}" in audit


def test_list_and_detail_queries_do_not_grow_with_documents(client, signing, world, django_assert_max_num_queries):
    def count(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    first = signing.prepare()
    signing.sign(first, "la-manager", Side.LA)
    client.force_login(signing.users["erm"])
    urls = ["/agreements/", first.get_absolute_url(), signing.agreement.get_absolute_url()]
    before = {url: count(url) for url in urls}
    for year in range(2009, 2011):
        document = signing.prepare(
            period_start=datetime.date(year, 4, 1), period_end=datetime.date(year + 1, 3, 31), delivery_centre="x"
        )
        signing.sign(document, "la-manager", Side.LA)
        services.evaluation_record(
            actor=signing.users["gpt"], agreement=signing.agreement, evaluated_on=datetime.date(year, 5, 1)
        )
    signing.sign(first, "district-manager", Side.JCP)
    for url in urls:
        with django_assert_max_num_queries(before[url] + (2 if url == first.get_absolute_url() else 0), info=url):
            assert client.get(url).status_code == 200


def test_admin_reads_signed_records_and_edits_agreements(client, signing, world):
    document = signing.prepare()
    signing.sign(document, "la-manager", Side.LA)
    signature = document.signatures.get()
    admin = world.users["admin"]
    admin.refresh_from_db()
    client.force_login(admin)
    assert client.get("/admin/agreements/signingdocument/").status_code == 200
    page = client.get(f"/admin/agreements/signingdocument/{document.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(f"/admin/agreements/signingdocument/{document.pk}/change/", {}).status_code == 403
    assert client.get("/admin/agreements/signingdocument/add/").status_code == 403
    assert client.get(f"/admin/agreements/signature/{signature.pk}/delete/").status_code == 403
    assert client.post(f"/admin/agreements/signature/{signature.pk}/change/", {}).status_code == 403
    assert client.get(f"/admin/agreements/agreement/{signing.agreement.pk}/change/").status_code == 200
    response = client.post(
        "/admin/agreements/evaluation/add/",
        {"agreement": signing.agreement.pk, "evaluated_on": "2009-04-02", "notes": "From the admin"},
    )
    assert response.status_code == 302
    assert Evaluation.objects.get().recorded_by == admin
    assert Agreement.objects.count() == 1
    client.force_login(world.users["gpt"])
    assert client.get("/admin/agreements/agreement/").status_code == 302
