"""What escalation adds to the Joint Boards' pages, through the extension points `boards` offers.

`boards` never imports this app (see DESIGN.md, "How the apps depend on each other"): it renders whatever panels
and checklist links are registered, and `EscalationConfig.ready()` registers these.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from boards.panels import register_board_panel, register_transition_link
from escalation import selectors
from escalation.models import Source
from liaison.models import District

# After the board's own sections (members, meetings, actions, good practice); room left for the other apps.
PANEL_ORDER = 10


def issue_list_url(**filters) -> str:
    """The issue list with the list's own filter parameters (see `escalation.filters.IssueFilter`)."""
    return f"{reverse('issue-list')}?{urlencode(filters)}"


def open_issues_panel(request, board) -> str:
    """The "Open issues" panel of a board page: only what the viewer could open on the issue pages."""
    # The board page prefetches its districts and LAs, so reading them here costs no query.
    district_ids = [district.pk for district in board.districts.all()]
    authority_ids = [authority.pk for authority in board.local_authorities.all()]
    found = selectors.board_open_issues(user=request.user, district_ids=district_ids, authority_ids=authority_ids)
    today = timezone.localdate()
    targets = selectors.level_targets()
    for issue in found["rows"]:
        issue.due = selectors.level_due(issue, targets)
        issue.stalled = issue.due < today
    # Link only to districts the viewer can filter by: the list ignores a district it does not offer them.
    districts = [
        {
            "name": district.name,
            "count": found["by_district"].get(district.pk, 0),
            "url": issue_list_url(district=district.code, status="open"),
        }
        for district in District.objects.visible_to(request.user).filter(pk__in=district_ids).order_by("name")
    ]
    return render_to_string(
        "escalation/_board_panel.html",
        {"board": board, "issues": found["rows"], "total": found["total"], "districts": districts},
        request=request,
    )


def legacy_items_url(source: str):
    def url_for(district) -> str:
        return issue_list_url(district=district.code, source=source)

    return url_for


def register() -> None:
    register_board_panel(PANEL_ORDER, open_issues_panel, name="escalation.open-issues")
    # "Moving on": outstanding JRB items go to the GPT and JOB items enter the route; both are logged as issues
    # whose source says which legacy board they came from, so the checklist rows link to those issues.
    register_transition_link(
        "jrb-issues", "Legacy JRB items logged on the escalation route", legacy_items_url(Source.LEGACY_JRB)
    )
    register_transition_link(
        "job-issues", "Legacy JOB items logged on the escalation route", legacy_items_url(Source.LEGACY_JOB)
    )
