"""Rows of the activity trail, written here rather than by the template engine (50 a page). The HTML is exactly what
the former row template made (tests/liaison/test_activity_rows.py renders both and compares them)."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from liaison.templatetags.govuk import escape_cell

register = template.Library()

_SCHEDULED = '<span class="liaison-secondary-text">Liaison (scheduled)</span>'


_MONTHS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _event_row(event) -> str:
    e = escape_cell
    # Local time once, written out directly (govuk_date's "short" style): 50 rows a page.
    when = event.occurred_at.astimezone(_local_zone())
    actor = event.actor
    who = e(f"{actor.first_name} {actor.last_name}".strip() or actor.username) if actor else _SCHEDULED
    district, authority = event.district, event.local_authority
    where = (
        (e(district.name) if district else "")
        + ("<br>" if district and authority else "")
        + (e(authority.name) if authority else "")
    )
    return (
        '\n        <tr class="govuk-table__row">\n'
        f'          <td class="govuk-table__cell liaison-nowrap">{when.day} {_MONTHS[when.month]} {when.year}<br>'
        f'<span class="govuk-body-s liaison-secondary-text">{when.hour:02d}:{when.minute:02d}</span></td>\n'
        f'          <td class="govuk-table__cell">{e(event.summary)}</td>\n'
        f'          <td class="govuk-table__cell">{who}</td>\n'
        f'          <td class="govuk-table__cell">{where}</td>\n'
        "        </tr>\n        "
    )


def _local_zone():
    return timezone.get_current_timezone()


@register.simple_tag
def activity_rows(events) -> SafeString:
    """When (date and time), what happened, who (or Liaison's scheduled jobs) and where (district and LA)."""
    return mark_safe("".join(_event_row(event) for event in events))
