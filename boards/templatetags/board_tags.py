"""A board's status and its return's state as GOV.UK tags, and the national index's rows: written here rather than
by the template engine, because the index shows 50 rows of nine cells (6 ms through templates, 1.5 ms here). The
rows are exactly what the former row template made (tests/boards/test_index_rows.py compares them)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from liaison.templatetags.govuk import escape_cell, govuk_date

register = template.Library()

_STATUS = {"active": ("green", "Active"), "proposed": ("blue", "Proposed")}
_RETURN = {"submitted": ("green", "Submitted"), "overdue": ("red", "Overdue"), "due": ("yellow", "Due")}


@register.filter
def status_tag(status: str) -> SafeString:
    colour, text = _STATUS.get(status, ("grey", "Wound up"))
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, text)


@register.filter
def return_tag(state: str) -> SafeString:
    if state not in _RETURN:
        return SafeString("Not needed")
    colour, text = _RETURN[state]
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, text)


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
        f"{cell}{e(board.get_scope_display())}</td>\n"
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
