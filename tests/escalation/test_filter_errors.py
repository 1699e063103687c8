import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_a_bad_filter_value_is_summarised_at_the_top_of_the_issue_list(world, client):
    client.force_login(world.users["erm"])
    page = client.get(reverse("issue-list"), {"status": "bogus"}).content.decode()
    assert "There is a problem" in page
    assert page.index("There is a problem") < page.index("<h1")
    assert "Select a valid choice" in page
