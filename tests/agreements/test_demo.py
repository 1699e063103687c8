import pytest
from django.core.management import call_command

from agreements.models import DocumentKind, DocumentStatus, Signature, SigningDocument, YearStatement
from agreements.seal import seal_check
from liaison.models import Event

pytestmark = pytest.mark.django_db


def test_demo_agreements_cover_every_state_and_load_once():
    call_command("load_demo", "--no-scan", verbosity=0)
    counts = (SigningDocument.objects.count(), Signature.objects.count())
    call_command("load_demo", "--no-scan", verbosity=0)
    assert (SigningDocument.objects.count(), Signature.objects.count()) == counts

    sealed = SigningDocument.objects.filter(status=DocumentStatus.SEALED)
    assert sealed.filter(on_behalf_of_all=False, kind=DocumentKind.STATEMENT_OF_INTENT).exists()
    assert sealed.filter(on_behalf_of_all=True).exists()
    for document in sealed:
        assert seal_check(bytes(document.sealed_pdf)).ok
    awaiting_la = SigningDocument.objects.get(
        status=DocumentStatus.PART_SIGNED, kind=DocumentKind.STATEMENT_OF_INTENT, agreement__version="FINAL VERSION 1.0"
    )
    assert list(awaiting_la.signatures.values_list("side", flat=True)) == ["jcp"]
    in_progress = SigningDocument.objects.get(kind=DocumentKind.END_OF_YEAR, status=DocumentStatus.PART_SIGNED)
    assert in_progress.statement == YearStatement.BEST_ABILITY
    signature = in_progress.signatures.get()
    assert signature.signer.username == "la-manager" and signature.content_sha256 == in_progress.content_sha256
    kinds = Event.objects.filter(subject_type="agreements.signingdocument", subject_id=in_progress.pk).order_by("pk")
    assert list(kinds.values_list("kind", "actor__username")) == [
        ("agreement.prepared", "erm"),
        ("agreement.statement-chosen", "la-manager"),
        ("agreement.signed", "la-manager"),
    ]


def test_demo_has_the_agreement_in_force_and_a_register_in_every_state():
    from agreements.models import Agreement, ContingencyInvocation, LocalAgreement, NationalSteer
    from liaison.alerts import scan_deadlines

    call_command("load_demo", "--no-scan", verbosity=0)
    counts = (Agreement.objects.count(), LocalAgreement.objects.count(), NationalSteer.objects.count())
    call_command("load_demo", "--no-scan", verbosity=0)
    assert (Agreement.objects.count(), LocalAgreement.objects.count(), NationalSteer.objects.count()) == counts

    current = Agreement.objects.get(version="VERSION 2.0")
    assert current.is_published and current.based_on.version == "FINAL VERSION 1.0"
    assert current.sections.count() == current.based_on.sections.count() == 31
    statuses = set(LocalAgreement.objects.values_list("status", flat=True))
    assert statuses == {"proposed", "agreed", "superseded", "withdrawn"}
    invocation = ContingencyInvocation.objects.get()
    assert not invocation.is_open and invocation.lessons
    # The 2008 agreement is history: no alert about its 2009 documents.
    scan_deadlines(codes=["agreement-statement-unsigned", "agreement-sign-off-late"])
    from liaison.models import Alert

    assert not Alert.objects.open().filter(title__contains="2009").exists()
