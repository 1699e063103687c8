"""Every error-summary link points at an input that exists: the first radio or checkbox of a group, the day of a date.

Checked on the forms the audit named, by posting them empty; a new form gets the same behaviour from the shared
template (templates/gds/layout/error_summary.html)."""

import re

import pytest
from django.urls import reverse

from tests.boards.factories import MeetingFactory, board_for

pytestmark = pytest.mark.django_db

INPUT_ID = re.compile(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"')
SUMMARY = re.compile(r'<div class="govuk-error-summary".*?</ul>', re.DOTALL)


def summary_targets(html: str) -> list[str]:
    found = SUMMARY.search(html)
    assert found, "no error summary on the page"
    return re.findall(r'href="#([^"]+)"', found.group(0))


def test_error_summary_links_land_on_inputs(world, client):
    board = board_for(world)
    meeting = MeetingFactory(board=board, status="scheduled")
    client.force_login(world.users["erm"])
    pages = [
        reverse("issue-create"),
        reverse("boards:board-create"),
        reverse("boards:meeting-hold", args=[board.pk, meeting.pk]),
        reverse("contact-create"),
        reverse("agreements:local-new", args=[board.pk]),
        reverse("monitoring:local-standard-add", args=[board.pk]),
    ]
    seen_kinds = set()
    for url in pages:
        response = client.post(url, {})
        html = response.content.decode()
        inputs = set(INPUT_ID.findall(html))
        targets = summary_targets(html)
        assert targets, url
        for target in targets:
            assert target in inputs, f"{url}: the summary links to #{target}, which is no input"
            if target.endswith("_1"):
                seen_kinds.add("group")
            if target.endswith("_0"):
                seen_kinds.add("date")
    assert seen_kinds == {"group", "date"}
