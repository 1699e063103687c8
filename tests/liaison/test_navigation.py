"""The service navigation (`liaison.context_processors.navigation`): worked out once a request, however many
templates that request renders (the home and board pages render each panel with the request)."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from liaison.context_processors import navigation
from tests.boards.factories import board_for

pytestmark = pytest.mark.django_db


def current_sections(page: str) -> list[str]:
    return re.findall(r'<a class="govuk-service-navigation__link" href="([^"]+)" aria-current="true">', page)


def test_one_request_gets_one_answer_and_the_next_request_its_own(world):
    factory = RequestFactory()
    first = factory.get("/boards/5/meetings/7/")
    first.user = world.users["erm"]
    answer = navigation(first)
    assert navigation(first) is answer
    assert [href for _label, href, active in answer["service_navigation"] if active] == ["/boards/"]

    second = factory.get("/issues/")
    second.user = AnonymousUser()
    other = navigation(second)
    assert other is not answer
    assert [href for _label, href, active in other["service_navigation"] if active] == ["/issues/"]
    assert "Your account" not in [label for label, _href, _active in other["service_navigation"]]


def test_a_page_with_panels_still_marks_its_own_section(world, client):
    board = board_for(world)
    client.force_login(world.users["erm"])
    assert current_sections(client.get(board.get_absolute_url()).content.decode()) == ["/boards/"]
    assert current_sections(client.get("/").content.decode()) == ["/"]
