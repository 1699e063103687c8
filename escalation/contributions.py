"""What escalation adds to the Joint Boards' pages, through the extension points `boards` offers.

`boards` never imports this app (see DESIGN.md, "How the apps depend on each other"): it renders whatever panels
and checklist links are registered, and `EscalationConfig.ready()` registers these.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from boards.panels import register_board_panel, register_transition_link
from boards.signals import meeting_scheduled
from escalation import route, selectors
from escalation.models import Issue, Level, Source
from liaison.models import District
from liaison.querysets import kept_query, scope_key
from liaison.scoping import scope_for

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
    # Link only to districts the viewer can filter by: the list ignores a district it does not offer them. Kept
    # compiled (the user's scope and the board's districts are all its SQL depends on).
    user, place_ids = request.user, tuple(sorted(district_ids))
    visible = kept_query(
        ("board.open-issues.districts", scope_key(scope_for(user)), place_ids),
        lambda: District.objects.visible_to(user).filter(pk__in=place_ids).order_by("name"),
    ).rows()
    districts = [
        {
            "name": district.name,
            "count": found["by_district"].get(district.pk, 0),
            "url": issue_list_url(district=district.code, status="open"),
        }
        for district in visible
    ]
    return render_to_string(
        "escalation/_board_panel.html",
        {"board": board, "issues": found["rows"], "total": found["total"], "districts": districts},
        request=request,
    )


def unresolved_issues_item(sender, meeting, **kwargs) -> None:
    """Fill a newly scheduled meeting's "Unresolved issues" with the open issues of its districts and LAs.

    The agenda is read by everyone who sees the board, so it carries counts by level and the stalled ones, never an
    issue's title or people; members follow the link to the issues they may open."""
    from boards.services import agenda_item_add

    board = meeting.board
    issues = Issue.objects.open().filter(
        Q(district__in=board.districts.all()) | Q(local_authority__in=board.local_authorities.all())
    )
    by_level = dict(issues.order_by().values_list("level").annotate(n=Count("pk")))
    total = sum(by_level.values())
    if not total:
        body = "No open issues in the board's districts and Local Authorities when the meeting was scheduled."
    else:
        targets = selectors.level_targets()
        today = timezone.localdate()
        stalled = sum(
            1 for issue in issues.select_related("local_authority") if selectors.level_due(issue, targets) < today
        )
        lines = [f"{Level(level).label}: {count}" for level, count in sorted(by_level.items())]
        body = (
            f"{total} open issue{'s' if total != 1 else ''} in the board's districts and Local Authorities when the "
            f"meeting was scheduled ({stalled} past their level's target):\n" + "\n".join(lines)
        )
    agenda_item_add(
        meeting=meeting, title="Unresolved issues from the escalation route", body=body, source="escalation"
    )


def district_issues_panel(request, *, authority=None, district=None) -> str | None:
    """The "Issues" section of a district's page: where the Appendix 2 journey starts (log an issue for the
    district) and the way to the district's issues."""
    if district is None:
        return None
    summary = selectors.district_issue_summary(user=request.user, district=district)
    return render_to_string(
        "escalation/_district_panel.html",
        {
            "district": district,
            "summary": summary,
            "issues_url": issue_list_url(district=district.code),
            "open_url": issue_list_url(district=district.code, status="open"),
            "log_url": f"{reverse('issue-create')}?{urlencode({'district': district.code})}",
            "can_log": route.may_log_in(request.user, district),
        },
        request=request,
    )


def legacy_items_url(source: str):
    def url_for(district) -> str:
        return issue_list_url(district=district.code, source=source)

    return url_for


def register() -> None:
    register_board_panel(PANEL_ORDER, open_issues_panel, name="escalation.open-issues")
    from liaison.network_panels import register_network_panel

    register_network_panel(5, district_issues_panel, name="escalation.district-issues")
    meeting_scheduled.connect(unresolved_issues_item, weak=False, dispatch_uid="escalation-unresolved-issues")
    # "Moving on": outstanding JRB items go to the GPT and JOB items enter the route; both are logged as issues
    # whose source says which legacy board they came from, so the checklist rows link to those issues.
    register_transition_link(
        "jrb-issues", "Legacy JRB items logged on the escalation route", legacy_items_url(Source.LEGACY_JRB)
    )
    register_transition_link(
        "job-issues", "Legacy JOB items logged on the escalation route", legacy_items_url(Source.LEGACY_JOB)
    )
