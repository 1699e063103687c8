"""A page's number of SQL queries must not grow with the rows it lists."""

import datetime

import pytest
from django.utils import timezone

from liaison.alerts import scan_deadlines
from liaison.models import ContactRole
from tests.factories import ContactFactory, DistrictFactory, LAContactFactory, LocalAuthorityFactory, OfficeFactory
from tests.helpers import body, count


def grow(world, n):
    """Add n contacts of every kind (JCP with offices, LA, stale) plus n districts and LAs."""
    roles = list(ContactRole.objects.filter(side="jcp"))
    old = timezone.localdate() - datetime.timedelta(days=400)
    for i in range(n):
        office = OfficeFactory(district=world.d1)
        ContactFactory(district=world.d1, office=office, role=roles[i % len(roles)], last_confirmed=old)
        LAContactFactory(local_authority=world.la1, last_confirmed=None)
        LAContactFactory(local_authority=world.la12)
        district = DistrictFactory(region=world.north)
        LocalAuthorityFactory(districts=[world.d1, district])
    scan_deadlines()


PAGES = [
    ("erm", "/"),
    ("erm", "/contacts/"),
    ("erm", "/contacts/?confirmation=overdue&q=person"),
    ("erm", "/contacts/export.csv"),
    ("erm", "/districts/"),
    ("erm", "/districts/d1/"),
    ("erm", "/districts/d1/confirm/"),
    ("erm", "/authorities/E08000101/"),
    ("gpt", "/contacts/"),
    ("gpt", "/districts/"),
    ("regional-erm", "/districts/d1/"),
    ("la-manager", "/authorities/E08000101/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "url"), PAGES)
def test_queries_do_not_grow_with_rows(world, client, django_assert_max_num_queries, role, url):
    client.force_login(world.users[role])
    grow(world, 2)
    few = count(client, url)
    grow(world, 25)
    with django_assert_max_num_queries(few):
        body(client.get(url))


@pytest.mark.django_db
def test_contact_history_page_queries_do_not_grow_with_changes(world, client, django_assert_max_num_queries):
    contact = ContactFactory(district=world.d1)
    client.force_login(world.users["erm"])
    few = count(client, contact.get_absolute_url())
    for i in range(20):
        contact.phone = f"0161 496 {i:04d}"
        contact.save()
    with django_assert_max_num_queries(few):
        client.get(contact.get_absolute_url())
