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
from escalation.forms import (
    CommunicateForm,
    DirectorateForm,
    EscalateForm,
    GatewayForm,
    IssueForm,
    LaAttemptForm,
    ReopenForm,
    RereferForm,
    ResolveForm,
    UpdateForm,
)
from escalation.models import Direction, Issue, Level, LevelTarget, NationalDirectorate, Source, Status, level_label
from liaison.exports import csv_response
from liaison.forms import add_service_errors
from liaison.models import District, Role
from liaison.pagination import CappedPaginator, KeptPaginator
from liaison.querysets import kept_count, kept_query, scope_key
from liaison.scoping import scope_for


def _page(request: HttpRequest, queryset, size: int = 50):
    return CappedPaginator(queryset, size).get_page(request.GET.get("page")), _query_without_page(request)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def issue_list(request: HttpRequest) -> HttpResponse:
    # The page applies the filters to the user's scope itself (selectors.issue_pages).
    issue_filter = IssueFilter(request.GET, queryset=Issue.objects.none(), user=request.user)
    page = selectors.issue_pages(user=request.user, issue_filter=issue_filter).get_page(request.GET.get("page"))
    query = _query_without_page(request)
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
    initial = {}
    if request.method == "GET" and request.GET.get("district"):
        # From a district's page: that district is chosen, and the authorities offered are its own.
        initial["district"] = District.objects.visible_to(request.user).filter(code=request.GET["district"]).first()
    form = IssueForm(request.POST if request.method == "POST" else None, user=request.user, initial=initial)
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
    route.LA_ATTEMPT: LaAttemptForm,
    route.UPDATE: UpdateForm,
    route.REREFER: RereferForm,
    route.GATEWAY: GatewayForm,
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
    if action == route.REREFER:
        kwargs["candidates"] = selectors.referral_candidates(issue)
    if action == route.GATEWAY:
        kwargs["directorates"] = selectors.current_directorates()
    return ACTIONS[action](data, **kwargs)


def _detail(request: HttpRequest, issue: Issue, bound=None, status: int = 200) -> HttpResponse:
    allowed = route.allowed_actions(request.user, issue, holds=route.holds_level_as_read(request.user, issue))
    # A form the route would refuse is not offered: the page says what must happen first instead.
    blocked = route.blocked_actions(allowed, issue)
    forms = {action: _action_form(action, issue) for action in ACTIONS if action in allowed and action not in blocked}
    next_level = route.next_level(issue) if issue.is_open else None
    refusals = []
    if bound is not None and bound[0] in forms:
        forms[bound[0]] = bound[1]
    elif bound is not None:
        # What was tried is no longer open to this user (the issue moved on, or it never was): say why, and offer
        # no form that would only be refused again.
        refusals = list(bound[1].non_field_errors()) or ["That action is not open to you on this issue now."]
        bound = None
    due = gateway_target = None
    if issue.is_open:
        targets = selectors.level_targets()
        due = selectors.level_due(issue, targets)
        gateway_target = targets[LevelTarget.COO_GATEWAY]
    return render(
        request,
        "escalation/issue_detail.html",
        {
            "issue": issue,
            "steps": selectors.timeline(issue=issue),
            "other_authorities": list(issue.other_authorities.all()),
            "forms": forms,
            "blocked": blocked,
            "next_level": next_level,
            "next_level_label": Level(next_level).label if next_level else "",
            "due": due,
            "today": timezone.localdate(),
            "bound_form": bound[1] if bound is not None else None,
            "refusals": refusals,
            "gateway_target": gateway_target,
        },
        status=status,
    )


def _visible_issue(request: HttpRequest, pk: int) -> Issue:
    issue = selectors.issue_page(user=request.user, pk=pk)
    if issue is None:
        raise Http404("No issue matches the given query.")
    return issue


@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible_issue(request, pk))


SERVICES = {
    route.LA_ATTEMPT: services.issue_la_attempt_record,
    route.UPDATE: services.issue_update_record,
    route.REREFER: services.issue_rerefer,
    route.GATEWAY: services.issue_gateway_refer,
    route.ESCALATE: services.issue_escalate,
    route.RESOLVE: services.issue_resolve,
    route.COMMUNICATE: services.issue_communicate_outcome,
    route.REOPEN: services.issue_reopen,
}
DONE = {
    route.LA_ATTEMPT: "The LA's attempt has been recorded on the timeline.",
    route.UPDATE: "Your update has been recorded.",
    route.REREFER: "{ref} has been re-referred to {contact}, who has been told.",
    route.GATEWAY: "{ref} has been referred to the COO Gateway to pursue with {directorate}.",
    route.ESCALATE: "{ref} has been escalated to the {level}.",
    route.RESOLVE: "The outcome has been recorded. Now communicate it to the originator.",
    route.COMMUNICATE: "The outcome has been emailed: {ref} is now “Outcome communicated”.",
    route.REOPEN: "{ref} has been reopened with the {level}.",
}


@login_required
@require_POST
def issue_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    issue = _visible_issue(request, pk)
    if action not in ACTIONS:
        raise Http404("That is not an action on an issue.")
    form = _action_form(action, issue, request.POST)
    try:
        # Refused before the form is read: someone who may not act is told so, not shown their form's errors.
        route.check(request.user, issue, action, version=None)
    except route.Refused as refusal:
        form.add_error(None, refusal.message)
        return _detail(request, issue, bound=(action, form), status=409)
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
        issue.refresh_from_db()
        form.add_error(None, refusal.message)
        return _detail(request, issue, bound=(action, form), status=409)
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail(request, issue, bound=(action, form))
    messages.success(
        request,
        DONE[action].format(
            ref=updated.reference,
            level=updated.level_label,
            contact=updated.operational_contact.name if updated.operational_contact_id else "",
            directorate=updated.national_directorate,
        ),
    )
    return redirect(updated)


QUEUE_PAGE = 50
# The queue is what waits for the user; the open issues they logged follow, the newest few, and the issue list
# filtered to "Logged by: You" has them all.
RAISED_SHOWN = 10


@login_required
def my_queue(request: HttpRequest) -> HttpResponse:
    """What waits for the user, oldest first, a page at a time (the GPT's and the ODN's queues run to hundreds),
    and the newest of the open issues they logged (the rest are on the issue list)."""
    targets = selectors.level_targets()
    user = request.user
    # Asked on every visit, with SQL that depends on the user and their scope alone: kept compiled.
    key = ("queue", user.pk, scope_key(scope_for(user)))
    page = selectors.queue_pages(user=user, per_page=QUEUE_PAGE).get_page(request.GET.get("page"))
    selectors.with_due(page.object_list, targets)
    raised_shown = kept_query(
        (*key, "raised", RAISED_SHOWN), lambda: selectors.raised_by(user=user)[:RAISED_SHOWN]
    ).rows()
    raised_total = kept_count((*key, "raised"), lambda: selectors.raised_by(user=user))
    return render(
        request,
        "escalation/queue.html",
        {
            "page": page,
            "query": _query_without_page(request),
            "waiting": page.object_list,
            "raised": selectors.with_due(raised_shown, targets),
            "raised_total": raised_total,
        },
    )


@login_required
def national(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).national:
        raise PermissionDenied("The national queue and statistics are for the ODN, the GPT and administrators.")
    targets = selectors.level_targets()
    # The same for every national user: kept compiled. The national queue runs to a few hundred issues.
    page = KeptPaginator(("national.queue",), selectors.national_queue, 50).get_page(request.GET.get("page"))
    query = _query_without_page(request)
    selectors.with_due(page.object_list, targets)
    return render(
        request,
        "escalation/national.html",
        {
            "page": page,
            "query": query,
            "stats": selectors.national_statistics(),
            "keeps_directorates": scope_for(request.user).has_role(Role.GPT),
        },
    )


def _gpt_only(request: HttpRequest) -> None:
    if not scope_for(request.user).has_role(Role.GPT):
        raise PermissionDenied("Only the Governmental Partnerships Team keeps the list of national directorates.")


@login_required
def directorate_list(request: HttpRequest) -> HttpResponse:
    _gpt_only(request)
    return render(
        request,
        "escalation/directorate_list.html",
        {"directorates": selectors.directorate_list(), "form": DirectorateForm(button="Add the directorate")},
    )


@login_required
@require_POST
def directorate_add(request: HttpRequest) -> HttpResponse:
    _gpt_only(request)
    form = DirectorateForm(request.POST, button="Add the directorate")
    if form.is_valid():
        try:
            directorate = services.directorate_add(actor=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{directorate.name} has been added to the list.")
            return redirect("issue-directorates")
    return render(
        request,
        "escalation/directorate_list.html",
        {"directorates": selectors.directorate_list(), "form": form},
        status=200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def directorate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _gpt_only(request)
    directorate = get_object_or_404(NationalDirectorate, pk=pk)
    form = DirectorateForm(
        request.POST if request.method == "POST" else None, initial={"name": directorate.name}, button="Save the name"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.directorate_rename(actor=request.user, directorate=directorate, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The directorate's name has been changed.")
            return redirect("issue-directorates")
    return render(request, "escalation/directorate_form.html", {"directorate": directorate, "form": form})


@login_required
@require_POST
def directorate_retire(request: HttpRequest, pk: int) -> HttpResponse:
    _gpt_only(request)
    directorate = get_object_or_404(NationalDirectorate, pk=pk)
    retire = request.POST.get("retire") != "no"
    try:
        directorate = services.directorate_retire(actor=request.user, directorate=directorate, retire=retire)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"{directorate.name} has been retired: it is no longer offered, and issues sent to it keep its name."
            if retire
            else f"{directorate.name} is offered again.",
        )
    return redirect("issue-directorates")
