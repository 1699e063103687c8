"""Pages of monitoring. Views stay thin: reads through selectors, writes through services.

Outside the user's scope a board or exercise is not found (404); in scope but not theirs to change, 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from boards.models import Board
from liaison.forms import add_service_errors
from liaison.pdf import pdf_response
from liaison.scoping import scope_for
from monitoring import selectors, services
from monitoring.forms import AreaForm, AttestationForm, ExerciseForm, SampleForm, UploadForm
from monitoring.models import Area, Exercise, Plan, Sample, StandardKind, period_start
from monitoring.querysets import monitorable_boards
from monitoring.uploads import UnreadableFile, read_rows


def _board(request: HttpRequest, pk: int) -> Board:
    return get_object_or_404(Board.objects.visible_to(request.user).prefetch_related("districts"), pk=pk)


def _can_monitor(request: HttpRequest, board: Board) -> bool:
    return monitorable_boards(request.user).filter(pk=board.pk).exists()


def _require_monitor(request: HttpRequest, board: Board) -> None:
    if not _can_monitor(request, board):
        raise PermissionDenied("Only the board's editors and its district's monitoring officer can change this.")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "monitoring/home.html",
        {
            "boards": selectors.board_summary(request.user),
            "period": Plan(period_start=period_start(timezone.localdate())),
            "national": scope_for(request.user).national,
        },
    )


@login_required
def standard_list(request: HttpRequest) -> HttpResponse:
    return render(request, "monitoring/standards.html", {"standards": selectors.standards(request.user)})


@login_required
def board_monitoring(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board(request, pk)
    plans = list(selectors.board_plans(board))
    results = selectors.exercise_results(selectors.board_exercises(board))
    by_area: dict[int, list] = {}
    for result in results:
        by_area.setdefault(result.exercise.area_id, []).append(result)
    for plan in plans:
        for area in plan.areas.all():
            area.results = by_area.get(area.pk, [])
    return render(
        request,
        "monitoring/board.html",
        {
            "board": board,
            "plans": plans,
            "charts": selectors.period_series(results),
            "can_monitor": _can_monitor(request, board),
            "current_start": period_start(timezone.localdate()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def area_add(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board(request, pk)
    _require_monitor(request, board)
    form = AreaForm(request.POST or None, board=board)
    if request.method == "POST" and form.is_valid():
        try:
            services.area_select(actor=request.user, board=board, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['standard'].code} is now an area for this period.")
            return redirect("monitoring:board", pk=board.pk)
    return render(request, "monitoring/form.html", {"form": form, "board": board, "title": "Choose an area"})


def _plan(request: HttpRequest, pk: int) -> Plan:
    plan = get_object_or_404(Plan.objects.visible_to(request.user).select_related("board"), pk=pk)
    _require_monitor(request, plan.board)
    return plan


@login_required
@require_POST
def plan_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    try:
        services.plan_confirm(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The areas for {plan.period_label} are confirmed.")
    return redirect("monitoring:board", pk=plan.board_id)


@login_required
@require_POST
def plan_send(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    try:
        meeting = services.results_send_to_meeting(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The results are on the agenda of the meeting of {meeting.date:%-d %B %Y}.")
    return redirect("monitoring:board", pk=plan.board_id)


@login_required
def plan_pdf(request: HttpRequest, pk: int, plan_pk: int) -> HttpResponse:
    board = _board(request, pk)
    plan = get_object_or_404(Plan.objects.filter(board=board), pk=plan_pk)
    results = selectors.exercise_results(Exercise.objects.filter(area__plan=plan))
    context = {"board": board, "plan": plan, "results": results, "today": timezone.localdate()}
    return pdf_response("monitoring/pdf/report.html", context, f"monitoring-{board.pk}-{plan.period_start}.pdf")


def _area(request: HttpRequest, pk: int) -> Area:
    area = get_object_or_404(Area.objects.visible_to(request.user).select_related("plan__board", "standard"), pk=pk)
    _require_monitor(request, area.plan.board)
    return area


@login_required
@require_http_methods(["GET", "POST"])
def exercise_add(request: HttpRequest, pk: int) -> HttpResponse:
    area = _area(request, pk)
    board = area.plan.board
    form = ExerciseForm(request.POST or None, board=board)
    if request.method == "POST" and form.is_valid():
        try:
            exercise = services.exercise_create(actor=request.user, area=area, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Exercise started: sample {exercise.required_size} cases.")
            return redirect(exercise)
    title = f"Start an exercise for {area.standard.code}"
    return render(request, "monitoring/form.html", {"form": form, "board": board, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def attest(request: HttpRequest, pk: int) -> HttpResponse:
    area = _area(request, pk)
    form = AttestationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attestation_record(actor=request.user, area=area, statement=form.cleaned_data["statement"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{area.standard.code} attested.")
            return redirect("monitoring:board", pk=area.plan.board_id)
    title = f"Attest {area.standard.code}"
    return render(request, "monitoring/form.html", {"form": form, "board": area.plan.board, "title": title})


def _exercise(request: HttpRequest, pk: int) -> Exercise:
    return get_object_or_404(
        Exercise.objects.visible_to(request.user).select_related(
            "area__plan__board", "area__standard", "local_authority"
        ),
        pk=pk,
    )


def _exercise_page(request, exercise, *, sample_form=None, upload_form=None, upload_errors=None, status=200):
    compliance = exercise.area.standard.kind == StandardKind.COMPLIANCE
    [result] = selectors.exercise_results(Exercise.objects.filter(pk=exercise.pk))
    samples = Sample.objects.filter(exercise=exercise).order_by("started_on", "pk")
    return render(
        request,
        "monitoring/exercise.html",
        {
            "exercise": exercise,
            "board": exercise.area.plan.board,
            "result": result,
            "samples": samples[:200],
            "sample_count": result.samples,
            "compliance": compliance,
            "can_monitor": _can_monitor(request, exercise.area.plan.board),
            "sample_form": sample_form or SampleForm(compliance=compliance),
            "upload_form": upload_form or UploadForm(),
            "upload_errors": upload_errors,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def exercise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    if request.method != "POST":
        return _exercise_page(request, exercise)
    _require_monitor(request, exercise.area.plan.board)
    form = SampleForm(request.POST, compliance=exercise.area.standard.kind == StandardKind.COMPLIANCE)
    if form.is_valid():
        try:
            services.sample_add(actor=request.user, exercise=exercise, **form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Case {form.cleaned_data['case_reference']} added.")
            return redirect(exercise)
    return _exercise_page(request, exercise, sample_form=form)


@login_required
@require_POST
def exercise_upload(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    _require_monitor(request, exercise.area.plan.board)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            columns, rows = read_rows(form.cleaned_data["file"])
            count = services.samples_import(actor=request.user, exercise=exercise, rows=rows, columns=columns)
        except UnreadableFile as error:
            form.add_error("file", str(error))
        except services.UploadRejected as rejected:
            form.add_error("file", f"The file was not saved: {rejected}. Correct them and upload it again.")
            return _exercise_page(request, exercise, upload_form=form, upload_errors=rejected.errors)
        else:
            messages.success(request, f"{count} case{'s' if count != 1 else ''} imported.")
            return redirect(exercise)
    return _exercise_page(request, exercise, upload_form=form)


@login_required
@require_POST
def exercise_complete(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    _require_monitor(request, exercise.area.plan.board)
    services.exercise_complete(actor=request.user, exercise=exercise)
    messages.success(request, "The exercise is marked complete.")
    return redirect(exercise)


@login_required
def national(request: HttpRequest) -> HttpResponse:
    """GPT's view: each standard's compliance by region and board for a period (counted by the database)."""
    if not scope_for(request.user).national:
        raise PermissionDenied("The national view is for the Governmental Partnerships Team.")
    starts = list(Plan.objects.order_by("-period_start").values_list("period_start", flat=True).distinct()[:6])
    chosen = request.GET.get("period", "")[:10]
    start = next((s for s in starts if s.isoformat() == chosen), starts[0] if starts else None)
    results = selectors.exercise_results(Exercise.objects.filter(area__plan__period_start=start)) if start else []
    rows: dict[tuple, dict] = {}
    for result in results:
        board = result.exercise.area.plan.board
        for row in result.rows:
            key = (result.exercise.area.standard.code, row.label, board.pk)
            entry = rows.setdefault(
                key, {"code": key[0], "threshold": row.label, "board": board, "target": row.target_percent,
                      "within": 0, "decided": 0},
            )  # fmt: skip
            entry["within"] += row.within
            entry["decided"] += row.decided
    board_ids = {key[2] for key in rows}
    regions = dict(
        Board.districts.through.objects.filter(board_id__in=board_ids)
        .order_by("district__region__name")
        .values_list("board_id", "district__region__name")
    )
    table = []
    for entry in sorted(rows.values(), key=lambda e: (e["code"], e["threshold"], regions.get(e["board"].pk) or "")):
        percent = round(100 * entry["within"] / entry["decided"], 1) if entry["decided"] else None
        table.append(
            {**entry, "region": regions.get(entry["board"].pk, ""), "percent": percent,
             "met": None if percent is None else percent >= entry["target"]}
        )  # fmt: skip
    return render(request, "monitoring/national.html", {"rows": table, "starts": starts, "start": start})
