"""A board's status and its return's state as GOV.UK tags: filters rather than included templates, because the
national index shows both on each of its 50 rows and an include costs a template render each time."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

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
