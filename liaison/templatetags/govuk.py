"""GOV.UK conventions every page shares: where an error-summary link takes the user, and dates in GOV.UK style."""

from __future__ import annotations

import datetime
import html

from django import forms, template
from django.utils import timezone

register = template.Library()


@register.filter
def error_target(bound_field) -> str:
    """The id an error-summary link must point at so that following it puts focus on the field's first input:
    the first radio or checkbox of a group (crispy-forms-gds numbers them from 1), the day of a date."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{bound_field.html_name}_1"
    if isinstance(widget, forms.MultiWidget):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


def escape_cell(value) -> str:
    """`conditional_escape` for rows written in Python, without its lazy-string wrapper (which costs more than the
    escaping): the same HTML, for the hundreds of values a list page writes."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _as_local(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


@register.filter
def govuk_date(value, style: str = "") -> str:
    """2 December 2026 (GOV.UK style); "short" gives 2 Dec 2026, for tables only."""
    if value in (None, ""):
        return ""
    return local_date_text(_as_local(value), style)


def local_date_text(value, style: str = "") -> str:
    """`govuk_date` of a date, or a datetime already in local time: for rows written in Python, which convert each
    time once and write both its date and its hour from it."""
    month = "%b" if style == "short" else "%B"
    return value.strftime(f"%-d {month} %Y")


@register.filter
def govuk_time(value) -> str:
    """5:49pm; midday and midnight as GOV.UK writes them."""
    if value in (None, ""):
        return ""
    value = _as_local(value)
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}:{value.minute:02d}{suffix}"


@register.filter
def govuk_datetime(value) -> str:
    """2 December 2026 at 5:49pm."""
    if value in (None, ""):
        return ""
    return f"{govuk_date(value)} at {govuk_time(value)}"


@register.filter
def page_items(page) -> list[int | None]:
    """The page numbers GOV.UK pagination shows: the first, the last, the current one and its neighbours, with
    None for each gap (shown as an ellipsis)."""
    last = page.paginator.num_pages
    wanted = sorted({1, last, page.number - 1, page.number, page.number + 1} & set(range(1, last + 1)))
    items: list[int | None] = []
    for number in wanted:
        if items and number - items[-1] > 1:
            items.append(None)
        items.append(number)
    return items
