"""Odd input and the CSV export of issues: refused with a message, never a 500 or a wider file than asked for."""

import csv
import io

import pytest
from django.urls import reverse

from escalation.models import Issue
from tests.factories import ContactFactory

BIG = "99999999999999999999"
pytestmark = pytest.mark.django_db


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.mark.parametrize(
    "query",
    [{"district": "nowhere"}, {"level": "bogus"}, {"local_authority": "E99"}, {"category": BIG}, {"age": "x"}],
)
def test_an_export_with_invalid_filters_goes_back_to_the_list(query, route, client):
    route.issue(title="Visible issue")
    client.force_login(route.users["erm"])
    response = client.get(reverse("issue-export"), query)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("issue-list") + "?")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["filter"].errors


def test_a_nul_character_in_an_export_filter_is_refused(route, client):
    client.force_login(route.users["erm"])
    response = client.get(reverse("issue-export"), {"local_authority": "\x00"})
    assert response.status_code == 400


def test_the_csv_starts_with_a_bom_is_not_cached_and_keeps_names(route, client):
    route.la1_originator.name = "Siân Jones"
    route.la1_originator.save()
    route.issue(title="=cmd|' /C calc'!A0")
    client.force_login(route.users["erm"])
    response = client.get(reverse("issue-export"))
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    assert response["Cache-Control"] == "private, no-store"
    (row,) = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert row["Originator"] == "Siân Jones"
    assert row["Title"] == "'=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    "path",
    [f"/issues/{BIG}/", "/issues/{pk}/%00/", f"/issues/{BIG}/update/"],
)
def test_huge_ids_and_nul_bytes_in_paths_are_not_found(path, route, client):
    issue = route.issue()
    client.force_login(route.users["admin"])
    if "%00" in path:  # refused before routing by liaison.middleware
        assert client.get(path.format(pk=issue.pk)).status_code == 400
        assert client.post(path.format(pk=issue.pk)).status_code == 400
        return
    assert client.get(path.format(pk=issue.pk)).status_code in (404, 405)
    assert client.post(path.format(pk=issue.pk)).status_code == 404


def test_a_huge_page_number_shows_the_last_page(route, client):
    route.issue(title="Only issue")
    client.force_login(route.users["erm"])
    for url in ("issue-list", "issue-national"):
        client.force_login(route.users["admin"])
        assert client.get(reverse(url), {"page": BIG}).status_code == 200


def test_a_huge_version_on_an_action_is_refused_as_stale(route, client):
    issue = route.issue(attempts_made=True, attempts_detail="Calls")
    client.force_login(route.users["erm"])
    response = client.post(
        reverse("issue-action", args=[issue.pk, "update"]), {"update-version": BIG, "update-text": "Called them"}
    )
    assert response.status_code in (200, 409)
    assert Issue.objects.get(pk=issue.pk).version == issue.version


def test_issue_form_and_filters_offer_only_what_the_user_may_see(route, world, client):
    stranger = ContactFactory(district=world.d3, name="Stranger Elsewhere")
    client.force_login(route.users["erm"])
    form = client.get(reverse("issue-create")).context["form"]
    assert set(form.fields["district"].queryset) == {world.d1}
    assert set(form.fields["local_authority"].queryset) == {world.la1, world.la12}
    for name in ("originator", "operational_contact"):
        offered = set(form.fields[name].queryset)
        assert offered and stranger not in offered, name
    issue_filter = client.get(reverse("issue-list")).context["filter"]
    assert set(issue_filter.filters["district"].queryset) == {world.d1}
    assert world.la3 not in set(issue_filter.filters["local_authority"].queryset)
    # A district out of scope in the query is an error, not a way round the scope.
    assert client.get(reverse("issue-export"), {"district": "d3"}).status_code == 302


def test_an_unknown_action_on_an_issue_is_not_found(route, client):
    issue = route.issue(title="Visible issue")
    client.force_login(route.users["erm"])
    response = client.post(f"/issues/{issue.pk}/teleport/")
    assert response.status_code == 404
    issue.refresh_from_db()
    assert issue.title == "Visible issue"
