"""Reads of issues; each returns a queryset or plain data, scoped to the user who asks."""

from __future__ import annotations

import datetime
from collections import Counter

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from escalation.models import (
    OPEN_STATUSES,
    Direction,
    Issue,
    IssueStep,
    Level,
    LevelTarget,
    NationalDirectorate,
    ResolutionTally,
    Status,
)
from escalation.route import held_issue_keys, held_issues_q
from liaison import calendar, prepared
from liaison.models import Contact, District, IssueCategory, LocalAuthority
from liaison.pagination import CappedPaginator, KeyedUnionPaginator, filtered_pages
from liaison.querysets import by_ids, kept_query, read_beside, scope_key
from liaison.scoping import scope_for

DEFAULT_TARGETS = {
    Level.OPERATIONAL: 5,
    Level.DISTRICT_ERM: 10,
    Level.REGIONAL_ERM: 15,
    Level.ODN: 20,
    Level.GPT: 20,
    Level.LA_MANAGER: 10,
    LevelTarget.COO_GATEWAY: 20,
    LevelTarget.COMMUNICATION: 2,
}
# The LA's own operational contacts, in the order JCP should try them (PA 3.1.2 nominated contact first).
LA_OPERATIONAL_ROLES = ["nominated-contact", "housing-benefit-manager"]


def issue_list(*, user) -> QuerySet[Issue]:
    """The issues the user may see, with what a list's rows show: fewer joins and no long texts, so that PostgreSQL
    plans and returns a page of them quickly."""
    return _list_rows(Issue.objects.visible_to(user))


# What a row of an issue table shows (escalation/templatetags/issue_tags.py), with its due date's inputs.
LIST_ROW_FIELDS = (
    "pk",
    "title",
    "status",
    "level",
    "la_manager_role",
    "created_at",
    "level_since",
    "gateway_since",
    "category__name",
    "district__name",
    "local_authority__name",
    "local_authority__nation",
)


def _list_rows(issues: QuerySet[Issue]) -> QuerySet[Issue]:
    return issues.select_related("category", "district", "local_authority").only(*LIST_ROW_FIELDS)


def issue_pages(*, user, issue_filter, per_page: int = 50) -> Paginator:
    """The issue list as its page shows it: newest first, `per_page` a page, narrowed by `issue_filter` (an
    `IssueFilter`). National roles read every issue from the index on its creation; anyone else's page is chosen
    from their scope's (pk, created_at) rows before any issue is read."""
    return filtered_pages(
        issue_filter,
        everything=issue_list(user=user) if scope_for(user).national else None,
        keys=lambda: Issue.objects.visible_keys(user, "created_at"),
        key="created_at",
        rows=_list_rows(Issue.objects.all()),
        per_page=per_page,
        kept_as="issues.everything",
    )


# The people an issue names, read with what their page lines show by `issue_page`.
ISSUE_PEOPLE = ("originator", "operational_contact")


def issue_page(*, user, pk: int) -> Issue | None:
    """The issue, if the user may open it, with everything its page shows: category, LA, district and region, and
    its people with their roles and organisations. The issue is read on its own and the rest beside it: one query
    joining the scope to seven tables took PostgreSQL longer to plan (3.8 ms) than these few take to run."""
    # Its SQL (the scope and one id) is kept compiled: Django took longer building it than PostgreSQL running it.
    found = by_ids(
        ("issue.page", user.pk, scope_key(scope_for(user))),
        Issue.objects.visible_to(user).select_related("category", "local_authority"),
        [pk],
    )
    issue = found.get(pk)
    if issue is None:
        return None
    read_beside(issue, ("district",), District.objects.select_related("region"), kept_as="issue.district")
    read_beside(
        issue,
        ISSUE_PEOPLE,
        Contact.objects.select_related("role", "local_authority", "district", "office"),
        kept_as="issue.people",
    )
    return issue


# What a queue holds: every issue not closed (open, or resolved with the outcome still to communicate).
WAITING = tuple(status for status in Status.values if status != Status.CLOSED)


def my_queue(*, user) -> QuerySet[Issue]:
    """Issues at a level the user holds that still need something from them (open, or outcome to communicate).

    Read from the held union alone: each of its arms is an arm of the user's scope narrowed to a level (the same
    role assignments of `scope_for(user)`, see `route._arms_of`), so every issue it holds is one `visible_to(user)`
    holds, and intersecting the two made PostgreSQL plan both unions on every visit to the home page and the queue.
    `tests/escalation/test_permission_matrix.py` proves the containment for every role."""
    return _list_rows(Issue.objects.filter(held_issues_q(user, statuses=WAITING))).order_by("level_since", "pk")


def queue_head(*, user, shown: int) -> list[tuple[int, int]]:
    """`my_queue`'s first `shown` as (pk, how many wait in all): from the held union's (pk, level_since) rows, which
    the open-issue indexes give without reading an issue, the count a window taken before the limit; the rows shown
    are read by key afterwards (`list_rows_by_id`)."""
    keys = held_issue_keys(user, statuses=WAITING)
    if keys is None:
        return []
    head = f'SELECT "held"."pk", COUNT(*) OVER () FROM ({keys.sql}) "held" ORDER BY "held"."level_since", "held"."pk"'
    with connection.cursor() as cursor:
        # The user's own union on every visit: planned once per connection (liaison/prepared.py).
        cursor.execute(*prepared.statement(connection, f"{head} LIMIT %s", (*keys.params, shown), inline=True))
        return cursor.fetchall()


def queue_pages(*, user, per_page: int) -> Paginator:
    """`my_queue` a page at a time, oldest first: each page's keys and the count from the held union's rows (as
    `queue_head`), then only that page's issues, by key."""
    keys = held_issue_keys(user, statuses=WAITING)
    rows = _list_rows(Issue.objects.all())
    if keys is None:
        return CappedPaginator(rows.none(), per_page)
    return KeyedUnionPaginator(
        keys, per_page, key="level_since", oldest_first=True, rows=rows, rows_kept_as="issues.list-rows"
    )


def list_rows_by_id(ids: list[int]) -> list[Issue]:
    """These issues, in this order, with what a list's rows show (ids already chosen in the user's scope)."""
    found = by_ids(("issues.list-rows",), _list_rows(Issue.objects.all()), ids)
    return [found[pk] for pk in ids]


def raised_by(*, user) -> QuerySet[Issue]:
    return issue_list(user=user).filter(created_by=user).exclude(status=Status.CLOSED).order_by("-created_at", "-pk")


def timeline(*, issue: Issue) -> QuerySet[IssueStep]:
    return issue.steps.select_related("actor", "contact").order_by("at", "pk")


def referral_candidates(issue: Issue) -> QuerySet[Contact]:
    """The contacts an issue at the operational level may be re-referred to: current contacts of its district's
    network or of its lead LA (only the LA's, when JCP raised it with the LA), other than the one who has it."""
    contacts = Contact.objects.active().select_related("role", "district", "local_authority", "office")
    if issue.direction == Direction.TO_LA:
        contacts = contacts.filter(local_authority_id=issue.local_authority_id)
    else:
        contacts = contacts.filter(Q(district_id=issue.district_id) | Q(local_authority_id=issue.local_authority_id))
    return contacts.exclude(pk=issue.operational_contact_id).order_by("name", "pk")


def current_directorates() -> QuerySet[NationalDirectorate]:
    return NationalDirectorate.objects.current().order_by("name")


def directorate_list() -> QuerySet[NationalDirectorate]:
    """Every directorate, current first; the GPT's page shows the retired ones too, since issues keep them."""
    return NationalDirectorate.objects.annotate(n_issues=Count("issues")).order_by(
        F("retired_at").asc(nulls_first=True), "name"
    )


def district_issue_summary(*, user, district: District) -> dict:
    """The issues of one district this user may see: how many are open and how many stalled at their level."""
    issues = Issue.objects.visible_to(user).open().filter(district=district).select_related("local_authority")
    targets = level_targets()
    today = timezone.localdate()
    rows = list(issues.only("pk", "level", "level_since", "gateway_since", "local_authority__nation"))
    return {"open": len(rows), "stalled": sum(1 for issue in rows if level_due(issue, targets) < today)}


LEVEL_TARGETS_KEY = "escalation:level-targets"


def level_targets() -> dict[str, int]:
    """Working days an issue may stay at each level: read on every issue list, queue and issue page, changed a few
    times in the life of the agreement, so kept in the shared cache until a target is saved or deleted
    (`level_targets_forget`, connected in escalation/apps.py)."""
    targets = cache.get(LEVEL_TARGETS_KEY)
    if targets is None:
        targets = dict(DEFAULT_TARGETS)
        targets.update(dict(LevelTarget.objects.values_list("stage", "working_days")))
        cache.set(LEVEL_TARGETS_KEY, targets, None)
    return targets


def level_targets_forget(**kwargs) -> None:
    """At once, and again when the change commits (a page that read the old targets between the two would keep them)."""
    cache.delete(LEVEL_TARGETS_KEY)
    transaction.on_commit(lambda: cache.delete(LEVEL_TARGETS_KEY), using=kwargs.get("using"))


def level_due(issue: Issue, targets: dict[str, int]) -> datetime.date:
    """The last working day the issue may stay at its level (or with the COO Gateway), on its LA's nation's
    calendar."""
    start = timezone.localdate(issue.level_since)
    return calendar.add_working_days(start, targets[issue.stage], issue.local_authority.nation)


def with_due(issues, targets: dict[str, int]):
    """Attach each open issue's due date for its level; the LA is already joined, so no query per row."""
    today = timezone.localdate()
    for issue in issues:
        if issue.is_open:
            issue.due = level_due(issue, targets)
            issue.overdue = issue.due < today
    return issues


def propose_contact(
    *, category: IssueCategory, district: District, direction: str, local_authority: LocalAuthority | None
) -> Contact | None:
    """The operational contact the routing table proposes: the category's role in the district's network."""
    active = Contact.objects.active().select_related("role")
    if direction == Direction.TO_LA:
        if local_authority is None:
            return None
        for code in LA_OPERATIONAL_ROLES:
            found = active.filter(local_authority=local_authority, role__code=code).order_by("name", "pk").first()
            if found:
                return found
        return None
    for role_id in (category.role_id, category.alternative_role_id):
        if role_id is None:
            continue
        found = active.filter(district=district, role_id=role_id).order_by("name", "pk").first()
        if found:
            return found
    return None


def national_statistics() -> dict:
    """Open issues by level, median working days to resolution and the oldest open issues."""
    open_issues = Issue.objects.filter(status__in=OPEN_STATUSES)
    # The same three queries for everyone on every visit: kept compiled (liaison.querysets.kept_query).
    # COUNT(*), not of the id: the (status, level) index then answers it alone, without reading 3,000 rows.
    counts = dict(
        kept_query(
            ("national.by-level",),
            lambda: open_issues.values_list("level").annotate(n=Count("*")).values_list("level", "n"),
        ).rows()
    )
    by_level = [(label, counts.get(value, 0)) for value, label in Level.choices]
    # Working days to resolution are a few dozen distinct small numbers: how many issues took each, kept by the
    # services (`ResolutionTally`), gives the count and the exact median without reading 100,000 issues.
    spread = kept_query(
        ("national.spread",),
        lambda: (
            ResolutionTally.objects.filter(issues__gt=0).order_by("working_days").values_list("working_days", "issues")
        ),
    ).rows()
    total = sum(n for _, n in spread)
    oldest = kept_query(("national.oldest",), lambda: _list_rows(open_issues).order_by("created_at", "pk")[:10]).rows()
    return {
        "by_level": by_level,
        "open_total": sum(counts.values()),
        "resolved_total": total,
        "median_working_days": _median_of_spread(spread, total),
        "oldest": oldest,
    }


def _median_of_spread(spread: list[tuple[int, int]], total: int) -> float | None:
    """The middle value (or the mean of the middle two) of `total` values given as (value, how many) in order."""
    if not total:
        return None
    wanted = {(total - 1) // 2, total // 2}
    found, seen = [], 0
    for value, n in spread:
        found.extend(value for position in wanted if seen <= position < seen + n)
        seen += n
    return sum(found) / len(found)


def national_queue() -> QuerySet[Issue]:
    """Every open issue that needs national input or sits with the ODN / COO Gateway."""
    return (
        # Written as the `issue_national_queue` index's condition, so the planner reads the index.
        _list_rows(Issue.objects.filter(level__in=[Level.GPT.value, Level.ODN.value]))
        .exclude(status=Status.CLOSED.value)
        .order_by("level_since", "pk")
    )


BOARD_PANEL_ROWS = 25


def board_open_issues(*, user, district_ids, authority_ids, limit: int = BOARD_PANEL_ROWS) -> dict:
    """The open issues of a board's districts and LAs that this user may see: the longest waiting at their level
    first (up to `limit`), and how many there are in all and in each district. A fixed number of queries."""
    # The scope's own id union, chained onto the board's issues: a subquery of `visible_to(...).values("pk")` would
    # read every issue in scope a second time, by its primary key, to return the ids the union already holds.
    district_ids, authority_ids = sorted(district_ids), sorted(authority_ids)

    def issues():
        return (
            Issue.objects.visible_to(user)
            .open()
            .filter(Q(district_id__in=district_ids) | Q(local_authority_id__in=authority_ids))
            .order_by("level_since", "pk")
            .values_list("pk", "district_id")
        )

    # A board's open issues are a few dozen: their keys in one pass over the scope (the counts are taken from them),
    # then the rows shown by key, rather than gathering the scope a second time for the rows. Both are asked on
    # every visit to a board's page, with SQL that depends on the user, their scope and the board's places alone:
    # kept compiled.
    key = ("board.open-issues", user.pk, scope_key(scope_for(user)), tuple(district_ids), tuple(authority_ids))
    waiting = kept_query(key, issues).rows()
    by_district = Counter(district_id for _pk, district_id in waiting)
    shown = [pk for pk, _district_id in waiting[:limit]]
    found = by_ids(
        ("board.open-issues.rows",),
        Issue.objects.select_related("district", "local_authority").defer("description", "attempts_detail", "outcome"),
        shown,
    )
    rows = [found[pk] for pk in shown]
    return {"rows": rows, "total": len(waiting), "by_district": dict(by_district)}
