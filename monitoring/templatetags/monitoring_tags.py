"""The national view's result rows, written here rather than by the template engine: a row per board, region and
the nation for each standard's threshold. The HTML is exactly what the former row template made
(tests/monitoring/test_national_rows.py renders both and compares them)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from liaison.links import path_for
from liaison.templatetags.govuk import escape_cell

register = template.Library()

_NUMERIC = '      <td class="govuk-table__cell govuk-table__cell--numeric">'


def _national_row(row) -> str:
    e = escape_cell
    result = row.result
    if row.is_total:
        board = f'<th scope="row" class="govuk-table__header">{e(row.board_title)}</th>'
    else:
        url = path_for("monitoring:board", row.board_id)
        board = f'<td class="govuk-table__cell"><a class="govuk-link" href="{e(url)}">{e(row.board_title)}</a></td>'
    percent = result.percent
    met = result.met
    verdict = "No decided cases" if met is None else ("Met" if met else "<strong>Not met</strong>")
    return (
        '\n    <tr class="govuk-table__row">\n'
        f'      <td class="govuk-table__cell">{e(row.region) or "–"}</td>\n'
        f"      {board}\n"
        f"{_NUMERIC}{row.exercises}</td>\n"
        f"{_NUMERIC}{result.within} of {result.decided}</td>\n"
        f"{_NUMERIC}{'–' if percent is None else f'{percent}%'}</td>\n"
        f'      <td class="govuk-table__cell">{verdict}</td>\n'
        f"{_NUMERIC}{result.open_past}</td>\n"
        "    </tr>\n  "
    )


@register.simple_tag
def national_rows(rows) -> SafeString:
    """Region, board (a link) or total (a row header), exercises, within target of decided, percentage, whether the
    target is met, and cases still open past the target."""
    return mark_safe("".join(_national_row(row) for row in rows))
