"""The home page's "Waiting for your signature": the same people `signing.holds_side` lets sign, in fixed queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import selectors
from agreements import signing as signing_rules
from agreements.models import DocumentStatus, Side
from liaison.models import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_waiting_for_signature_matches_who_may_sign_each_unsigned_side(signing, world):
    erm_elsewhere = user_with_role(Role.LA_BENEFITS_MANAGER, local_authority=world.la12, username="la12-manager")
    awaiting = signing.prepare()
    half = signing.prepare(signing_authority=world.la12, delivery_centre="District One, Straddle")
    signing.sign(half, "district-manager", Side.JCP)
    sealed = signing.prepare(period_start=datetime.date(2009, 4, 1), period_end=datetime.date(2010, 3, 31))
    signing.sign(sealed, "la-manager", Side.LA)
    signing.sign(sealed, "district-manager", Side.JCP)
    sealed.refresh_from_db()
    assert sealed.status == DocumentStatus.SEALED

    people = [*world.users.values(), erm_elsewhere]
    for user in people:
        expected = set()
        for document in (awaiting, half, sealed):
            document.refresh_from_db()
            current = {s.side: s.signer_id for s in document.signatures.filter(invalidated_at__isnull=True)}
            if document.status in (DocumentStatus.SEALED, DocumentStatus.SUPERSEDED) or user.pk in current.values():
                continue
            if any(side not in current for side in signing_rules.sides_for(user, document)):
                expected.add(document.pk)
        found = set(selectors.awaiting_signature(user=user).values_list("pk", flat=True))
        assert found == expected, user.username
    assert set(selectors.awaiting_signature(user=world.users["district-manager"]).values_list("pk", flat=True)) == {
        awaiting.pk
    }
    assert set(selectors.awaiting_signature(user=erm_elsewhere).values_list("pk", flat=True)) == {half.pk}


def test_home_lists_documents_to_sign_in_constant_queries(signing, world, client, django_assert_max_num_queries):
    manager = world.users["la-manager"]
    client.force_login(manager)
    first = signing.prepare()
    page = client.get(reverse("home")).content.decode()
    assert "Waiting for your signature" in page and first.get_absolute_url() in page
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for year in range(2009, 2011):
        signing.prepare(period_start=datetime.date(year, 4, 1), period_end=datetime.date(year + 1, 3, 31))
    with django_assert_max_num_queries(len(few)):
        page = client.get(reverse("home")).content.decode()
    assert "3 documents to sign." in page
    signing.sign(first, "la-manager", Side.LA)
    assert "2 documents to sign." in client.get(reverse("home")).content.decode()
