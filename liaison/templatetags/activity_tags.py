"""Rows of the activity trail, written here rather than by the template engine (50 a page). The HTML is exactly what
the former row template made (tests/liaison/test_activity_rows.py renders both and compares them)."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from liaison.templatetags.govuk import escape_cell, local_date_text

register = template.Library()

_SCHEDULED = '<span class="liaison-secondary-text">Liaison (scheduled)</span>'


def _event_row(event) -> str:
    e = escape_cell
    # Local time once, for both the date and the hour: 50 rows a page.
    when = timezone.localtime(event.occurred_at)
    actor = event.actor
    who = e(actor.get_full_name() or actor.username) if actor else _SCHEDULED
    district, authority = event.district, event.local_authority
    where = (
        (e(district.name) if district else "")
        + ("<br>" if district and authority else "")
        + (e(authority.name) if authority else "")
    )
    return (
        '\n        <tr class="govuk-table__row">\n'
        f'          <td class="govuk-table__cell liaison-nowrap">{local_date_text(when, "short")}<br>'
        f'<span class="govuk-body-s liaison-secondary-text">{when:%H:%M}</span></td>\n'
        f'          <td class="govuk-table__cell">{e(event.summary)}</td>\n'
        f'          <td class="govuk-table__cell">{who}</td>\n'
        f'          <td class="govuk-table__cell">{where}</td>\n'
        "        </tr>\n        "
    )


@register.simple_tag
def activity_rows(events) -> SafeString:
    """When (date and time), what happened, who (or Liaison's scheduled jobs) and where (district and LA)."""
    return mark_safe("".join(_event_row(event) for event in events))
