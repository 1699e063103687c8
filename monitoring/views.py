"""Pages of monitoring. Views stay thin: reads through selectors, writes through services.

Outside the user's scope a board or exercise is not found (404); in scope but not theirs to change, 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from boards.models import Board
from liaison.exports import csv_response, xlsx_response
from liaison.forms import add_service_errors
from liaison.pdf import pdf_response
from liaison.querysets import kept_query, scope_key
from liaison.scoping import scope_for
from monitoring import selectors, services
from monitoring.forms import (
    AreaForm,
    AttestationForm,
    CaseShapeForm,
    ExerciseForm,
    SampleCloseForm,
    SampleForm,
    StandardChangeForm,
    StandardForm,
    ThresholdForm,
    UploadForm,
)
from monitoring.models import (
    Area,
    Attestation,
    Exercise,
    Plan,
    Sample,
    Standard,
    StandardKind,
    Threshold,
    period_label,
    period_start,
)
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
    return render(
        request,
        "monitoring/standards.html",
        {"standards": selectors.standards(request.user), "can_keep": services.can_keep_catalogue(request.user)},
    )


def _standard_form_page(request: HttpRequest, *, board: Board | None) -> HttpResponse:
    form = StandardForm(request.POST if request.method == "POST" else None, local=board is not None)
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.standard_create(actor=request.user, board=board, **form.service_data())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Standard {standard.code} added: {standard.target_label}.")
            return redirect("monitoring:standard-detail", pk=standard.pk)
    if board is not None:
        context = {"title": "Add a local standard", "caption": board.title,
                   "back_url": reverse("monitoring:board", args=[board.pk]),
                   "intro": "A local standard is agreed by the board (Partnership Agreement 3.1.6) and only this "
                            "board uses it. A timeliness standard needs at least one threshold."}  # fmt: skip
    else:
        context = {"title": "Add a national standard", "caption": "The national catalogue",
                   "back_url": reverse("monitoring:standard-list"),
                   "intro": "Every board can monitor a national standard. A timeliness standard left without a "
                            "threshold cannot be monitored until one is added."}  # fmt: skip
    return render(request, "monitoring/form.html", {"form": form, **context})


@login_required
@require_http_methods(["GET", "POST"])
def local_standard_add(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board(request, pk)
    _require_monitor(request, board)
    return _standard_form_page(request, board=board)


@login_required
@require_http_methods(["GET", "POST"])
def national_standard_add(request: HttpRequest) -> HttpResponse:
    if not services.can_keep_catalogue(request.user):
        raise PermissionDenied("Only the Governmental Partnerships Team maintains the catalogue.")
    return _standard_form_page(request, board=None)


def _standard(request: HttpRequest, pk: int) -> Standard:
    return get_object_or_404(selectors.standards(request.user), pk=pk)


@login_required
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _standard(request, pk)
    return render(
        request,
        "monitoring/standard_detail.html",
        {
            "standard": standard,
            "thresholds": standard.thresholds.all(),
            "history": selectors.threshold_history(standard),
            "can_change": services.can_change_standard(request.user, standard),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    standard = _standard(request, pk)
    services.check_can_change_standard(request.user, standard)
    compliance = standard.kind == StandardKind.COMPLIANCE
    initial = {"title": standard.title, "compliance_target": standard.compliance_target}
    form = StandardChangeForm(
        request.POST if request.method == "POST" else None, initial=initial, compliance=compliance
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.standard_update(
                actor=request.user,
                standard=standard,
                title=form.cleaned_data["title"],
                compliance_target=form.cleaned_data.get("compliance_target"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{standard.code} is saved.")
            return redirect("monitoring:standard-detail", pk=standard.pk)
    context = {
        "form": form, "title": f"Change {standard.code}", "caption": f"{standard.code}: {standard.title}",
        "back_url": reverse("monitoring:standard-detail", args=[standard.pk]),
    }  # fmt: skip
    return render(request, "monitoring/form.html", context)


def _threshold_page(request: HttpRequest, standard: Standard, threshold: Threshold | None) -> HttpResponse:
    """Add a threshold to a standard (`threshold` None) or change one, for those who keep the standard."""
    services.check_can_change_standard(request.user, standard)
    if standard.kind != StandardKind.TIMELINESS:
        raise Http404("Only a timeliness standard has thresholds.")
    initial = {"percent": threshold.percent, "days": threshold.days} if threshold else None
    form = ThresholdForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if threshold is None:
                saved = services.threshold_add(actor=request.user, standard=standard, **form.cleaned_data)
            else:
                saved = services.threshold_change(actor=request.user, threshold=threshold, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{standard.code}: the threshold {saved.label} is saved.")
            return redirect("monitoring:standard-detail", pk=standard.pk)
    title = f"Change the threshold {threshold.label}" if threshold else f"Add a threshold to {standard.code}"
    context = {
        "form": form, "title": title, "caption": f"{standard.code}: {standard.title}",
        "back_url": reverse("monitoring:standard-detail", args=[standard.pk]),
    }  # fmt: skip
    return render(request, "monitoring/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def threshold_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _threshold_page(request, _standard(request, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def threshold_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visible = Standard.objects.visible_to(request.user).values("pk")
    threshold = get_object_or_404(Threshold.objects.select_related("standard__board"), standard__in=visible, pk=pk)
    return _threshold_page(request, threshold.standard, threshold)


@login_required
def board_monitoring(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board(request, pk)
    plans = list(selectors.board_plans(board))
    results = selectors.exercise_results(selectors.board_exercises(board))
    by_area: dict[int, list] = {}
    for result in results:
        by_area.setdefault(result.exercise.area_id, []).append(result)
    can_monitor = _can_monitor(request, board)
    mine = set(Area.objects.editable_by(request.user).filter(plan__board=board).values_list("pk", flat=True))
    for plan in plans:
        for area in plan.areas.all():
            area.results = by_area.get(area.pk, [])
            area.can_record = can_monitor or area.pk in mine
    return render(
        request,
        "monitoring/board.html",
        {
            "board": board,
            "plans": plans,
            "charts": selectors.period_series(results),
            "can_monitor": can_monitor,
            "current_start": period_start(timezone.localdate()),
            "local_standards": selectors.standards(request.user).filter(board=board),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def area_add(request: HttpRequest, pk: int) -> HttpResponse:
    board = _board(request, pk)
    _require_monitor(request, board)
    form = AreaForm(request.POST if request.method == "POST" else None, board=board)
    if request.method == "POST" and form.is_valid():
        try:
            services.area_select(actor=request.user, board=board, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['standard'].code} is now an area for this period.")
            return redirect("monitoring:board", pk=board.pk)
    return render(request, "monitoring/form.html", {"form": form, "board": board, "title": "Choose an area"})


@login_required
@require_http_methods(["GET", "POST"])
def case_shape_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The board narrows its case references to the shape of its case system (shown on every upload form)."""
    board = _board(request, pk)
    _require_monitor(request, board)
    current = services.board_shape(board)
    initial = {"shape": current.shape, "example": current.example} if current else {}
    form = CaseShapeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reference_shape_set(actor=request.user, board=board, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The shape of case references has been saved.")
            return redirect("monitoring:board", pk=board.pk)
    return render(request, "monitoring/form.html", {"form": form, "board": board, "title": "Shape of case references"})


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
    attestations = (
        Attestation.objects.filter(area__plan=plan)
        .select_related("area__standard", "attested_by")
        .order_by("area__standard__code", "attested_at")
    )
    context = {
        "board": board, "plan": plan, "results": results, "attestations": attestations,
        "today": timezone.localdate(),
    }  # fmt: skip
    return pdf_response("monitoring/pdf/report.html", context, f"monitoring-{board.pk}-{plan.period_start}.pdf")


def _area(request: HttpRequest, pk: int) -> Area:
    area = get_object_or_404(Area.objects.visible_to(request.user).select_related("plan__board", "standard"), pk=pk)
    _require_area_monitor(request, area)
    return area


def _require_area_monitor(request: HttpRequest, area: Area) -> None:
    if not services.can_monitor_area(request.user, area):
        raise PermissionDenied(services.AREA_REFUSAL)


@login_required
@require_http_methods(["GET", "POST"])
def exercise_add(request: HttpRequest, pk: int) -> HttpResponse:
    area = _area(request, pk)
    board = area.plan.board
    form = ExerciseForm(request.POST if request.method == "POST" else None, board=board)
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
    form = AttestationForm(request.POST if request.method == "POST" else None, parts=area.standard.attestation_parts)
    if request.method == "POST" and form.is_valid():
        try:
            services.attestation_record(
                actor=request.user,
                area=area,
                statement=form.cleaned_data["statement"],
                part=form.cleaned_data.get("part") or "",
            )
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
    # Open cases first in their own list, so the ones to close are found however long the sample is.
    open_samples = samples.filter(ended_on__isnull=True)
    # Every case, a page at a time (the count is the result's, so paging costs no extra query).
    paginator = Paginator(samples, CASES_PER_PAGE)
    paginator.count = result.samples
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/exercise.html",
        {
            "exercise": exercise,
            "board": exercise.area.plan.board,
            "result": result,
            "samples": page.object_list,
            "page": page,
            "shape": services.board_shape(exercise.area.plan.board),
            "open_samples": open_samples[:200],
            "sample_count": result.samples,
            "compliance": compliance,
            "can_monitor": services.can_monitor_area(request.user, exercise.area),
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
    _require_area_monitor(request, exercise.area)
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


CASES_PER_PAGE = 100
CASE_COLUMNS = ["Case reference", "Start date", "End date", "Working days", "Complied"]


def _case_rows(exercise):
    rows = Sample.objects.filter(exercise=exercise).order_by("started_on", "pk")
    for reference, started, ended, days, compliant in rows.values_list(
        "case_reference", "started_on", "ended_on", "working_days", "compliant"
    ).iterator(chunk_size=2000):
        complied = "" if compliant is None else ("Yes" if compliant else "No")
        yield [reference, started, ended or "", "" if days is None else days, complied]


@login_required
def exercise_cases_export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Every case of the exercise, as CSV or XLSX (formula-safe, never cached), for those who see the exercise."""
    if kind not in ("csv", "xlsx"):
        raise Http404("Cases are exported as CSV or XLSX.")
    exercise = _exercise(request, pk)
    filename = f"cases-{exercise.area.standard.code}-{exercise.pk}.{kind}"
    if kind == "csv":
        return csv_response(header=CASE_COLUMNS, rows=_case_rows(exercise), filename=filename)
    return xlsx_response(
        title=f"{exercise.area.standard.code} cases",
        header=CASE_COLUMNS,
        rows=_case_rows(exercise),
        filename=filename,
        widths=(24, 14, 14, 14, 10),
    )


@login_required
@require_POST
def exercise_upload(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = _exercise(request, pk)
    _require_area_monitor(request, exercise.area)
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
    _require_area_monitor(request, exercise.area)
    services.exercise_complete(actor=request.user, exercise=exercise)
    messages.success(request, "The exercise is marked complete.")
    return redirect(exercise)


@login_required
@require_http_methods(["GET", "POST"])
def sample_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the end date of a case still open; its working days are counted and stored."""
    sample = get_object_or_404(
        Sample.objects.visible_to(request.user).select_related(
            "exercise__area__plan__board", "exercise__area__standard", "exercise__local_authority"
        ),
        pk=pk,
    )
    exercise = sample.exercise
    _require_area_monitor(request, exercise.area)
    if sample.ended_on is not None:
        messages.info(request, f"Case {sample.case_reference} already ended on {sample.ended_on:%-d %B %Y}.")
        return redirect(exercise)
    form = SampleCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sample = services.sample_close(actor=request.user, sample=sample, ended_on=form.cleaned_data["ended_on"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Case {sample.case_reference} ended after {sample.working_days} working days.")
            return redirect(exercise)
    return render(
        request,
        "monitoring/form.html",
        {
            "form": form,
            "title": f"Record the end date of case {sample.case_reference}",
            "caption": f"{exercise.area.standard.code}: {exercise.local_authority.name}",
            "intro": f"The case started on {sample.started_on:%-d %B %Y}. Working days are counted on the calendar "
            f"of {exercise.local_authority.get_nation_display()}.",
            "back_url": exercise.get_absolute_url(),
        },
    )


@login_required
def national(request: HttpRequest) -> HttpResponse:
    """GPT's view: each standard's compliance by region and board for a period (counted by the database)."""
    if not scope_for(request.user).national:
        raise PermissionDenied("The national view is for the Governmental Partnerships Team.")
    starts = selectors.national_periods(request.user)
    chosen = request.GET.get("period", "")[:10]
    start = next((s for s in starts if s.isoformat() == chosen), starts[0] if starts else None)
    return render(
        request,
        "monitoring/national.html",
        {
            "tables": selectors.national_results(request.user, start) if start else [],
            # The same SQL on every visit for a scope and period: kept compiled.
            "attestations": kept_query(
                ("monitoring.attestations", scope_key(scope_for(request.user)), start),
                lambda: selectors.national_attestations(request.user, start),
            ).rows()
            if start
            else [],
            "periods": [(s, period_label(s)) for s in starts],
            "start": start,
            "period_label": period_label(start) if start else "",
        },
    )
