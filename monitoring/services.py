"""Every write of monitoring: keyword-only, atomic, permission-checked, recorded as an event."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from boards.models import Board, Meeting, MeetingStatus
from boards.services import agenda_item_add
from liaison import calendar
from liaison.events import event_record
from liaison.models import LocalAuthority
from liaison.scoping import scope_for
from liaison.uploads import RowError, UploadRejected
from liaison.validators import case_reference_problem, shape_problems
from monitoring import notices
from monitoring.models import (
    MINIMUM_AREAS,
    Area,
    Attestation,
    CaseReferenceShape,
    Exercise,
    Plan,
    Sample,
    Standard,
    StandardKind,
    Threshold,
    period_start,
    proposed_sample_size,
)
from monitoring.querysets import eligible_monitors, monitorable_boards

# Two letters, six digits, an optional letter; spaces anywhere between; any case.
NINO_SHAPE = re.compile(r"^\s*[a-z]\s*[a-z](\s*\d){6}\s*[a-z]?\s*$", re.IGNORECASE)


def is_nino_shaped(value: str) -> bool:
    return bool(NINO_SHAPE.match(value or ""))


def board_shape(board: Board) -> CaseReferenceShape | None:
    return CaseReferenceShape.objects.filter(board=board).first()


@transaction.atomic
def case_reference_shape_set(*, actor, board: Board, shape: str, example: str) -> CaseReferenceShape:
    """Narrow the board's case references to the shape of its case system (an empty shape removes it)."""
    check_can_monitor(actor, board)
    shape = (shape or "").strip()
    existing = CaseReferenceShape.objects.select_for_update().filter(board=board).first()
    if not shape:
        if existing is not None:
            existing.delete()
            event_record(
                kind="monitoring.case-shape-removed",
                summary=f"{board.title}: own shape of case reference removed",
                actor=actor,
                subject=board,
                district=_district(board),
            )
        return None
    errors = shape_problems(shape, example)
    if errors:
        raise ValidationError(errors)
    record = existing or CaseReferenceShape(board=board)
    record.shape, record.example, record.changed_by, record.changed_at = shape, example.strip(), actor, timezone.now()
    record.save()
    event_record(
        kind="monitoring.case-shape-set",
        summary=f"{board.title}: case references have the shape {shape}",
        actor=actor,
        subject=board,
        district=_district(board),
    )
    return record


def check_can_monitor(actor, board: Board) -> None:
    if not monitorable_boards(actor).filter(pk=board.pk).exists():
        raise PermissionDenied("Only the board's editors and its district's monitoring officer can change this.")


AREA_REFUSAL = "Only the area's monitor, the board's editors and its district's monitoring officer can record this."


def can_monitor_area(actor, area: Area) -> bool:
    return Area.objects.editable_by(actor).filter(pk=area.pk).exists()


def check_can_monitor_area(actor, area: Area) -> None:
    """An area's samples, uploads and attestations: its named monitor, the board's editors and its districts'
    monitoring officers."""
    if not can_monitor_area(actor, area):
        raise PermissionDenied(
            "Only the area's monitor, the board's editors and its district's monitoring officer can record this."
        )


def _district(board: Board):
    return board.districts.order_by("name").first()


# --- Standards -------------------------------------------------------------------------------------------------


def can_keep_catalogue(actor) -> bool:
    """The Governmental Partnerships Team (and administrators) keep the national catalogue."""
    scope = scope_for(actor)
    return scope.admin or scope.has_role("gpt")


def can_change_standard(actor, standard: Standard) -> bool:
    if standard.board_id is None:
        return can_keep_catalogue(actor)
    return monitorable_boards(actor).filter(pk=standard.board_id).exists()


def check_can_change_standard(actor, standard: Standard) -> None:
    if not can_change_standard(actor, standard):
        if standard.board_id is None:
            raise PermissionDenied("Only the Governmental Partnerships Team maintains the national catalogue.")
        raise PermissionDenied("Only the board's editors and its district's monitoring officer change its standards.")


def _threshold_errors(percent: int | None, days: int | None) -> dict[str, str]:
    errors = {}
    if percent is None or not 1 <= percent <= 100:
        errors["percent"] = "Enter a percentage from 1 to 100"
    if days is None or not 1 <= days <= 365:
        errors["days"] = "Enter a number of working days from 1 to 365"
    return errors


@transaction.atomic
def standard_create(
    *,
    actor,
    code: str,
    title: str,
    kind: str,
    thresholds: list[tuple[int, int]] | None = None,
    compliance_target: int | None = None,
    board: Board | None = None,
) -> Standard:
    """GPT keeps the national catalogue; a board's editors may add a local standard only it uses (PA 3.1.6)."""
    if board is None:
        if not can_keep_catalogue(actor):
            raise PermissionDenied("Only the Governmental Partnerships Team maintains the catalogue.")
    else:
        check_can_monitor(actor, board)
    thresholds = thresholds or []
    code = (code or "").strip().upper()
    title = (title or "").strip()
    errors: dict[str, str] = {}
    if not code:
        errors["code"] = "Enter a short code for the standard, like LOC-1"
    elif len(code) > 20:
        errors["code"] = "The code must be 20 characters or fewer"
    elif Standard.objects.filter(code=code, board=None).exists():
        errors["code"] = f"{code} is a national standard's code: give the standard a code of its own"
    elif board is not None and Standard.objects.filter(code=code, board=board).exists():
        errors["code"] = f"The board already has a local standard {code}"
    elif board is None and Standard.objects.filter(code=code).exists():
        # Boards already using the code would see two standards of that code in their areas and reports.
        errors["code"] = f"A board's local standard already uses {code}: choose another code"
    if not title:
        errors["title"] = "Enter what the standard measures"
    if kind not in StandardKind.values:
        errors["kind"] = "Choose the kind of standard"
    elif kind == StandardKind.COMPLIANCE:
        if compliance_target is None or not 1 <= compliance_target <= 100:
            errors["compliance_target"] = "Enter the share of cases that must comply, from 1 to 100"
    elif kind == StandardKind.TIMELINESS:
        # A board's own standard comes with its target; a national one may leave it to local agreement (FRD-2).
        if board is not None and not thresholds:
            errors["thresholds"] = "Give at least one threshold: a percentage of cases within a number of working days"
        if len({days for _percent, days in thresholds}) != len(thresholds):
            errors["thresholds"] = "Each threshold needs a different number of working days"
        for percent, days in thresholds:
            problems = _threshold_errors(percent, days)
            if problems:
                errors["thresholds"] = " and ".join(problems.values())
    elif thresholds:
        errors["thresholds"] = "Only a timeliness standard has working-day thresholds"
    if errors:
        raise ValidationError(errors)
    standard = Standard(
        code=code,
        title=title,
        kind=kind,
        board=board,
        compliance_target=compliance_target if kind == StandardKind.COMPLIANCE else None,
    )
    standard.full_clean()
    standard.save()
    for percent, days in sorted(thresholds, key=lambda t: t[1]):
        threshold = Threshold(standard=standard, percent=percent, days=days)
        threshold.full_clean()
        threshold.save()
    event_record(
        kind="monitoring.standard-created",
        summary=f"Standard {standard.code} added{f' for {board.title}' if board else ''}: {standard.target_label}",
        actor=actor,
        subject=standard,
        district=_district(board) if board else None,
    )
    return standard


@transaction.atomic
def standard_update(*, actor, standard: Standard, title: str, compliance_target: int | None = None) -> Standard:
    """Change a standard's wording, or a compliance standard's target; completed exercises keep the target they had."""
    standard = Standard.objects.select_for_update(of=("self",)).select_related("board").get(pk=standard.pk)
    check_can_change_standard(actor, standard)
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = "Enter what the standard measures"
    if standard.kind == StandardKind.COMPLIANCE:
        if compliance_target is None or not 1 <= compliance_target <= 100:
            errors["compliance_target"] = "Enter the share of cases that must comply, from 1 to 100"
    else:
        compliance_target = standard.compliance_target
    if errors:
        raise ValidationError(errors)
    before = (standard.title, standard.compliance_target)
    if before == (title, compliance_target):
        return standard
    standard.title, standard.compliance_target = title, compliance_target
    standard.full_clean()
    standard.save()
    changes = []
    if before[0] != title:
        changes.append(f"now reads “{title}”")
    if before[1] != compliance_target:
        changes.append(f"compliance target {before[1]}% changed to {compliance_target}%")
    event_record(
        kind="monitoring.standard-changed",
        summary=f"{standard.code}: {'; '.join(changes)}",
        actor=actor,
        subject=standard,
        district=_district(standard.board) if standard.board else None,
        data={"title": title, "compliance_target": compliance_target},
    )
    return standard


def _threshold_save(*, actor, standard: Standard, threshold: Threshold, percent: int, days: int) -> Threshold:
    """Check and save a new or changed threshold of a locked standard, and record it."""
    check_can_change_standard(actor, standard)
    if standard.kind != StandardKind.TIMELINESS:
        raise ValidationError("Only a timeliness standard has working-day thresholds.")
    errors = _threshold_errors(percent, days)
    if "days" not in errors and standard.thresholds.filter(days=days).exclude(pk=threshold.pk).exists():
        errors["days"] = f"{standard.code} already has a threshold at {days} working days: change that one instead"
    if errors:
        raise ValidationError(errors)
    before = threshold.label if threshold.pk else None
    if before is not None and (threshold.percent, threshold.days) == (percent, days):
        return threshold
    threshold.percent, threshold.days = percent, days
    threshold.full_clean()
    threshold.save()
    event_record(
        kind="monitoring.threshold-changed" if before else "monitoring.threshold-added",
        summary=f"{standard.code}: threshold {f'{before} changed to ' if before else ''}{threshold.label}"
        f"{'' if before else ' added'}",
        actor=actor,
        subject=standard,
        district=_district(standard.board) if standard.board else None,
        data={"threshold": threshold.pk, "percent": percent, "days": days},
    )
    return threshold


@transaction.atomic
def threshold_add(*, actor, standard: Standard, percent: int, days: int) -> Threshold:
    """Add 'percent% within days working days' to a timeliness standard: GPT for national ones, a board for its own."""
    standard = Standard.objects.select_for_update(of=("self",)).select_related("board").get(pk=standard.pk)
    return _threshold_save(
        actor=actor, standard=standard, threshold=Threshold(standard=standard), percent=percent, days=days
    )


@transaction.atomic
def threshold_change(*, actor, threshold: Threshold, percent: int, days: int) -> Threshold:
    """Change a threshold in place; its history keeps every earlier value (thresholds are never deleted)."""
    standard = Standard.objects.select_for_update(of=("self",)).select_related("board").get(pk=threshold.standard_id)
    threshold = Threshold.objects.get(pk=threshold.pk)
    return _threshold_save(actor=actor, standard=standard, threshold=threshold, percent=percent, days=days)


# --- Plans and areas -------------------------------------------------------------------------------------------


@transaction.atomic
def area_select(
    *, actor, board: Board, standard: Standard, local_risk: str, monitor, on: datetime.date | None = None
) -> Area:
    """Choose a standard to monitor in the period containing `on` (today by default), for a named local risk."""
    check_can_monitor(actor, board)
    if standard.board_id not in (None, board.pk):
        raise ValidationError({"standard": "That local standard belongs to another board."})
    if not standard.has_target:
        raise ValidationError(
            {"standard": f"{standard.code} has no measurable target yet: give it a threshold before monitoring it"}
        )
    start = period_start(on or timezone.localdate())
    plan, _ = Plan.objects.select_for_update().get_or_create(board=board, period_start=start)
    if Area.objects.filter(plan=plan, standard=standard).exists():
        raise ValidationError({"standard": f"{standard.code} is already an area for this period."})
    if monitor is None or not eligible_monitors(board).filter(pk=monitor.pk).exists():
        raise ValidationError(
            {
                "monitor": "Choose a monitor from the board's districts or Local Authorities (a monitoring officer "
                "or manager)"
            }
        )
    area = Area(plan=plan, standard=standard, local_risk=(local_risk or "").strip(), monitor=monitor)
    if not area.local_risk:
        raise ValidationError({"local_risk": "Name the local risk this area is aligned with"})
    area.full_clean()
    area.save()
    event_record(
        kind="monitoring.area-selected",
        summary=f"{board.title}: {standard.code} chosen for {plan.period_label}",
        actor=actor,
        subject=area,
        district=_district(board),
    )
    notices.area_assigned(area=area, actor=actor)
    return area


@transaction.atomic
def plan_confirm(*, actor, plan: Plan) -> Plan:
    plan = Plan.objects.select_for_update().select_related("board").get(pk=plan.pk)
    check_can_monitor(actor, plan.board)
    count = plan.areas.count()
    if count < MINIMUM_AREAS:
        raise ValidationError(f"Choose at least {MINIMUM_AREAS} areas before confirming: this period has {count}.")
    plan.confirmed_at = timezone.now()
    plan.confirmed_by = actor
    plan.save()
    event_record(
        kind="monitoring.plan-confirmed",
        summary=f"{plan.board.title}: {count} monitoring areas confirmed for {plan.period_label}",
        actor=actor,
        subject=plan,
        district=_district(plan.board),
    )
    return plan


# --- Exercises -------------------------------------------------------------------------------------------------


@transaction.atomic
def exercise_create(
    *,
    actor,
    area: Area,
    local_authority: LocalAuthority,
    sampled_from: datetime.date,
    sampled_to: datetime.date,
    throughput: int,
    agreed_size: int | None = None,
    agreed_size_reason: str = "",
) -> Exercise:
    area = Area.objects.select_related("plan__board", "standard").get(pk=area.pk)
    board = area.plan.board
    check_can_monitor_area(actor, area)
    errors: dict[str, str] = {}
    if area.standard.kind == StandardKind.ATTESTATION:
        errors["area"] = "An attestation standard has no sample: record an attestation instead."
    if not board.local_authorities.filter(pk=local_authority.pk).exists():
        errors["local_authority"] = "Choose one of the board's Local Authorities"
    if sampled_to < sampled_from:
        errors["sampled_to"] = "The last day sampled must be on or after the first"
    if sampled_to > timezone.localdate():
        errors["sampled_to"] = "The last day sampled cannot be in the future"
    plan = area.plan
    if "sampled_to" not in errors and (sampled_from < plan.period_start or sampled_to > plan.period_end):
        errors["sampled_from"] = (
            f"The days sampled must lie within the period monitored, {plan.period_start:%-d %B %Y} to "
            f"{plan.period_end:%-d %B %Y}"
        )
    if throughput is None or throughput < 1:
        errors["throughput"] = "Enter the number of relevant cases in the days sampled: at least 1"
    proposed = proposed_sample_size(throughput or 0)
    reason = (agreed_size_reason or "").strip()
    if agreed_size is not None:
        if agreed_size < 1 or agreed_size >= proposed:
            errors["agreed_size"] = f"An agreed size must be at least 1 and smaller than the proposed {proposed}"
        elif not reason:
            errors["agreed_size_reason"] = "Give the reason for the smaller sample size"
    if errors:
        raise ValidationError(errors)
    exercise = Exercise(
        area=area,
        local_authority=local_authority,
        sampled_from=sampled_from,
        sampled_to=sampled_to,
        throughput=throughput,
        proposed_size=proposed,
        agreed_size=agreed_size,
        agreed_size_reason=reason if agreed_size is not None else "",
        required_size=agreed_size if agreed_size is not None else proposed,
        created_by=actor,
    )
    exercise.full_clean()
    exercise.save()
    event_record(
        kind="monitoring.exercise-created",
        summary=(
            f"{board.title}: {area.standard.code} exercise for {local_authority.name}, "
            f"sample of {exercise.required_size}"
        ),
        actor=actor,
        subject=exercise,
        district=_district(board),
        local_authority=local_authority,
    )
    return exercise


@transaction.atomic
def exercise_complete(*, actor, exercise: Exercise) -> Exercise:
    exercise = Exercise.objects.select_for_update().select_related("area__plan__board").get(pk=exercise.pk)
    check_can_monitor_area(actor, exercise.area)
    if exercise.completed_at is None:
        exercise.completed_at = timezone.now()
        exercise.save()
        event_record(
            kind="monitoring.exercise-completed",
            summary=f"{exercise.area.plan.board.title}: {exercise} completed",
            actor=actor,
            subject=exercise,
            district=_district(exercise.area.plan.board),
        )
    return exercise


# --- Samples ---------------------------------------------------------------------------------------------------


def _check_sample(
    *,
    reference: str,
    started_on: datetime.date | None,
    ended_on: datetime.date | None,
    compliant: bool | None,
    compliance: bool,
    today: datetime.date,
    shape: CaseReferenceShape | None = None,
) -> dict[str, str]:
    """Problems with one sample, by field; empty when it may be saved."""
    errors: dict[str, str] = {}
    if problem := case_reference_problem(reference):
        errors["case_reference"] = problem
    elif shape is not None and not shape.pattern.fullmatch(reference):
        errors["case_reference"] = (
            f"It does not have the board's shape of case reference, {shape.shape} (for example {shape.example})"
        )
    if started_on is None:
        errors["started_on"] = "Enter the start date"
    elif started_on > today:
        errors["started_on"] = "The start date cannot be in the future"
    if ended_on is not None:
        if ended_on > today:
            errors["ended_on"] = "The end date cannot be in the future"
        elif started_on is not None and ended_on < started_on:
            errors["ended_on"] = "The end date must be on or after the start date"
    if compliance and compliant is None:
        errors["compliant"] = "Say whether the case complied (yes or no)"
    return errors


def _editable_exercise(actor, exercise: Exercise) -> Exercise:
    exercise = Exercise.objects.select_related("area__plan__board", "area__standard", "local_authority").get(
        pk=exercise.pk
    )
    check_can_monitor_area(actor, exercise.area)
    if exercise.area.standard.kind == StandardKind.ATTESTATION:
        raise ValidationError("An attestation standard has no samples.")
    return exercise


@transaction.atomic
def sample_add(
    *,
    actor,
    exercise: Exercise,
    case_reference: str,
    started_on: datetime.date | None,
    ended_on: datetime.date | None = None,
    compliant: bool | None = None,
) -> Sample:
    exercise = _editable_exercise(actor, exercise)
    reference = (case_reference or "").strip()
    compliance = exercise.area.standard.kind == StandardKind.COMPLIANCE
    errors = _check_sample(
        reference=reference, started_on=started_on, ended_on=ended_on, compliant=compliant,
        compliance=compliance, today=timezone.localdate(), shape=board_shape(exercise.area.plan.board),
    )  # fmt: skip
    if not errors.get("case_reference") and exercise.samples.filter(case_reference__iexact=reference).exists():
        errors["case_reference"] = "This case is already in the sample"
    if errors:
        raise ValidationError(errors)
    sample = Sample(
        exercise=exercise,
        case_reference=reference,
        started_on=started_on,
        ended_on=ended_on,
        working_days=(
            calendar.working_days_between(started_on, ended_on, exercise.local_authority.nation) if ended_on else None
        ),
        compliant=compliant if compliance else None,
        created_by=actor,
    )
    sample.save()
    event_record(
        kind="monitoring.sample-added",
        summary=f"Case {reference} added to {exercise}",
        actor=actor,
        subject=exercise,
        district=_district(exercise.area.plan.board),
        local_authority=exercise.local_authority,
        data={"sample": sample.pk},
    )
    return sample


@transaction.atomic
def sample_close(*, actor, sample: Sample, ended_on: datetime.date | None) -> Sample:
    """Record the end date of a case that was still open; the working days are counted now and stored."""
    sample = Sample.objects.select_for_update().get(pk=sample.pk)
    exercise = _editable_exercise(actor, sample.exercise)
    if ended_on is None:
        raise ValidationError({"ended_on": "Enter the end date"})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": "The end date cannot be in the future"})
    if ended_on < sample.started_on:
        raise ValidationError(
            {"ended_on": f"The end date must be on or after the start date, {sample.started_on:%-d %B %Y}"}
        )
    before = sample.ended_on
    sample.ended_on = ended_on
    sample.working_days = calendar.working_days_between(sample.started_on, ended_on, exercise.local_authority.nation)
    sample.save()
    event_record(
        kind="monitoring.sample-closed",
        summary=f"Case {sample.case_reference} of {exercise} ended on {ended_on:%-d %B %Y}"
        f"{f' (was {before:%-d %B %Y})' if before else ''}: {sample.working_days} working days",
        actor=actor,
        subject=exercise,
        district=_district(exercise.area.plan.board),
        local_authority=exercise.local_authority,
        data={"sample": sample.pk},
    )
    return sample


@transaction.atomic
def samples_import(*, actor, exercise: Exercise, rows: list[dict], columns: list[str]) -> int:
    """Save every row, or none: any bad row refuses the whole file with every error by row and column.

    `rows` come from `monitoring.uploads.read_rows` (parsed dates, row numbers as in the file).
    """
    from monitoring.uploads import expected_columns

    exercise = _editable_exercise(actor, exercise)
    compliance = exercise.area.standard.kind == StandardKind.COMPLIANCE
    wanted = expected_columns(compliance)
    errors: list[RowError] = []
    missing = [c for c in wanted if c not in columns]
    unknown = [c for c in columns if c not in wanted]
    for column in missing:
        errors.append(RowError(1, column, "This column is missing from the header row"))
    for column in unknown:
        errors.append(RowError(1, column or "(blank)", f"Unknown column: use only {', '.join(wanted)}"))
    if errors:
        raise UploadRejected(errors)
    if not rows:
        raise UploadRejected([RowError(2, wanted[0], "The file has no rows of samples")])

    today = timezone.localdate()
    shape = board_shape(exercise.area.plan.board)
    existing = {r.lower() for r in exercise.samples.values_list("case_reference", flat=True)}
    seen: dict[str, int] = {}
    nation = exercise.local_authority.nation
    samples = []
    for row in rows:
        number = row["row"]
        for column, message in row["errors"].items():
            errors.append(RowError(number, column, message))
        reference = row["case_reference"]
        found = _check_sample(
            reference=reference, started_on=row["start_date"], ended_on=row["end_date"],
            compliant=row.get("compliant"), compliance=compliance, today=today, shape=shape,
        )  # fmt: skip
        key = reference.lower()
        if reference and "case_reference" not in found:
            if key in existing:
                found["case_reference"] = "This case is already in the sample"
            elif key in seen:
                found["case_reference"] = f"This case reference is also on row {seen[key]}"
            else:
                seen[key] = number
        column_of = {"case_reference": "case_reference", "started_on": "start_date", "ended_on": "end_date"}
        for field, message in found.items():
            column = column_of.get(field, field)
            if column not in row["errors"]:
                errors.append(RowError(number, column, message))
        if errors:
            continue
        ended = row["end_date"]
        samples.append(
            Sample(
                exercise=exercise,
                case_reference=reference,
                started_on=row["start_date"],
                ended_on=ended,
                working_days=calendar.working_days_between(row["start_date"], ended, nation) if ended else None,
                compliant=row.get("compliant") if compliance else None,
                created_by=actor,
            )
        )
    if errors:
        raise UploadRejected(
            sorted(errors, key=lambda e: (e.row, wanted.index(e.column) if e.column in wanted else 99))
        )
    bulk_create_with_history(samples, Sample, batch_size=1000, default_user=actor)
    event_record(
        kind="monitoring.samples-imported",
        summary=f"{len(samples)} samples imported into {exercise}",
        actor=actor,
        subject=exercise,
        district=_district(exercise.area.plan.board),
        local_authority=exercise.local_authority,
        data={"rows": len(samples)},
    )
    return len(samples)


# --- Attestations and results ----------------------------------------------------------------------------------


@transaction.atomic
def attestation_record(*, actor, area: Area, statement: str, part: str = "") -> Attestation:
    """Attest an attestation standard; ARR-1 is attested for administration and for fraud separately."""
    area = Area.objects.select_related("plan__board", "standard").get(pk=area.pk)
    check_can_monitor_area(actor, area)
    if area.standard.kind != StandardKind.ATTESTATION:
        raise ValidationError({"statement": "Only attestation standards are attested; this one is sampled."})
    parts = area.standard.attestation_parts
    if parts and part not in parts:
        raise ValidationError({"part": f"Say which part of {area.standard.code} you attest: administration or fraud"})
    if not parts:
        part = ""
    attestation = Attestation(area=area, part=part, statement=(statement or "").strip(), attested_by=actor)
    if not attestation.statement:
        raise ValidationError({"statement": "Enter what you attest"})
    attestation.save()
    label = f" ({attestation.get_part_display().lower()})" if part else ""
    event_record(
        kind="monitoring.attested", summary=f"{area.plan.board.title}: {area.standard.code}{label} attested",
        actor=actor, subject=attestation, district=_district(area.plan.board),
    )  # fmt: skip
    return attestation


@transaction.atomic
def results_send_to_meeting(*, actor, plan: Plan) -> Meeting:
    """Put the period's results on the agenda of the board's next meeting still to be held."""
    from monitoring.selectors import plan_results_text

    plan = Plan.objects.select_related("board").get(pk=plan.pk)
    check_can_monitor(actor, plan.board)
    meeting = (
        Meeting.objects.filter(board=plan.board, status=MeetingStatus.SCHEDULED, date__gte=timezone.localdate())
        .order_by("date", "pk")
        .first()
    )
    if meeting is None:
        raise ValidationError("The board has no meeting to come: schedule one first.")
    agenda_item_add(
        meeting=meeting,
        title=f"Monitoring results, {plan.period_label}",
        body=plan_results_text(plan),
        source="monitoring",
    )
    event_record(
        kind="monitoring.results-sent",
        summary=f"{plan.board.title}: monitoring results for {plan.period_label} sent to the meeting of "
        f"{meeting.date:%-d %B %Y}",
        actor=actor,
        subject=plan,
        district=_district(plan.board),
    )
    notices.results_sent(plan=plan, meeting=meeting)
    return meeting
