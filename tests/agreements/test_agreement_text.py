"""The Partnership Agreement's own text (PA 1.3): seeded from the source document, versioned, published, read."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from agreements import pa_text, services
from agreements.models import Acknowledgement, Agreement, Side, SigningDocument
from liaison.alerts import scan_deadlines
from liaison.models import Alert, Event

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SOURCE = sorted((ROOT.parent / "shared" / "seeds").glob("001_*.txt"))

NUMBERS = (
    ["Glossary", "1.0", "1.1", "1.2", "1.3", "2.0", "2.1", "3.0", "3.1"]
    + [f"3.1.{n}" for n in range(1, 8)]
    + ["3.2"]
    + [f"3.2.{n}" for n in range(1, 6)]
    + ["4.0", "4.1", "4.2", "4.3", "5.0", "5.1", "5.2", "5.3", "5.4"]
)


def source_text() -> str:
    """The source document where the checkout has it beside it, else the copy the app ships."""
    return (SOURCE[0] if SOURCE else pa_text.PA_2008_FILE).read_text(encoding="utf-8")


def test_the_seeded_text_has_the_source_documents_numbers_and_headings():
    sections = pa_text.pa_2008_sections()
    assert [s.number for s in sections] == NUMBERS
    headings = [line.strip() for line in source_text().splitlines() if pa_text._HEADING.match(line.strip())]
    assert len(headings) == len([s for s in sections if s.title and s.number != "Glossary"])
    for line in headings:
        number, title = line.split(" ", 1)
        section = next(s for s in sections if s.number == number)
        assert section.title.lower() == title.replace("*", "").strip().lower()
    by_number = {s.number: s for s in sections}
    assert by_number["5.3"].text.startswith("Monitoring of the agreement should be carried out")
    assert "- improve the end-to-end customer experience;" in by_number["2.1"].text
    assert "NINO\tNational Insurance Number" in by_number["Glossary"].text
    # The shipped copy is the source document's text up to the end of section 5.
    assert source_text().startswith(pa_text.PA_2008_FILE.read_text(encoding="utf-8").rstrip("\n")[:2000])


@pytest.fixture
def pa(signing):
    services.agreement_text_load(actor=signing.users["gpt"], agreement=signing.agreement)
    signing.agreement.refresh_from_db()
    return signing.agreement


def test_loading_the_text_hashes_it_and_anyone_signed_in_reads_it_with_contents_and_anchors(pa, client, world):
    assert pa.text_sha256 == services.content_hash(pa_text.text_of(pa.sections.all()))
    client.force_login(world.users["la-manager"])
    page = client.get(f"/agreements/partnership/{pa.pk}/text/").content.decode()
    assert 'href="#section-3-1-7"' in page and 'id="section-3-1-7"' in page
    assert "Contingency Arrangements" in page and pa.text_sha256 in page
    assert "I have read this version" in page
    with pytest.raises(ValidationError, match="already has its text"):
        services.agreement_text_load(actor=world.users["gpt"], agreement=pa)


def test_gpt_prepares_changes_and_publishes_a_new_version_with_its_differences_shown(pa, client, world):
    client.force_login(world.users["gpt"])
    response = client.post(
        f"/agreements/partnership/{pa.pk}/new-version/",
        {
            "title": pa.title,
            "version": "VERSION 2.0",
            "period_start_0": "1",
            "period_start_1": "4",
            "period_start_2": "2026",
            "period_end_0": "31",
            "period_end_1": "3",
            "period_end_2": "2029",
        },
    )
    draft = Agreement.objects.get(version="VERSION 2.0")
    assert response.status_code == 302 and draft.based_on == pa and not draft.is_published
    assert list(draft.sections.values_list("number", flat=True)) == NUMBERS

    # A draft is for the national roles only.
    other = client.__class__()
    other.force_login(world.users["la-manager"])
    assert other.get(f"/agreements/partnership/{draft.pk}/text/").status_code == 404

    section = draft.sections.get(number="1.2")
    response = client.post(
        f"/agreements/partnership/{draft.pk}/sections/{section.pk}/edit/",
        {"text": section.text.replace("April 2008 to March 2011", "April 2026 to March 2029")},
    )
    assert response.status_code == 302
    differences = client.get(f"/agreements/partnership/{draft.pk}/differences/").content.decode()
    assert "1 section changed" in differences
    assert "<del>2008</del> <ins>2026</ins> to March <del>2011.</del> <ins>2029.</ins>" in differences
    assert pa.sections.get(number="1.2").text.count("April 2008 to March 2011") == 1  # the old version is untouched

    response = client.post(
        f"/agreements/partnership/{draft.pk}/publish/",
        {"published_on_0": "1", "published_on_1": "4", "published_on_2": "2026"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.published_on == datetime.date(2026, 4, 1) and len(draft.text_sha256) == 64
    assert draft.text_sha256 != pa.text_sha256
    assert Event.objects.filter(kind="agreement.published", subject_id=draft.pk).exists()

    # Published text never changes: the page refuses, and so does the service.
    section.refresh_from_db()
    before = section.text
    response = client.post(f"/agreements/partnership/{draft.pk}/sections/{section.pk}/edit/", {"text": "Else"})
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.text == before and "April 2026 to March 2029" in before
    with pytest.raises(ValidationError, match="no longer changes"):
        services.agreement_section_change(actor=world.users["gpt"], section=section, title="", text="x")


def test_publishing_needs_a_date_and_only_national_roles_change_the_text(pa, client, world):
    draft = services.agreement_version_prepare(
        actor=world.users["gpt"],
        previous=pa,
        version="2.0",
        title=pa.title,
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2029, 3, 31),
    )
    client.force_login(world.users["gpt"])
    response = client.post(f"/agreements/partnership/{draft.pk}/publish/", {})
    assert response.status_code == 400 and "Enter the date of publication" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_published

    client.force_login(world.users["erm"])
    section = draft.sections.first()
    assert client.post(
        f"/agreements/partnership/{draft.pk}/sections/{section.pk}/edit/", {"text": "x"}
    ).status_code in (
        403,
        404,
    )
    assert client.get(f"/agreements/partnership/{pa.pk}/new-version/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.agreement_publish(actor=world.users["erm"], agreement=draft, published_on=datetime.date(2026, 4, 1))
    section.refresh_from_db()
    assert section.text != "x"
    with pytest.raises(ValidationError):
        services.agreement_version_prepare(
            actor=world.users["gpt"],
            previous=pa,
            version="3.0",
            title=pa.title,
            period_start=datetime.date(2007, 4, 1),
            period_end=datetime.date(2009, 3, 31),
        )


def test_reading_is_recorded_once_and_the_board_page_shows_who_has_read_it(pa, client, world, signing):
    chair = signing.board.la_chair
    chair.user = world.users["la-manager"]
    chair.save()
    client.force_login(world.users["la-manager"])
    for _ in range(2):
        assert client.post(f"/agreements/partnership/{pa.pk}/acknowledge/").status_code == 302
    assert Acknowledgement.objects.filter(agreement=pa, user=world.users["la-manager"]).count() == 1
    assert Event.objects.filter(kind="agreement.acknowledged", subject_id=pa.pk).count() == 1
    assert (
        "You recorded that you have read this version"
        in client.get(f"/agreements/partnership/{pa.pk}/text/").content.decode()
    )

    client.force_login(world.users["erm"])
    board_page = client.get(signing.board.get_absolute_url()).content.decode()
    assert "Who has read the Partnership Agreement" in board_page
    assert chair.name in board_page and signing.board.jcp_chair.name in board_page
    assert "1 of 4 have not yet" not in board_page  # the count names only this board's people
    readers = board_page[board_page.index("Who has read the Partnership Agreement") :]
    assert "Not yet: has no Liaison account" in readers


def test_chairs_who_have_not_read_the_agreement_in_force_are_alerted_after_30_days_once(pa, world, signing):
    board = signing.board
    for chair, who in ((board.jcp_chair, "district-manager"), (board.la_chair, "la-manager")):
        chair.user = world.users[who]
        chair.save()
    published = pa.published_on
    codes = ["agreement-not-acknowledged"]
    assert scan_deadlines(today=published + datetime.timedelta(days=29), codes=codes).raised == 0
    assert scan_deadlines(today=published + datetime.timedelta(days=31), codes=codes).raised == 1
    assert scan_deadlines(today=published + datetime.timedelta(days=32), codes=codes).raised == 0
    alert = Alert.objects.open().get(check_code="agreement-not-acknowledged")
    assert {d.user for d in alert.deliveries.all()} == {world.users["district-manager"], world.users["la-manager"]}

    services.agreement_acknowledge(actor=world.users["district-manager"], agreement=pa)
    assert scan_deadlines(today=published + datetime.timedelta(days=33), codes=codes).still_open == 1
    services.agreement_acknowledge(actor=world.users["la-manager"], agreement=pa)
    assert scan_deadlines(today=published + datetime.timedelta(days=34), codes=codes).cleared == 1
    assert not Alert.objects.open().filter(check_code="agreement-not-acknowledged").exists()


def test_the_text_pdf_and_a_sealed_statement_name_the_version_and_its_hash(pa, client, world, signing):
    client.force_login(world.users["la-manager"])
    response = client.get(f"/agreements/partnership/{pa.pk}/text.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "3.1.7 Contingency Arrangements" in text and "5.3" in text
    assert pa.text_sha256 in text.replace("\n", "")

    document = signing.prepare()
    signing.sign(document, "la-manager", Side.LA)
    signing.sign(document, "district-manager", Side.JCP)
    document.refresh_from_db()
    sealed = "".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(document.sealed_pdf))).pages)
    assert pa.version in sealed and pa.text_sha256 in sealed.replace("\n", "")


def test_a_statement_is_prepared_only_under_a_published_agreement(pa, world, signing):
    draft = services.agreement_version_prepare(
        actor=world.users["gpt"],
        previous=pa,
        version="2.0",
        title=pa.title,
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2029, 3, 31),
    )
    with pytest.raises(ValidationError, match="published agreement"):
        services.document_prepare(
            actor=world.users["erm"],
            agreement=draft,
            kind="statement-of-intent",
            board=signing.board,
            signing_authority=world.la1,
            delivery_centre="District One",
            period_start=datetime.date(2026, 4, 1),
            period_end=datetime.date(2027, 3, 31),
        )
    assert not SigningDocument.objects.filter(agreement=draft).exists()
