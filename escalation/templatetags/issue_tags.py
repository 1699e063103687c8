"""The rows of an issue table, written here rather than by the template engine.

A list page shows 50 issues of eight values each; through the template engine that is about 5 ms, more than the
database takes for the page. The HTML is exactly what `_issue_table.html`'s row template made (the test
tests/escalation/test_issue_rows.py renders both and compares them)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from escalation.models import Status
from liaison.templatetags.govuk import escape_cell, govuk_date

register = template.Library()

_STALLED = ' <strong class="govuk-tag govuk-tag--red">Stalled</strong>'
_TO_COMMUNICATE = '<strong class="govuk-tag govuk-tag--yellow">Outcome to communicate</strong>'
_STATUS_LABELS = dict(Status.choices)


def issue_row(issue) -> str:
    e = escape_cell
    due = getattr(issue, "due", None)
    if due:
        when = govuk_date(due, "short") + (_STALLED if getattr(issue, "overdue", False) else "")
    elif issue.status == "resolved":
        when = _TO_COMMUNICATE
    else:
        when = "Outcome communicated"
    logged = govuk_date(issue.created_at, "short")
    return (
        '\n    <tr class="govuk-table__row">\n'
        f'      <th scope="row" class="govuk-table__header"><a class="govuk-link" href="{e(issue.get_absolute_url())}">'
        f'{e(issue.reference)}<span class="govuk-visually-hidden">:</span></a> '
        f'<span class="liaison-issue-title">{e(issue.title)}</span><br>'
        f'<span class="govuk-body-s">{e(issue.category.name)}; logged {logged}</span></th>\n'
        f'      <td class="govuk-table__cell">{e(issue.level_label)}</td>\n'
        f'      <td class="govuk-table__cell">{e(_STATUS_LABELS.get(issue.status, issue.status))}</td>\n'
        f'      <td class="govuk-table__cell">{e(issue.district.name)}<br>{e(issue.local_authority.name)}</td>\n'
        f'      <td class="govuk-table__cell">{when}</td>\n'
        "    </tr>\n    "
    )


@register.simple_tag
def issue_rows(issues) -> SafeString:
    return mark_safe("".join(issue_row(issue) for issue in issues))
