"""Signing's evidence for the Joint Boards' management information (registered with boards.evidence).

- Sealed in the period: Statements of Intent and End of Year Sign-offs signed by both sides in it.
- Awaiting signature now: documents not yet signed by both (replaced versions are history).
- Late now: a Statement of Intent whose period has begun, or an End of Year Sign-off past 30 April after its year,
  not signed by both, the same rules as the deadline alerts (documents of an agreement that ended over a year ago are
  history and never late).
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q
from django.utils import timezone

from agreements.models import DocumentKind, DocumentStatus, SigningDocument, YearStatement
from boards.evidence import Better, EvidenceSource, Indicator, Section, Table, format_value, register_evidence

OPEN = [DocumentStatus.AWAITING, DocumentStatus.PART_SIGNED]
INDICATORS = (
    Indicator("agreements-sealed", "Agreements signed by both in the period", better=Better.HIGHER),
    Indicator("agreements-awaiting", "Agreements awaiting signature now"),
    Indicator("agreements-late", "Agreements late now", better=Better.LOWER, attention="agreements late"),
    Indicator("agreements-not-met", "End of Year Sign-offs “not met” in the period", better=Better.LOWER),
)


def _late(today: datetime.date) -> Q:
    # An End of Year Sign-off is due by 30 April after its year: late once that day has passed.
    last_late_year = today.year if today > datetime.date(today.year, 4, 30) else today.year - 1
    current = Q(agreement__period_end__gte=today - relativedelta(years=1))
    statement = Q(kind=DocumentKind.STATEMENT_OF_INTENT, period_start__lte=today)
    sign_off = Q(kind=DocumentKind.END_OF_YEAR, period_end__lte=datetime.date(last_late_year, 12, 31))
    return Q(status__in=OPEN) & current & (statement | sign_off)


def _sealed(start: datetime.date, end: datetime.date) -> Q:
    return Q(status=DocumentStatus.SEALED, sealed_at__date__gte=start, sealed_at__date__lte=end)


def figures(board_ids: list[int], start: datetime.date, end: datetime.date) -> dict[int, dict]:
    today = timezone.localdate()
    out = {b: {i.key: 0 for i in INDICATORS} for b in board_ids}
    rows = (
        SigningDocument.objects.filter(board_id__in=board_ids)
        .values("board_id")
        .annotate(
            sealed=Count("id", filter=_sealed(start, end)),
            awaiting=Count("id", filter=Q(status__in=OPEN)),
            late=Count("id", filter=_late(today)),
            not_met=Count("id", filter=_sealed(start, end) & Q(statement=YearStatement.NOT_MET)),
        )
        .order_by()
    )
    for row in rows:
        board = out[row["board_id"]]
        board["agreements-sealed"] = row["sealed"]
        board["agreements-awaiting"] = row["awaiting"]
        board["agreements-late"] = row["late"]
        board["agreements-not-met"] = row["not_met"]
    return out


def section(board, start: datetime.date, end: datetime.date) -> Section:
    today = timezone.localdate()
    summary = figures([board.pk], start, end)[board.pk]
    result = Section(
        key="agreements",
        title="Statements of Intent and End of Year Sign-offs",
        headlines=[(i.label, format_value(summary[i.key], i.unit)) for i in INDICATORS],
    )
    documents = (
        SigningDocument.objects.filter(board=board)
        .filter(_sealed(start, end) | Q(status__in=OPEN))
        .select_related("signing_authority", "board")
        .annotate(late=Count("id", filter=_late(today)))
        .order_by("kind", "period_start", "pk")
    )
    result.tables.append(
        Table(
            caption="Documents signed in the period or still awaiting signature",
            columns=["Document", "Local Authority", "Period", "State", "Statement"],
            rows=[
                [
                    d.get_kind_display(),
                    d.authorities_label,
                    d.period_label,
                    "Sealed " + f"{timezone.localdate(d.sealed_at):%-d %B %Y}"
                    if d.status == DocumentStatus.SEALED
                    else d.get_status_display() + (", late" if d.late else ""),
                    d.get_statement_display() if d.statement else "",
                ]
                for d in documents
            ]
            or [["None", "", "", "", ""]],
        )
    )
    return result


def register() -> None:
    register_evidence(
        EvidenceSource(
            key="agreements", title="Agreements", order=40, indicators=INDICATORS, figures=figures, section=section
        )
    )
