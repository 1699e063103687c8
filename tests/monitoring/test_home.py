"""The home page's "Monitoring you do": open exercises and this period's unstarted areas of the named monitor."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_monitor_sees_open_exercises_and_unstarted_areas_in_constant_queries(
    setup, client, django_assert_max_num_queries
):
    client.force_login(setup.monitor)
    assert "Monitoring you do" not in client.get(reverse("home")).content.decode()

    exercise = setup.exercise("ADM-3", throughput=200)
    setup.area("ADM-5")
    page = client.get(reverse("home")).content.decode()
    assert "1 exercise not yet completed." in page and exercise.get_absolute_url() in page
    assert "0 of 5 cases recorded" in page
    assert "1 area of" in page and "ADM-5: " in page
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))

    for code in ("ADM-1", "ADM-2", "ADM-4", "ADM-6"):
        setup.exercise(code, throughput=80)
    setup.area("ADM-7")
    with django_assert_max_num_queries(len(few) + 1):  # one count, once more exercises are open than are listed
        page = client.get(reverse("home")).content.decode()
    assert "5 exercises not yet completed." in page and "2 areas of" in page

    # Someone else's monitoring is not theirs to do.
    client.force_login(setup.users["erm"])
    assert "Monitoring you do" not in client.get(reverse("home")).content.decode()
