"""Odd input and exports of the boards app: refused with a message, never a 500 or a wider file than asked for."""

import csv
import io

import pytest
from django.urls import reverse

from boards import services
from boards.forms import BoardForm
from boards.models import GoodPractice
from boards.selectors import good_practice_search
from tests.boards.factories import MeetingFactory, board_for
from tests.factories import ContactFactory, LAContactFactory
from tests.helpers import body

BIG = "99999999999999999999"


@pytest.fixture
def shared(world):
    board = board_for(world, title="Board One")
    services.good_practice_add(
        actor=world.users["admin"], board=board, title="Shared inbox for CoC", description="One inbox for all."
    )
    return board


@pytest.mark.django_db
def test_an_overlong_search_is_a_form_error_not_a_crash(world, shared, client):
    client.force_login(world.users["erm"])
    # Thousands of words once chained a filter each and crashed SQLite ("Expression tree is too large").
    response = client.get(reverse("boards:good-practice"), {"q": " ".join(["inbox"] * 3000)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Search must be 100 characters or fewer" in page
    assert "Shared inbox for CoC" not in page


@pytest.mark.django_db
def test_a_search_uses_its_first_eight_words(world, shared, client):
    client.force_login(world.users["erm"])
    # The ninth word matches nothing; it is ignored, so the item is still found.
    q = "inbox " * 8 + "zzzz"
    page = client.get(reverse("boards:good-practice"), {"q": q}).content.decode()
    assert "Shared inbox for CoC" in page
    many = " ".join(["inbox"] * 5000)
    assert list(good_practice_search(user=world.users["erm"], q=many)) == list(GoodPractice.objects.all())


@pytest.mark.django_db
def test_a_nul_byte_in_the_search_is_refused(world, shared, client):
    client.force_login(world.users["erm"])
    # On PostgreSQL a NUL byte reached the query: "A string literal cannot contain NUL characters".
    response = client.get(reverse("boards:good-practice"), {"q": "in\x00box"})
    assert response.status_code == 400  # refused for every page by liaison.middleware
    assert "character we cannot read" in response.content.decode()


@pytest.mark.django_db
def test_the_search_is_kept_in_the_pagination_links_as_a_query(world, shared, client):
    client.force_login(world.users["erm"])
    response = client.get(reverse("boards:good-practice"), {"q": "inbox&page=2"})
    assert response.context["query"] == "q=inbox%26page%3D2"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["boards:index-csv", "boards:index-xlsx", "boards:index-pdf"])
@pytest.mark.parametrize(
    "query, error",
    [
        ({"region": "nowhere"}, "Select a valid choice"),
        ({"scope": "bogus"}, "Select a valid choice"),
    ],
)
def test_an_export_with_invalid_filters_goes_back_to_the_index(url, query, error, world, shared, client):
    client.force_login(world.users["gpt"])
    response = client.get(reverse(url), query)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("boards:index") + "?")
    page = client.get(response["Location"]).content.decode()
    assert error in page


@pytest.mark.django_db
def test_csv_exports_start_with_a_bom_and_are_not_cached(world, client):
    board_for(world, title="Bwrdd Siân")
    client.force_login(world.users["gpt"])
    for url in ("boards:index-csv", "boards:chairs-csv"):
        response = client.get(reverse(url))
        assert body(response).startswith("\ufeff".encode())
        assert response["Cache-Control"] == "private, no-store"
    rows = list(csv.DictReader(io.StringIO(body(client.get(reverse("boards:index-csv"))).decode("utf-8-sig"))))
    assert [r["Board"] for r in rows] == ["Bwrdd Siân"]


@pytest.mark.django_db
def test_xlsx_and_pdf_exports_are_not_cached(world, client):
    board = board_for(world, title="Board One")
    meeting = MeetingFactory(board=board)
    client.force_login(world.users["gpt"])
    for url in (
        reverse("boards:index-xlsx"),
        reverse("boards:index-pdf"),
        reverse("boards:agenda-pdf", args=[board.pk, meeting.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        f"/boards/{BIG}/",
        f"/boards/{BIG}/return.pdf",
        "/boards/{pk}/returns/" + BIG + ".pdf",
        "/boards/{pk}/meetings/" + BIG + "/",
        "/boards/{pk}/actions/" + BIG + "/",
        f"/boards/moving-on/d1/{BIG}/",
        "/boards/moving-on/%00/",
        f"/api/boards/{BIG}/",
    ],
)
def test_huge_ids_and_nul_bytes_in_paths_are_not_found(path, world, shared, client):
    client.force_login(world.users["admin"])
    # NUL characters are refused before routing (liaison.middleware); huge ids are simply not found.
    expected = 400 if "%00" in path else 404
    assert client.get(path.format(pk=shared.pk)).status_code == expected


@pytest.mark.django_db
def test_board_form_offers_only_districts_las_and_people_of_the_users_region(world):
    """The ERM's own district, and further districts of their region for a cross-district board (which those
    districts' ERMs must agree to), never another region's."""
    inside = {ContactFactory(district=world.d1), LAContactFactory(local_authority=world.la12)}
    elsewhere = [ContactFactory(district=world.d3), LAContactFactory(local_authority=world.la3)]
    form = BoardForm(user=world.users["erm"])
    assert set(form.fields["districts"].queryset) == {world.d1, world.d2}
    assert set(form.fields["local_authorities"].queryset) == {world.la1, world.la12, world.la2}
    for name in ("members", "jcp_chair", "la_chair", "erm", "jcp_secretariat", "la_secretariat"):
        offered = set(form.fields[name].queryset)
        assert offered & inside and not offered & set(elsewhere), name


@pytest.mark.django_db
def test_action_owners_and_attendees_are_the_boards_network_only(world, client):
    board = board_for(world, title="Board One")
    meeting = MeetingFactory(board=board)
    stranger = ContactFactory(district=world.d3, name="Stranger Elsewhere")
    client.force_login(world.users["erm"])
    response = client.get(reverse("boards:action-add", args=[board.pk, meeting.pk]))
    owners = set(response.context["form"].fields["owner"].queryset)
    assert board.erm in owners and stranger not in owners
    assert "Stranger Elsewhere" not in response.content.decode()


@pytest.mark.django_db
def test_index_page_filters_every_region_but_exports_only_visible_ones(world, client):
    client.force_login(world.users["erm"])
    response = client.get(reverse("boards:index"))
    assert set(response.context["filter"].filters["region"].queryset) == {world.north, world.south}
    assert client.get(reverse("boards:index-csv"), {"region": "south"}).status_code == 302
