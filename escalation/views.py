"""Pages of the escalation route. Views stay thin: reads through selectors, writes through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from escalation import route, selectors, services
from escalation.filters import IssueFilter
from escalation.forms import CommunicateForm, EscalateForm, IssueForm, ReopenForm, ResolveForm, UpdateForm
from escalation.models import Direction, Issue, Source, Status, level_label
from liaison.exports import csv_response
from liaison.forms import add_service_errors
from liaison.pagination import CappedPaginator
from liaison.scoping import scope_for


def _page(request: HttpRequest, queryset, size: int = 50):
    page = CappedPaginator(queryset, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@login_required
def issue_list(request: HttpRequest) -> HttpResponse:
    issue_filter = IssueFilter(request.GET, queryset=selectors.issue_list(user=request.user), user=request.user)
    page, query = _page(request, issue_filter.qs.order_by("-created_at", "-pk"))
    selectors.with_due(page.object_list, selectors.level_targets())
    return render(
        request,
        "escalation/issue_list.html",
        {
            "filter": issue_filter,
            "page": page,
            "query": query,
            "can_log": route.may_log_anything(request.user),
            "user_is_national": scope_for(request.user).national,
        },
    )


CSV_FIELDS = (
    "pk",
    "title",
    "direction",
    "status",
    "level",
    "la_manager_role",
    "level_since",
    "district__name",
    "local_authority__name",
    "local_authority__gss_code",
    "category__name",
    "source",
    "originator__name",
    "operational_contact__name",
    "national_directorate",
    "created_at",
    "resolved_at",
    "working_days_to_resolution",
    "closed_at",
    "outcome",
)
CSV_COLUMNS = [
    "Reference",
    "Title",
    "Raised",
    "Status",
    "Level",
    "At level since",
    "District",
    "Local Authority",
    "GSS code",
    "Category",
    "Source",
    "Originator",
    "Operational contact",
    "National directorate",
    "Logged",
    "Resolved",
    "Working days to resolution",
    "Outcome communicated",
    "Outcome",
]


@login_required
def issue_export(request: HttpRequest) -> HttpResponse:
    issue_filter = IssueFilter(request.GET, queryset=selectors.issue_list(user=request.user), user=request.user)
    if not issue_filter.is_valid():
        # django-filter drops an invalid value and filters by the rest, so the file would be wider than asked for.
        # The list page shows what is wrong instead.
        return redirect(f"{reverse('issue-list')}?{request.GET.urlencode()}")
    # Plain values rather than model instances: a national export is 100,000 rows.
    issues = issue_filter.qs.order_by("-created_at", "-pk").values_list(*CSV_FIELDS).iterator(chunk_size=2000)
    directions, statuses, sources = dict(Direction.choices), dict(Status.choices), dict(Source.choices)
    london = timezone.get_current_timezone()

    def when(value) -> str:
        return value.astimezone(london).strftime("%Y-%m-%d %H:%M") if value else ""

    rows = (
        (
            f"ISS-{pk:05d}",
            title,
            directions.get(direction, direction),
            statuses.get(status, status),
            level_label(level, la_manager_role),
            when(level_since),
            district,
            authority,
            gss_code,
            category,
            sources.get(source, source),
            originator,
            operational_contact or "",
            national_directorate,
            when(created_at),
            when(resolved_at),
            working_days,
            when(closed_at),
            outcome,
        )
        for (
            pk,
            title,
            direction,
            status,
            level,
            la_manager_role,
            level_since,
            district,
            authority,
            gss_code,
            category,
            source,
            originator,
            operational_contact,
            national_directorate,
            created_at,
            resolved_at,
            working_days,
            closed_at,
            outcome,
        ) in issues
    )
    return csv_response(header=CSV_COLUMNS, rows=rows, filename=f"issues-{timezone.localdate():%Y-%m-%d}.csv")


@login_required
@require_http_methods(["GET", "POST"])
def issue_create(request: HttpRequest) -> HttpResponse:
    if not route.may_log_anything(request.user):
        raise PermissionDenied("Your role does not log issues: ask the district's ERM or your LA manager.")
    form = IssueForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_log(actor=request.user, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            where = (
                f"referred to {issue.operational_contact.name}"
                if issue.level == "operational"
                else f"with the {issue.level_label}"
            )
            messages.success(request, f"{issue.reference} has been logged and is {where}.")
            return redirect(issue)
    return render(request, "escalation/issue_form.html", {"form": form})


ACTIONS = {
    route.UPDATE: UpdateForm,
    route.ESCALATE: EscalateForm,
    route.RESOLVE: ResolveForm,
    route.COMMUNICATE: CommunicateForm,
    route.REOPEN: ReopenForm,
}


def _action_form(action: str, issue: Issue, data=None):
    kwargs = {"issue": issue}
    if action == route.ESCALATE:
        kwargs["next_level"] = route.next_level(issue)
    if action == route.COMMUNICATE:
        kwargs["candidates"] = services.communication_candidates(issue)
    return ACTIONS[action](data, **kwargs)


def _detail(request: HttpRequest, issue: Issue, bound=None, status: int = 200) -> HttpResponse:
    allowed = route.allowed_actions(request.user, issue)
    # A form the route would refuse is not offered: the page says what must happen first instead.
    blocked = route.blocked_actions(allowed, issue)
    forms = {action: _action_form(action, issue) for action in ACTIONS if action in allowed and action not in blocked}
    if bound is not None:
        forms[bound[0]] = bound[1]
    due = None
    if issue.is_open:
        due = selectors.level_due(issue, selectors.level_targets())
    return render(
        request,
        "escalation/issue_detail.html",
        {
            "issue": issue,
            "steps": selectors.timeline(issue=issue),
            "other_authorities": list(issue.other_authorities.all()),
            "forms": forms,
            "blocked": blocked,
            "next_level": route.next_level(issue) if issue.is_open else None,
            "due": due,
            "today": timezone.localdate(),
            "bound_form": bound[1] if bound is not None else None,
        },
        status=status,
    )


def _visible_issue(request: HttpRequest, pk: int) -> Issue:
    return get_object_or_404(selectors.issue_list(user=request.user).select_related("district__region"), pk=pk)


@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible_issue(request, pk))


SERVICES = {
    route.UPDATE: services.issue_update_record,
    route.ESCALATE: services.issue_escalate,
    route.RESOLVE: services.issue_resolve,
    route.COMMUNICATE: services.issue_communicate_outcome,
    route.REOPEN: services.issue_reopen,
}
DONE = {
    route.UPDATE: "Your update has been recorded.",
    route.ESCALATE: "{ref} has been escalated to the {level}.",
    route.RESOLVE: "The outcome has been recorded. Now communicate it to the originator.",
    route.COMMUNICATE: "The outcome has been emailed and {ref} is closed.",
    route.REOPEN: "{ref} has been reopened with the {level}.",
}


@login_required
@require_POST
def issue_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    issue = _visible_issue(request, pk)
    if action not in ACTIONS:
        raise Http404("That is not an action on an issue.")
    form = _action_form(action, issue, request.POST)
    if not form.is_valid():
        return _detail(request, issue, bound=(action, form))
    try:
        updated = SERVICES[action](
            actor=request.user, issue=issue, version=form.cleaned_data["version"], **form.action_data()
        )
    except route.StaleIssue as refusal:
        issue.refresh_from_db()
        # Re-show what they typed, now against the version they have just been shown.
        data = request.POST.copy()
        data[form.add_prefix("version")] = str(issue.version)
        form = _action_form(action, issue, data)
        form.is_valid()
        form.add_error(None, refusal.message)
        return _detail(request, issue, bound=(action, form), status=409)
    except route.Refused as refusal:
        form.add_error(None, refusal.message)
        return _detail(request, issue, bound=(action, form), status=409)
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail(request, issue, bound=(action, form))
    messages.success(request, DONE[action].format(ref=updated.reference, level=updated.level_label))
    return redirect(updated)


@login_required
def my_queue(request: HttpRequest) -> HttpResponse:
    targets = selectors.level_targets()
    waiting = list(selectors.my_queue(user=request.user)[:200])
    raised = list(selectors.raised_by(user=request.user)[:200])
    return render(
        request,
        "escalation/queue.html",
        {"waiting": selectors.with_due(waiting, targets), "raised": selectors.with_due(raised, targets)},
    )


@login_required
def national(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).national:
        raise PermissionDenied("The national queue and statistics are for the ODN, the GPT and administrators.")
    targets = selectors.level_targets()
    page, query = _page(request, selectors.national_queue())
    selectors.with_due(page.object_list, targets)
    return render(
        request,
        "escalation/national.html",
        {"page": page, "query": query, "stats": selectors.national_statistics()},
    )
