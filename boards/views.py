"""Pages of the Joint Boards. Views stay thin: reads through selectors (scoped), writes through services.

Outside the user's scope a board is "not found" (404); visible but not theirs to change is "forbidden" (403).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from boards import selectors, services
from boards.filters import BoardIndexFilter
from boards.forms import (
    ActionForm,
    ActionUpdateForm,
    AgendaItemForm,
    AgendaProposalForm,
    BoardForm,
    DevelopmentForm,
    GoodPracticeForm,
    GoodPracticeSearchForm,
    HoldMeetingForm,
    MeetingForm,
    MinutesCommentForm,
    MinutesForm,
    ProposalDecisionForm,
    ReturnForm,
    TransitionCompleteForm,
)
from boards.models import (
    STANDING_ITEMS,
    Action,
    Board,
    BoardScope,
    BoardStatus,
    GoodPractice,
    IndexReturn,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    NationalDevelopment,
)
from boards.panels import (
    attach_agenda_item_contents,
    render_board_panels,
    render_meeting_panels,
    transition_link,
)
from boards.rights import board_rights
from boards.services import RETURN_FIELDS
from liaison.exports import csv_response, xlsx_response
from liaison.forms import add_service_errors
from liaison.models import District, Role
from liaison.pagination import KeptPaginator, unfiltered
from liaison.pdf import pdf_response
from liaison.scoping import scope_for


def _board(request: HttpRequest, pk: int) -> Board:
    return get_object_or_404(Board.objects.visible_to(request.user), pk=pk)


def _can_edit(request: HttpRequest, board: Board) -> bool:
    return board_rights(request.user, board).edit


def _require_edit(request: HttpRequest, board: Board) -> None:
    if not _can_edit(request, board):
        raise PermissionDenied(
            f"Only the External Relations Manager of {board.title}'s district (or the Regional ERM) can change it."
        )


def _require_secretariat(request: HttpRequest, board: Board) -> None:
    if not services.can_do_secretariat(request.user, board):
        raise PermissionDenied(services.SECRETARIAT_REFUSAL)


def _meeting(request: HttpRequest, board_pk: int, pk: int) -> Meeting:
    try:
        return selectors.meeting_for(user=request.user, board_pk=board_pk, pk=pk)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting") from None


def _may_read_returns(request: HttpRequest, board: Board) -> bool:
    scope = scope_for(request.user)
    return scope.admin or scope.has_role(Role.GPT) or _can_edit(request, board)


def _may_read_chairs(request: HttpRequest) -> bool:
    scope = scope_for(request.user)
    return scope.admin or scope.has_role(Role.GPT)


@login_required
def board_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    boards = list(selectors.board_index(user=request.user, today=today))
    for board in boards:
        board.return_state = selectors.return_state(board, today)
    return render(
        request,
        "boards/board_list.html",
        {
            "boards": boards,
            "can_add": bool(scope_for(request.user).editable_district_ids),
            "transition_districts": District.objects.visible_to(request.user).filter(
                pk__in=scope_for(request.user).district_ids
            )
            if not scope_for(request.user).national
            else District.objects.none(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def board_create(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).editable_district_ids:
        raise PermissionDenied("Only a District External Relations Manager can set up a Joint Board.")
    form = BoardForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        initial={"scope": "joint", "meetings_per_year": 2},
    )
    if request.method == "POST" and form.is_valid():
        try:
            board = services.board_create(actor=request.user, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{board.title} has been set up.")
            return redirect(board)
    return render(request, "boards/form.html", {"form": form, "title": "Set up a Joint Board", "wide": True})


@login_required
@require_http_methods(["GET", "POST"])
def board_update(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board(request, pk)
    _require_edit(request, board)
    form = BoardForm(request.POST if request.method == "POST" else None, instance=board, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.board_update(actor=request.user, board=board, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{board.title} has been saved.")
            return redirect(board)
    return render(
        request, "boards/form.html", {"form": form, "title": f"Change {board.title}", "board": board, "wide": True}
    )


@login_required
def board_detail(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    try:
        board = selectors.board_detail(user=request.user, pk=pk, today=today)
    except Board.DoesNotExist:
        raise Http404("No such board") from None
    lists = selectors.board_page_lists(user=request.user, board=board)
    editable = scope_for(request.user).editable_district_ids
    return render(
        request,
        "boards/board_detail.html",
        {
            "board": board,
            "can_edit": _can_edit(request, board),
            "can_do_secretariat": services.can_do_secretariat(request.user, board),
            "is_member": board_rights(request.user, board).member,
            "may_confirm": [d for d in lists["waiting_districts"] if d.pk in editable],
            "return_state": selectors.return_state(board, today),
            "due_date": selectors.return_due_date(today.year),
            "may_read_returns": _may_read_returns(request, board),
            "panels": render_board_panels(request, board),
            "today": today,
            **lists,
        },
    )


@login_required
@require_POST
def board_status(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board(request, pk)
    _require_edit(request, board)
    status = request.POST.get("status", "")
    if status not in BoardStatus.values:
        messages.error(request, "Choose a status the board can move to.")
        return redirect(board)
    try:
        services.board_status_set(actor=request.user, board=board, status=status)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{board.title} is now {BoardStatus(status).label.lower()}.")
    return redirect(board)


@login_required
@require_POST
def board_district_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board(request, pk)
    district = get_object_or_404(District.objects.visible_to(request.user), code=request.POST.get("district", ""))
    try:
        services.board_district_confirm(actor=request.user, board=board, district=district)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{district.name} agrees to {board.title}.")
    return redirect(board)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board(request, pk)
    _require_secretariat(request, board)
    form = MeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(actor=request.user, board=board, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Meeting scheduled for {meeting.date:%-d %B %Y}.")
            return redirect(meeting)
    return render(request, "boards/form.html", {"form": form, "title": "Schedule a meeting", "board": board})


@login_required
def meeting_detail(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, meeting_pk)
    board = meeting.board
    return render(
        request,
        "boards/meeting_detail.html",
        {
            "board": board,
            "meeting": meeting,
            "can_edit": services.can_do_secretariat(request.user, board),
            "can_propose": services.can_propose(request.user, meeting),
            "can_comment": services.can_comment_on_minutes(request.user, meeting),
            "proposals": meeting.proposals.select_related("proposed_by", "decided_by"),
            "comments": meeting.minutes_comments.select_related("made_by"),
            "hold_refusal": selectors.hold_refusal(meeting, timezone.localdate()),
            "developments": selectors.developments_for(meeting),
            "developments_item": STANDING_ITEMS[4][0],
            "agenda": attach_agenda_item_contents(request, meeting, meeting.agenda_items.all()),
            "carried_forward": selectors.carried_forward_actions(meeting),
            "attendance": meeting.attendance.select_related("contact", "contact__role"),
            "actions": meeting.actions.select_related("owner"),
            "to_approve": selectors.previous_meeting_awaiting_approval(meeting)
            if meeting.status == MeetingStatus.HELD
            else None,
            "approved": meeting.minutes_status == MinutesStatus.APPROVED,
            "panels": render_meeting_panels(request, meeting),
        },
    )


def _meeting_form_page(request, pk, meeting_pk, *, form_class, title, save, success, form_kwargs=None, initial=None):
    """The shared shape of a meeting's forms: scope, permission, re-show on error, redirect on success."""
    meeting = _meeting(request, pk, meeting_pk)
    _require_secretariat(request, meeting.board)
    form = form_class(request.POST if request.method == "POST" else None, initial=initial, **(form_kwargs or {}))
    if request.method == "POST" and form.is_valid():
        try:
            save(meeting, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(meeting)
    return render(
        request, "boards/form.html", {"form": form, "title": title, "board": meeting.board, "meeting": meeting}
    )


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_add(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    return _meeting_form_page(
        request,
        pk,
        meeting_pk,
        form_class=AgendaItemForm,
        title="Add an agenda item",
        success="The item has been added to the agenda.",
        save=lambda meeting, data: services.agenda_item_add(
            actor=request.user, meeting=meeting, source=request.user.get_username(), kind="free", **data
        ),
    )


@login_required
@require_POST
def agenda_item_move(request: HttpRequest, pk: int, meeting_pk: int, item_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, meeting_pk)
    _require_secretariat(request, meeting.board)
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    try:
        services.agenda_item_move(actor=request.user, item=item, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{item.title}” has been moved.")
    return redirect(meeting)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_proposal_add(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, meeting_pk)
    if not services.can_propose(request.user, meeting) and meeting.status == MeetingStatus.SCHEDULED:
        raise PermissionDenied("Only the managers of the board's Local Authorities propose agenda items.")
    form = AgendaProposalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_proposal_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your item has been proposed: the board's secretariat will accept or decline it.")
            return redirect(meeting)
    return render(
        request,
        "boards/form.html",
        {"form": form, "title": "Propose an agenda item", "board": meeting.board, "meeting": meeting},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agenda_proposal_decide(request: HttpRequest, pk: int, meeting_pk: int, proposal_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, meeting_pk)
    _require_secretariat(request, meeting.board)
    proposal = get_object_or_404(meeting.proposals.select_related("proposed_by"), pk=proposal_pk)
    form = ProposalDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.agenda_proposal_decide(
                actor=request.user, proposal=proposal, accept=accept, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{proposal.title}” has been {'added to the agenda' if accept else 'declined'}.")
            return redirect(meeting)
    return render(
        request,
        "boards/form.html",
        {
            "form": form,
            "title": "Accept or decline a proposed item",
            "intro": f"{proposal.title}, proposed by {proposal.proposed_by.get_full_name()}. {proposal.body}",
            "board": meeting.board,
            "meeting": meeting,
        },
    )


@login_required
@require_POST
def minutes_circulate(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, meeting_pk)
    _require_secretariat(request, meeting.board)
    try:
        services.minutes_circulate(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The draft minutes have been circulated to the board's members for comment.")
    return redirect(meeting)


@login_required
@require_http_methods(["GET", "POST"])
def minutes_comment(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, meeting_pk)
    if not Board.objects.member_of(request.user).filter(pk=meeting.board_id).exists():
        raise PermissionDenied("Only members of this board comment on its minutes.")
    form = MinutesCommentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_comment_add(actor=request.user, meeting=meeting, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your comment on the minutes has been kept with the meeting.")
            return redirect(meeting)
    return render(
        request,
        "boards/form.html",
        {"form": form, "title": "Comment on the draft minutes", "board": meeting.board, "meeting": meeting},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_move(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, meeting_pk)
    return _meeting_form_page(
        request,
        pk,
        meeting_pk,
        form_class=MeetingForm,
        form_kwargs={"button": "Save and tell everyone invited"},
        initial={"date": meeting.date, "start_time": meeting.start_time, "location": meeting.location},
        title="Change the date, time or place",
        success="The meeting has been changed; everyone invited gets the updated invitation.",
        save=lambda meeting, data: services.meeting_move(actor=request.user, meeting=meeting, **data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_hold(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    board = _board(request, pk)
    return _meeting_form_page(
        request,
        pk,
        meeting_pk,
        form_class=HoldMeetingForm,
        form_kwargs={"people": selectors.board_contacts(board)},
        title="Record the meeting as held",
        success="The meeting has been recorded as held.",
        save=lambda meeting, data: services.meeting_hold(actor=request.user, meeting=meeting, **data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, meeting_pk)
    return _meeting_form_page(
        request,
        pk,
        meeting_pk,
        form_class=MinutesForm,
        initial={"minutes": meeting.minutes},
        title="Minutes",
        success="The draft minutes have been saved.",
        save=lambda meeting, data: services.minutes_save(actor=request.user, meeting=meeting, text=data["minutes"]),
    )


@login_required
@require_POST
def minutes_approve(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """At this meeting, approve the previous meeting's draft minutes."""
    meeting = _meeting(request, pk, meeting_pk)
    _require_secretariat(request, meeting.board)
    previous = selectors.previous_meeting_awaiting_approval(meeting)
    if previous is None:
        messages.error(request, "There are no draft minutes of the previous meeting to approve.")
        return redirect(meeting)
    try:
        services.minutes_approve(actor=request.user, meeting=previous, at_meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The minutes of {previous.date:%-d %B %Y} have been approved.")
    return redirect(meeting)


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    board = _board(request, pk)
    return _meeting_form_page(
        request,
        pk,
        meeting_pk,
        form_class=ActionForm,
        form_kwargs={"people": selectors.board_contacts(board)},
        title="Add an action",
        success="The action has been added.",
        save=lambda meeting, data: services.action_add(actor=request.user, meeting=meeting, **data),
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_update(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    board = _board(request, pk)
    action = get_object_or_404(Action.objects.filter(board=board).select_related("owner", "meeting"), pk=action_pk)
    if not services.action_can_update(request.user, action):
        raise PermissionDenied("Only the action's owner or the board's secretariat can update this action.")
    form = ActionUpdateForm(
        request.POST if request.method == "POST" else None, initial={"status": action.status, "update": action.update}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The action has been updated.")
            return redirect(board)
    return render(
        request,
        "boards/form.html",
        {"form": form, "title": "Update an action", "board": board, "action": action},
    )


@login_required
def meeting_pdf(request: HttpRequest, pk: int, meeting_pk: int, kind: str) -> HttpResponse:
    """The agenda pack of any meeting, or the minutes once approved."""
    meeting = _meeting(request, pk, meeting_pk)
    if kind == "minutes" and meeting.minutes_status != MinutesStatus.APPROVED:
        raise Http404("Minutes are published once approved at the next meeting.")
    context = {
        "board": meeting.board,
        "meeting": meeting,
        "agenda": attach_agenda_item_contents(request, meeting, meeting.agenda_items.all(), pdf=True),
        "carried_forward": selectors.carried_forward_actions(meeting),
        "attendance": meeting.attendance.select_related("contact", "contact__role"),
        "actions": meeting.actions.select_related("owner"),
        "members": meeting.board.members.select_related("role"),
        "panels": render_meeting_panels(request, meeting, pdf=True),
    }
    return pdf_response(f"boards/pdf/{kind}.html", context, f"{kind}-{meeting.board_id}-{meeting.date:%Y-%m-%d}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def good_practice_add(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board(request, pk)
    if not Board.objects.member_of(request.user).filter(pk=board.pk).exists():
        raise PermissionDenied("Only members of this board share good practice for it.")
    form = GoodPracticeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.good_practice_add(actor=request.user, board=board, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The good practice has been shared with every board.")
            return redirect(board)
    return render(request, "boards/form.html", {"form": form, "title": "Share good practice", "board": board})


@login_required
def good_practice(request: HttpRequest) -> HttpResponse:
    form = GoodPracticeSearchForm(request.GET)
    if form.is_valid():
        q = " ".join(form.terms())
        items = selectors.good_practice_search(user=request.user, q=q)
    else:
        # A search we refuse (too long, a NUL byte) shows its error and no results rather than everything.
        q, items = "", GoodPractice.objects.none()
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "boards/good_practice.html",
        {"page": page, "q": q, "form": form, "query": urlencode({"q": q}) if q else ""},
    )


@login_required
@require_http_methods(["GET", "POST"])
def developments(request: HttpRequest) -> HttpResponse:
    """National developments in policy and process: everyone reads them, GPT publishes them."""
    may_publish = services.can_publish_developments(request.user)
    if request.method == "POST" and not may_publish:
        raise PermissionDenied("Only the Governmental Partnerships Team publishes national developments.")
    form = DevelopmentForm(request.POST if request.method == "POST" else None) if may_publish else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.development_publish(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The development has been published: every board's next agenda lists it.")
            return redirect("boards:developments")
    page = Paginator(NationalDevelopment.objects.select_related("published_by"), 25).get_page(request.GET.get("page"))
    return render(request, "boards/developments.html", {"form": form, "page": page})


@login_required
def transition(request: HttpRequest, code: str) -> HttpResponse:
    district = get_object_or_404(District.objects.visible_to(request.user), code=code)
    items = list(district.transition_actions.select_related("completed_by"))
    for item in items:
        item.can_complete = item.completed_on is None and services.transition_can_complete(request.user, item)
        item.link = transition_link(item.code, district)
    return render(
        request,
        "boards/transition.html",
        {
            "district": district,
            "items": items,
            "today": timezone.localdate(),
            "can_seed": not items and District.objects.editable_by(request.user).filter(pk=district.pk).exists(),
        },
    )


@login_required
@require_POST
def transition_seed(request: HttpRequest, code: str) -> HttpResponse:
    district = get_object_or_404(District.objects.visible_to(request.user), code=code)
    count = services.transition_seed(actor=request.user, district=district)
    messages.success(request, f"{count} moving-on actions added to the checklist.")
    return redirect("boards:transition", code=district.code)


@login_required
@require_http_methods(["GET", "POST"])
def transition_complete(request: HttpRequest, code: str, item_pk: int) -> HttpResponse:
    district = get_object_or_404(District.objects.visible_to(request.user), code=code)
    item = get_object_or_404(district.transition_actions, pk=item_pk)
    if not services.transition_can_complete(request.user, item):
        raise PermissionDenied(f"This action is for {item.by_whom} to tick off.")
    form = TransitionCompleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.transition_complete(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The action has been ticked off.")
            return redirect("boards:transition", code=district.code)
    return render(
        request,
        "boards/form.html",
        {"form": form, "title": "Tick off a moving-on action", "intro": item.action, "district": district},
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_form(request: HttpRequest, pk: int) -> HttpResponse:
    """Appendix 3: the ERM checks the pre-filled stencil and submits; GPT reads the returns made."""
    board = _board(request, pk)
    if not _may_read_returns(request, board):
        raise PermissionDenied("Index returns are for the board's ERM and the Governmental Partnerships Team.")
    can_edit = _can_edit(request, board) and board.status != BoardStatus.WOUND_UP
    returns = board.returns.select_related("submitted_by")
    latest = returns.first()
    form = None
    if can_edit:
        initial = {**selectors.return_prefill(board), "previous": latest.pk if latest else None}
        form = ReturnForm(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = {field: form.cleaned_data.get(field) for field in RETURN_FIELDS}
            try:
                services.return_submit(
                    actor=request.user, board=board, data=data, previous_id=form.cleaned_data.get("previous")
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"The index return for {board.title} has been submitted.")
                return redirect("boards:return", pk=board.pk)
    elif request.method == "POST":
        raise PermissionDenied("Only the board's ERM submits its index return.")
    return render(
        request,
        "boards/return_form.html",
        {"board": board, "form": form, "returns": returns, "latest": latest},
    )


def _return_pdf(request: HttpRequest, board: Board, item: IndexReturn | None) -> HttpResponse:
    if not _may_read_returns(request, board):
        raise PermissionDenied("Index returns are for the board's ERM and the Governmental Partnerships Team.")
    if item is None:
        raise Http404("No return has been submitted for this board yet.")
    return pdf_response(
        "boards/pdf/return.html",
        {"item": item, "board": board, "scopes": BoardScope.choices},
        f"index-return-{board.pk}-{item.submitted_at:%Y-%m-%d}.pdf",
    )


@login_required
def return_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board(request, pk)
    return _return_pdf(request, board, board.returns.first())


@login_required
def return_pdf_one(request: HttpRequest, pk: int, return_pk: int) -> HttpResponse:
    board = _board(request, pk)
    return _return_pdf(request, board, get_object_or_404(board.returns, pk=return_pk))


# The national index and its exports.

INDEX_COLUMNS = [
    "Board",
    "Region",
    "Districts",
    "Local Authorities",
    "Scope",
    "Jobcentre Plus chair",
    "Local Authority chair",
    "First meeting",
    "Meetings in last 12 months",
    "Latest return",
    "Return this year",
    "Status",
]


# Each column's width in the spreadsheet (characters) and, as shares, in the PDF.
INDEX_WIDTHS = (40, 20, 30, 40, 22, 24, 24, 14, 12, 14, 14, 12)
INDEX_PER_PAGE = 50


def _index(request: HttpRequest, *, national: bool = False, page_number=None):
    """The index's boards after the filters: every board on the page (`national`), the user's scope in exports
    (GPT and administrators see every board either way). With a page number, that page of them and the page."""
    today = timezone.localdate()
    kept = page_number is not None and national and unfiltered(request.GET)
    # The unfiltered national page reads its rows by kept SQL below: the filter then only shows its form, and building
    # the queryset it would filter (four figures' subqueries) cost a fifth of the page.
    boards = Board.objects.none() if kept else selectors.index_boards(user=request.user, today=today, national=national)
    index_filter = BoardIndexFilter(request.GET, queryset=boards, user=request.user, national=national)
    page = None
    if page_number is None:
        boards = list(index_filter.qs)
    elif kept:
        # The national index unfiltered, as most visits see it: the same rows for everyone on a day, so its SQL is
        # kept compiled (the filters' values are not part of any key: a filtered index is built afresh).
        # Its rows' figures are the same for everyone until a meeting or return changes them: kept in the cache.
        paginator = KeptPaginator(
            ("boards.index", today),
            lambda: selectors.index_boards(user=request.user, today=today, national=True, figures=False),
            INDEX_PER_PAGE,
        )
        page = paginator.get_page(page_number)
        boards = list(page.object_list)
        selectors.national_figures_set(boards, today)
    else:
        page = Paginator(index_filter.qs, INDEX_PER_PAGE).get_page(page_number)
        boards = list(page.object_list)
    for board in boards:
        board.return_state = selectors.return_state(board, today)
    selectors.index_places(boards)
    if page is not None:
        return index_filter, boards, today, page
    return index_filter, boards, today


def _index_row(board: Board) -> list:
    districts = board.district_list
    return [
        board.title,
        ", ".join(sorted({d.region.name for d in districts})),
        ", ".join(d.name for d in districts),
        ", ".join(a.name for a in board.authority_list),
        board.get_scope_display(),
        board.jcp_chair.name if board.jcp_chair else "",
        board.la_chair.name if board.la_chair else "",
        board.first_meeting.isoformat() if board.first_meeting else "",
        board.meetings_last_12_months,
        timezone.localtime(board.latest_return).date().isoformat() if board.latest_return else "",
        {"submitted": "Submitted", "due": "Due", "overdue": "Overdue"}.get(board.return_state, "Not needed"),
        board.get_status_display(),
    ]


@login_required
def national_index(request: HttpRequest) -> HttpResponse:
    index_filter, boards, today, page = _index(request, national=True, page_number=request.GET.get("page") or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "boards/index.html",
        {
            "filter": index_filter,
            "boards": boards,
            "page": page,
            "visible_ids": selectors.openable_board_ids(user=request.user, boards=boards),
            "progress": selectors.index_progress(user=request.user, today=today, national=True),
            "query": query.urlencode(),
            "may_read_chairs": _may_read_chairs(request),
        },
    )


def _filename(stem: str, ext: str) -> str:
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.{ext}"


def _invalid_filters(request: HttpRequest, index_filter: BoardIndexFilter) -> HttpResponse | None:
    """django-filter drops an invalid value and filters by the rest, so an export would quietly be wider than
    asked for. Send the user back to the index, which shows what is wrong, instead."""
    if index_filter.is_valid():
        return None
    return redirect(f"{reverse('boards:index')}?{request.GET.urlencode()}")


@login_required
def index_export_csv(request: HttpRequest) -> HttpResponse:
    index_filter, boards, _ = _index(request)
    if refused := _invalid_filters(request, index_filter):
        return refused
    return csv_response(
        header=INDEX_COLUMNS,
        rows=(_index_row(board) for board in boards),
        filename=_filename("joint-boards-index", "csv"),
    )


@login_required
def index_export_xlsx(request: HttpRequest) -> HttpResponse:
    index_filter, boards, _ = _index(request)
    if refused := _invalid_filters(request, index_filter):
        return refused
    return xlsx_response(
        title="Joint Boards",
        header=INDEX_COLUMNS,
        rows=(_index_row(board) for board in boards),
        filename=_filename("joint-boards-index", "xlsx"),
        widths=INDEX_WIDTHS,
    )


@login_required
def index_export_pdf(request: HttpRequest) -> HttpResponse:
    index_filter, boards, today = _index(request)
    if refused := _invalid_filters(request, index_filter):
        return refused
    return pdf_response(
        "boards/pdf/index.html",
        {
            "boards": boards,
            "rows": [_index_row(b) for b in boards],
            "columns": INDEX_COLUMNS,
            # The columns' shares of the page: a table laid out at fixed widths takes WeasyPrint a fifth less time
            # than one it must measure every cell of first.
            "column_widths": [f"{width * 100 / sum(INDEX_WIDTHS):.1f}%" for width in INDEX_WIDTHS],
            "progress": selectors.index_progress(user=request.user, today=today),
            "today": today,
            "filters": [
                (str(index_filter.form.fields[name].label or name.title()), value)
                for name, value in request.GET.items()
                if value and name in index_filter.filters
            ],
        },
        _filename("joint-boards-index", "pdf"),
        reuse=True,
    )


CHAIRS_COLUMNS = ["Board", "Region", "Districts", "Side", "Name", "Job title", "Organisation", "Phone", "Email"]


@login_required
def chairs_csv(request: HttpRequest) -> HttpResponse:
    """Every board's two co-chairs with contact details, for the annual conference (GPT)."""
    if not _may_read_chairs(request):
        raise PermissionDenied("The chairs' list is for the Governmental Partnerships Team.")
    return csv_response(
        header=CHAIRS_COLUMNS, rows=_chairs_rows(request.user), filename=_filename("joint-board-chairs", "csv")
    )


def _chairs_rows(user):
    for board in selectors.chairs(user=user):
        districts = list(board.districts.all())
        for side, chair in (("Jobcentre Plus", board.jcp_chair), ("Local Authority", board.la_chair)):
            if chair is None:
                continue
            organisation = (
                str(chair.local_authority) if chair.local_authority_id else f"Jobcentre Plus {chair.district}"
            )
            yield (
                board.title,
                ", ".join(sorted({d.region.name for d in districts})),
                ", ".join(d.name for d in districts),
                side,
                chair.name,
                chair.job_title,
                organisation,
                chair.phone,
                chair.email,
            )
