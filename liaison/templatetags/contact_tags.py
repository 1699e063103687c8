"""Rows of a contacts table, written here rather than by the template engine: the directory shows 50 contacts a
page and the district and LA pages every contact of their network. The HTML is exactly what the former row template
made (tests/liaison/test_contact_rows.py renders both and compares them)."""

from __future__ import annotations

import datetime

from django import template
from django.utils.safestring import SafeString, mark_safe

from liaison.templatetags.govuk import escape_cell, govuk_date

register = template.Library()


def _contact_row(contact, cutoff: datetime.date, show_role: bool, show_organisation: bool) -> str:
    e = escape_cell
    name = f'<a class="govuk-link" href="{e(contact.get_absolute_url())}">{e(contact.name)}</a>'
    if contact.job_title and contact.job_title != contact.role.name:
        name += f'<br><span class="govuk-body-s">{e(contact.job_title)}</span>'
    role = f'<td class="govuk-table__cell">{e(contact.role.name)}</td>' if show_role else ""
    organisation = f'<td class="govuk-table__cell">{e(contact.organisation)}</td>' if show_organisation else ""
    dial = contact.phone.replace(" ", "")
    phone = (
        f'<a class="govuk-link liaison-nowrap" href="tel:{e(dial)}">{e(contact.phone)}</a><br>' if contact.phone else ""
    )
    email = ""
    if contact.email:
        email = f'<a class="govuk-link" href="mailto:{e(contact.email)}">{e(contact.email)}</a>'
        if contact.secure_email:
            email += ' <strong class="govuk-tag govuk-tag--green">Secure</strong>'
    nothing = "None recorded" if not contact.phone and not contact.email else ""
    if not contact.last_confirmed:
        confirmed = '<strong class="govuk-tag govuk-tag--red">Never confirmed</strong>\n    '
    elif contact.last_confirmed < cutoff:
        when = govuk_date(contact.last_confirmed, "short")
        confirmed = f'<strong class="govuk-tag govuk-tag--orange liaison-nowrap">{when}</strong>\n    '
    else:
        confirmed = f'<span class="liaison-nowrap">{govuk_date(contact.last_confirmed, "short")}</span>'
    return (
        '\n<tr class="govuk-table__row">\n'
        f'  <th scope="row" class="govuk-table__header">{name}</th>\n'
        f"  {role}\n"
        f"  {organisation}\n"
        '  <td class="govuk-table__cell liaison-contact-details">\n'
        f"    {phone}\n"
        f"    {email}\n"
        f"    {nothing}\n"
        "  </td>\n"
        '  <td class="govuk-table__cell">\n'
        f"    {confirmed}\n"
        "  </td>\n"
        "</tr>\n"
    )


@register.simple_tag
def contact_rows(contacts, cutoff, show_role: bool = False, show_organisation: bool = False) -> SafeString:
    """One row per contact: name (and job title where it differs from the role), role and organisation if asked,
    phone and email, and when the details were last confirmed (flagged before `cutoff`, or never)."""
    return mark_safe("".join(_contact_row(c, cutoff, show_role, show_organisation) for c in contacts))
