"""Every write of the management information: GPT's catalogue of measures, and each organisation's figures.

A figure is entered once per organisation, measure and quarter; changing it is a correction that needs a reason and
keeps the old value in the history. Nothing is deleted: a measure is retired, a figure corrected.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from liaison.events import event_record
from liaison.models import District, LocalAuthority
from liaison.uploads import RowError, UploadRejected, read_table
from liaison.validators import free_text_problems
from mi.models import Direction, Figure, Measure, Side, Unit
from mi.periods import Quarter
from mi.querysets import entering, keeps_catalogue

UPLOAD_COLUMNS = ["measure", "quarter", "organisation", "value", "reason"]
REQUIRED_COLUMNS = UPLOAD_COLUMNS[:4]
MAX_UPLOAD_ROWS = 5_000


# --- the catalogue -----------------------------------------------------------------------------------------------


def _check_keeper(actor) -> None:
    if not keeps_catalogue(actor):
        raise PermissionDenied("Only the Governmental Partnerships Team keeps the catalogue of measures.")


def _clean_measure(measure: Measure) -> None:
    errors = {}
    if not measure.name.strip():
        errors["name"] = "Enter the name of the measure"
    if measure.code and not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,39}", measure.code):
        errors["code"] = "Use 2 to 40 lower-case letters, digits and hyphens, for example hb-new-claims-days"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def measure_add(
    *, actor, code: str, name: str, side: str, unit: str, direction: str, description: str = "", order: int = 100
) -> Measure:
    _check_keeper(actor)
    measure = Measure(
        code=code.strip().lower(), name=name.strip(), side=side, unit=unit, direction=direction,
        description=description.strip(), order=order,
    )  # fmt: skip
    _clean_measure(measure)
    if Measure.objects.filter(code=measure.code).exists():
        raise ValidationError({"code": "A measure already has this short name: choose another"})
    measure.full_clean()
    measure.save()
    event_record(kind="mi.measure-added", summary=f"Measure added: {measure.name}", actor=actor, subject=measure)
    return measure


@transaction.atomic
def measure_update(*, actor, measure: Measure, name: str, description: str = "", order: int | None = None) -> Measure:
    """Rename a measure or change its description; its unit, direction and side are fixed, so that its figures keep
    their meaning (a different measure is a new one)."""
    _check_keeper(actor)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    before = measure.name
    measure.name, measure.description = name.strip(), description.strip()
    if order is not None:
        measure.order = order
    _clean_measure(measure)
    measure.full_clean()
    measure.save()
    summary = f"Measure renamed from “{before}” to “{measure.name}”" if before != measure.name else "Measure changed"
    event_record(kind="mi.measure-changed", summary=f"{summary}: {measure.name}", actor=actor, subject=measure)
    return measure


@transaction.atomic
def measure_retire(*, actor, measure: Measure, on: datetime.date) -> Measure:
    """From `on`, no quarter starting then or later takes figures of the measure; earlier quarters still show them."""
    _check_keeper(actor)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if measure.retired_on is not None:
        raise ValidationError({"on": f"This measure was retired on {measure.retired_on:%-d %B %Y}"})
    measure.retired_on = on
    measure.save()
    event_record(
        kind="mi.measure-retired", summary=f"Measure retired from {on:%-d %B %Y}: {measure.name}", actor=actor,
        subject=measure,
    )  # fmt: skip
    return measure


# --- figures -----------------------------------------------------------------------------------------------------


def free_text_problem(text: str, kind: str, where: str) -> str | None:
    return free_text_problems(SimpleNamespace(text=text), {"text": (kind, where)}).get("text")


def organisation_label(*, local_authority=None, district=None) -> str:
    return local_authority.name if local_authority is not None else district.name


def parse_value(value, measure: Measure) -> Decimal:
    """A figure as typed: "85", "85.5", "85%" or "1,234"; refused if it is not a number or out of the unit's range."""
    if isinstance(value, Decimal):
        number = value
    else:
        text = str(value).strip().replace(",", "")
        if measure.unit == Unit.PERCENT:
            text = text.removesuffix("%").strip()
        try:
            number = Decimal(text)
        except InvalidOperation as error:
            raise ValidationError({"value": f"Enter a number for {measure.name.lower()}"}) from error
    if not number.is_finite():
        raise ValidationError({"value": f"Enter a number for {measure.name.lower()}"})
    measure.check_value(number)
    return number.quantize(Decimal("0.01"))


def _check_figure(actor, measure: Measure, quarter: Quarter, local_authority, district, today) -> None:
    if (local_authority is None) == (district is None):
        raise ValidationError("A figure is for one Local Authority or one district")
    if measure.side == Side.LA and local_authority is None:
        raise ValidationError({"measure": f"“{measure.name}” is a Local Authority's measure"})
    if measure.side == Side.JCP and district is None:
        raise ValidationError({"measure": f"“{measure.name}” is a Jobcentre Plus district's measure"})
    if measure.retired_on is not None and measure.retired_on <= quarter.start:
        raise ValidationError({"measure": f"“{measure.name}” was retired on {measure.retired_on:%-d %B %Y}"})
    if quarter.start > today:
        raise ValidationError({"quarter": f"{quarter.label} has not started yet"})
    allowed = entering(actor)
    if not allowed.may(
        local_authority_id=local_authority.pk if local_authority else None,
        district_id=district.pk if district else None,
    ):
        who = organisation_label(local_authority=local_authority, district=district)
        raise PermissionDenied(f"You do not enter the figures of {who}.")


def _event(actor, figure: Figure, corrected_from: Decimal | None) -> None:
    who = organisation_label(local_authority=figure.local_authority, district=figure.district)
    what = f"{figure.measure.name}, {figure.quarter.label}"
    if corrected_from is None:
        kind, summary = "mi.figure-entered", f"{who}: {what}: {figure.measure.format(figure.value)}"
    else:
        kind = "mi.figure-corrected"
        summary = (
            f"{who}: {what} corrected from {figure.measure.format(corrected_from)} to "
            f"{figure.measure.format(figure.value)} ({figure.reason})"
        )
    event_record(
        kind=kind, summary=summary, actor=actor, subject=figure, district=figure.district,
        local_authority=figure.local_authority,
    )  # fmt: skip


@transaction.atomic
def figure_record(
    *,
    actor,
    measure: Measure,
    quarter: Quarter,
    value,
    local_authority: LocalAuthority | None = None,
    district: District | None = None,
    reason: str = "",
) -> Figure | None:
    """Enter a figure, or correct one already entered (a changed value needs a reason). The same value again changes
    nothing and returns None."""
    today = timezone.localdate()
    measure = Measure.objects.get(pk=measure.pk)  # as it is now: GPT may have retired it since the page was shown
    _check_figure(actor, measure, quarter, local_authority, district, today)
    number = parse_value(value, measure)
    key = {"local_authority": local_authority} if local_authority is not None else {"district": district}
    existing = Figure.objects.select_for_update().filter(measure=measure, quarter_start=quarter.start, **key).first()
    reason = (reason or "").strip()
    if existing is None:
        figure = Figure(measure=measure, quarter_start=quarter.start, value=number, entered_by=actor, **key)
        figure._change_reason = "Entered"
        figure.save()
        _event(actor, figure, None)
        return figure
    if existing.value == number:
        return None
    if not reason:
        raise ValidationError(
            {"reason": f"Give the reason for correcting {measure.name.lower()} from {measure.format(existing.value)}"}
        )
    problem = free_text_problem(reason, "line", "the reason for the correction")
    if problem:
        raise ValidationError({"reason": problem})
    before = existing.value
    existing.value, existing.reason, existing.entered_by = number, reason, actor
    existing._change_reason = reason
    existing.save()
    _event(actor, existing, before)
    return existing


@transaction.atomic
def figures_record(
    *,
    actor,
    quarter: Quarter,
    values: dict[Measure, object],
    local_authority: LocalAuthority | None = None,
    district: District | None = None,
    reason: str = "",
) -> int:
    """An organisation's figures for a quarter from one form: all of them are saved, or none. Errors are keyed by
    the measure's code (or "reason"). A blank leaves a measure without a figure; a figure once entered cannot be
    blanked out, only corrected."""
    errors: dict[str, list[str]] = {}
    saved = 0
    key = {"local_authority": local_authority} if local_authority is not None else {"district": district}
    entered = {
        f.measure_id: f.value
        for f in Figure.objects.filter(quarter_start=quarter.start, **key).only("measure", "value")
    }
    for measure, value in values.items():
        if value in (None, ""):
            if measure.pk in entered:
                errors.setdefault(measure.code, []).append(
                    f"A figure once entered is corrected, not removed: enter {measure.name.lower()} again"
                )
            continue
        try:
            with transaction.atomic():
                if (
                    figure_record(actor=actor, measure=measure, quarter=quarter, value=value, reason=reason, **key)
                    is not None
                ):
                    saved += 1
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault("reason" if field == "reason" else measure.code, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return saved


def _organisations_by_code() -> tuple[dict[str, LocalAuthority], dict[str, District]]:
    return (
        {la.gss_code.upper(): la for la in LocalAuthority.objects.all()},
        {d.code.lower(): d for d in District.objects.all()},
    )


@transaction.atomic
def figures_import(*, actor, upload) -> int:
    """Save every row of a CSV or XLSX of figures, or none: any bad row refuses the whole file, every error listed by
    row and column. Columns: measure (its short name), quarter ("2026-27 Q3" or "2026-10"), organisation (an LA's
    GSS code or a district's code), value, and reason (needed to correct a figure already entered)."""
    columns, rows = read_table(upload, max_rows=MAX_UPLOAD_ROWS, what="a file of figures")
    errors: list[RowError] = []
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            errors.append(RowError(1, column, "This column is missing from the header row"))
    for column in columns:
        if column not in UPLOAD_COLUMNS:
            errors.append(RowError(1, column or "(blank)", f"Unknown column: use only {', '.join(UPLOAD_COLUMNS)}"))
    if errors:
        raise UploadRejected(errors)
    if not rows:
        raise UploadRejected([RowError(2, "measure", "The file has no rows of figures")])

    today = timezone.localdate()
    allowed = entering(actor)
    measures = {m.code: m for m in Measure.objects.all()}
    authorities, districts = _organisations_by_code()
    parsed = []
    seen: dict[tuple, int] = {}
    for row in rows:
        number = row["row"]
        cell = {c: ("" if row.get(c) is None else str(row.get(c)).strip()) for c in UPLOAD_COLUMNS}
        found: dict[str, str] = {}
        measure = measures.get(cell["measure"].lower())
        if not cell["measure"]:
            found["measure"] = "Enter the measure's short name"
        elif measure is None:
            found["measure"] = f"“{cell['measure'][:40]}” is not a measure: see the catalogue for the short names"
        quarter = None
        try:
            quarter = Quarter.parse(cell["quarter"]) if cell["quarter"] else None
            if quarter is None:
                found["quarter"] = "Enter the quarter, for example 2026-27 Q3"
            elif quarter.start > today:
                found["quarter"] = f"{quarter.label} has not started yet"
        except ValueError as error:
            found["quarter"] = str(error)
        code = cell["organisation"]
        authority = authorities.get(code.upper())
        district = districts.get(code.lower()) if authority is None else None
        if not code:
            found["organisation"] = "Enter the LA's GSS code or the district's code"
        elif authority is None and district is None:
            found["organisation"] = f"“{code[:20]}” is neither an LA's GSS code nor a district's code"
        elif measure is not None and measure.side == Side.LA and authority is None:
            found["organisation"] = f"“{measure.name}” is a Local Authority's measure: give the LA's GSS code"
        elif measure is not None and measure.side == Side.JCP and district is None:
            found["organisation"] = f"“{measure.name}” is a Jobcentre Plus district's measure: give the district's code"
        elif not allowed.may(
            local_authority_id=authority.pk if authority else None, district_id=district.pk if district else None
        ):
            found["organisation"] = f"You do not enter the figures of {(authority or district).name}"
        if measure is not None and quarter is not None and measure.retired_on and measure.retired_on <= quarter.start:
            found["measure"] = f"“{measure.name}” was retired on {measure.retired_on:%-d %B %Y}"
        value = None
        if not cell["value"]:
            found["value"] = "Enter the figure"
        elif measure is not None:
            try:
                value = parse_value(cell["value"], measure)
            except ValidationError as error:
                found["value"] = error.message_dict["value"][0]
        if cell["reason"]:
            problem = free_text_problem(cell["reason"], "line", "the reason for the correction")
            if problem:
                found["reason"] = problem
        if not found:
            identity = (measure.pk, quarter.start, "la" if authority else "district", (authority or district).pk)
            if identity in seen:
                found["organisation"] = f"The same figure is also on row {seen[identity]}"
            else:
                seen[identity] = number
        for column, message in found.items():
            errors.append(RowError(number, column, message))
        if not found:
            parsed.append((number, measure, quarter, authority, district, value, cell["reason"]))
    if errors:
        raise UploadRejected(errors)

    existing = {
        (f.measure_id, f.quarter_start, "la" if f.local_authority_id else "district",
         f.local_authority_id or f.district_id): f
        for f in Figure.objects.select_for_update().filter(
            quarter_start__in={p[2].start for p in parsed}, measure_id__in={p[1].pk for p in parsed}
        )
    }  # fmt: skip
    new, corrections = [], []
    for number, measure, quarter, authority, district, value, reason in parsed:
        identity = (measure.pk, quarter.start, "la" if authority else "district", (authority or district).pk)
        figure = existing.get(identity)
        if figure is None:
            new.append(
                Figure(measure=measure, quarter_start=quarter.start, value=value, entered_by=actor,
                       local_authority=authority, district=district)
            )  # fmt: skip
        elif figure.value != value:
            if not reason:
                errors.append(
                    RowError(number, "reason", f"Give the reason for correcting it from {measure.format(figure.value)}")
                )
            corrections.append((figure, value, reason))
    if errors:
        raise UploadRejected(errors)
    bulk_create_with_history(new, Figure, default_user=actor, default_change_reason="Entered from a file")
    for figure, value, reason in corrections:
        before = figure.value
        figure.value, figure.reason, figure.entered_by = value, reason, actor
        figure._change_reason = reason
        figure.save()
        _event(actor, figure, before)
    organisations = {(f.local_authority, f.district) for f in new}
    for authority, district in organisations:
        count = sum(1 for f in new if (f.local_authority, f.district) == (authority, district))
        event_record(
            kind="mi.figures-imported",
            summary=f"{organisation_label(local_authority=authority, district=district)}: {count} figure"
            f"{'s' if count != 1 else ''} entered from a file",
            actor=actor, district=district, local_authority=authority,
        )  # fmt: skip
    return len(new) + len(corrections)


def better_label(measure: Measure) -> str:
    return "lower is better" if measure.direction == Direction.LOWER else "higher is better"
