"""Two signers at the same moment on PostgreSQL: the document row lock lets both signatures land and seals the
document once, and of two statements chosen at once only the first lands."""

import pytest
from django.core.exceptions import ValidationError

from agreements.models import DocumentKind, DocumentStatus, Side, Signature, SigningDocument, YearStatement
from agreements.seal import seal_check
from liaison.models import Event, Role
from tests.factories import user_with_role
from tests.helpers import race

pytestmark = pytest.mark.django_db(transaction=True)


def _events(document, kind):
    return Event.objects.filter(subject_type="agreements.signingdocument", subject_id=document.pk, kind=kind).count()


def test_both_signers_at_once_both_land_and_the_document_is_sealed_once(postgres_only, signing):
    document = signing.prepare()
    results = race(
        lambda: signing.sign(document, "la-manager", Side.LA),
        lambda: signing.sign(document, "district-manager", Side.JCP),
    )
    assert all(isinstance(r, Signature) for r in results), results
    document.refresh_from_db()
    assert document.status == DocumentStatus.SEALED
    assert sorted(document.signatures.filter(invalidated_at__isnull=True).values_list("side", flat=True)) == [
        "jcp",
        "la",
    ]
    assert _events(document, "agreement.sealed") == 1 and _events(document, "agreement.signed") == 2
    assert seal_check(bytes(document.sealed_pdf)).ok


def test_two_holders_of_the_same_side_at_once_one_signs(postgres_only, signing, world):
    second = user_with_role(Role.LA_BENEFITS_MANAGER, local_authority=world.la1, username="w-la-two")
    signing.users["la-manager-two"] = second
    document = signing.prepare()
    results = race(
        lambda: signing.sign(document, "la-manager", Side.LA),
        lambda: signing.sign(document, "la-manager-two", Side.LA),
    )
    assert sorted(type(r).__name__ for r in results) == ["Signature", "ValidationError"], results
    assert "already signed" in str(next(r for r in results if isinstance(r, ValidationError)))
    document.refresh_from_db()
    assert document.status == DocumentStatus.PART_SIGNED and document.signatures.count() == 1


def test_two_signers_choosing_different_statements_at_once_one_wins_the_other_is_told_the_text_changed(
    postgres_only, signing
):
    document = signing.prepare(kind=DocumentKind.END_OF_YEAR)
    shown = document.content_sha256
    results = race(
        lambda: signing.choose(document, "la-manager", YearStatement.MET, shown_sha256=shown),
        lambda: signing.choose(document, "district-manager", YearStatement.NOT_MET, "Backlog", shown_sha256=shown),
    )
    winners = [r for r in results if isinstance(r, SigningDocument)]
    losers = [r for r in results if isinstance(r, ValidationError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "changed since you opened it" in str(losers[0])
    document.refresh_from_db()
    assert (document.statement, document.content_sha256) == (winners[0].statement, winners[0].content_sha256)
    assert document.status == DocumentStatus.AWAITING and document.signatures.count() == 0
    assert _events(document, "agreement.statement-chosen") == 1
    assert _events(document, "agreement.statement-changed") == 0
