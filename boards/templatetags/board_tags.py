"""A board's status and its return's state as GOV.UK tags, and the national index's rows: written here rather than
by the template engine, because the index shows 50 rows of nine cells (6 ms through templates, 1.5 ms here). The
rows are exactly what the former row template made (tests/boards/test_index_rows.py compares them)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from boards.models import BoardScope
from liaison.templatetags.govuk import escape_cell, govuk_date

register = template.Library()

# Each tag written once: fixed words in fixed colours (format_html on every row cost more than the rest of a cell).
_TAG = '<strong class="govuk-tag govuk-tag--{}">{}</strong>'
_STATUS = {"active": _TAG.format("green", "Active"), "proposed": _TAG.format("blue", "Proposed")}
_WOUND_UP = _TAG.format("grey", "Wound up")
_RETURN = {
    "submitted": _TAG.format("green", "Submitted"),
    "overdue": _TAG.format("red", "Overdue"),
    "due": _TAG.format("yellow", "Due"),
}
_SCOPES = dict(BoardScope.choices)


@register.filter
def status_tag(status: str) -> SafeString:
    return SafeString(_STATUS.get(status, _WOUND_UP))


@register.filter
def return_tag(state: str) -> SafeString:
    return SafeString(_RETURN.get(state, "Not needed"))


def _index_row(board, visible_ids) -> str:
    e = escape_cell
    title = e(board.title)
    if board.pk in visible_ids:
        title = f'<a class="govuk-link" href="{e(board.get_absolute_url())}">{title}</a>'
    districts = board.district_list
    where = (f"{e(districts[0].region.name)}:<br>" if districts else "") + ", ".join(e(d.name) for d in districts)
    authorities = ", ".join(e(authority.name) for authority in board.authority_list)
    jcp_chair = e(board.jcp_chair.name) if board.jcp_chair and board.jcp_chair.name else "–"
    la_chair = e(board.la_chair.name) if board.la_chair and board.la_chair.name else "–"
    first = govuk_date(board.first_meeting, "short") or "–"
    latest = govuk_date(board.latest_return, "short") or "None"
    cell = '          <td class="govuk-table__cell">'
    return (
        '\n        <tr class="govuk-table__row">\n'
        f'          <th scope="row" class="govuk-table__header">{title}</th>\n'
        f"{cell}{where}</td>\n"
        f"{cell}{authorities}</td>\n"
        f"{cell}{e(_SCOPES.get(board.scope, board.scope))}</td>\n"
        f"{cell}{jcp_chair}<br>{la_chair}</td>\n"
        f"{cell}{first}</td>\n"
        f'          <td class="govuk-table__cell govuk-table__cell--numeric">{board.meetings_last_12_months}</td>\n'
        f"{cell}{latest}<br>{return_tag(board.return_state)}</td>\n"
        f"{cell}{status_tag(board.status)}</td>\n"
        "        </tr>\n      "
    )


@register.simple_tag
def index_rows(boards, visible_ids) -> SafeString:
    """The national index's rows: a link to each board the viewer may open, its region and districts, LAs, scope,
    chairs, first meeting, meetings in 12 months, latest return and status."""
    return mark_safe("".join(_index_row(board, visible_ids) for board in boards))
