# ruff: noqa: E501
"""Contacts tables' rows are written in Python (liaison/templatetags/contact_tags.py) for speed; they must be the HTML
the row template below, the one the tables used before, makes for the same contacts."""

import datetime

import pytest
from django.template import engines
from django.utils import timezone

from liaison.models import Contact
from liaison.selectors import confirmation_cutoff, contact_list
from liaison.templatetags.contact_tags import contact_rows
from tests.factories import ContactFactory, LAContactFactory

pytestmark = pytest.mark.django_db

ROW_TEMPLATE = """{% for contact in contacts %}
<tr class="govuk-table__row">
  <th scope="row" class="govuk-table__header"><a class="govuk-link" href="{{ contact.get_absolute_url }}">{{ contact.name }}</a>{% if contact.job_title and contact.job_title != contact.role.name %}<br><span class="govuk-body-s">{{ contact.job_title }}</span>{% endif %}</th>
  {% if show_role %}<td class="govuk-table__cell">{{ contact.role.name }}</td>{% endif %}
  {% if show_organisation %}<td class="govuk-table__cell">{{ contact.organisation }}</td>{% endif %}
  <td class="govuk-table__cell liaison-contact-details">
    {% if contact.phone %}<a class="govuk-link liaison-nowrap" href="tel:{{ contact.phone|cut:' ' }}">{{ contact.phone }}</a><br>{% endif %}
    {% if contact.email %}<a class="govuk-link" href="mailto:{{ contact.email }}">{{ contact.email }}</a>{% if contact.secure_email %} <strong class="govuk-tag govuk-tag--green">Secure</strong>{% endif %}{% endif %}
    {% if not contact.phone and not contact.email %}None recorded{% endif %}
  </td>
  <td class="govuk-table__cell">
    {% if not contact.last_confirmed %}<strong class="govuk-tag govuk-tag--red">Never confirmed</strong>
    {% elif contact.last_confirmed < cutoff %}<strong class="govuk-tag govuk-tag--orange liaison-nowrap">{{ contact.last_confirmed|date:"j M Y" }}</strong>
    {% else %}<span class="liaison-nowrap">{{ contact.last_confirmed|date:"j M Y" }}</span>{% endif %}
  </td>
</tr>
{% endfor %}"""


@pytest.mark.parametrize(("show_role", "show_organisation"), [(False, False), (True, False), (True, True)])
def test_every_kind_of_row_is_written_as_the_template_writes_it(world, show_role, show_organisation):
    today = timezone.localdate()
    cutoff = confirmation_cutoff(today)
    ContactFactory(
        district=world.d1,
        name="Ann <Smith>",
        phone="0161 496 0000",
        email="ann@example.gov.uk",
        secure_email=True,
        last_confirmed=today,
        job_title="Partnership lead & more",
    )
    LAContactFactory(
        local_authority=world.la1,
        name="Bob",
        phone="",
        email="bob@example.gov.uk",
        last_confirmed=cutoff - datetime.timedelta(days=1),
    )
    LAContactFactory(local_authority=world.la12, name="Cath", phone="0161 496 0001", email="", last_confirmed=None)
    ContactFactory(district=world.d1, name="Dan", phone="", email="", last_confirmed=cutoff)
    contacts = list(contact_list(user=world.users["gpt"]).order_by("name"))
    assert len(contacts) >= 4
    context = {"contacts": contacts, "cutoff": cutoff, "show_role": show_role, "show_organisation": show_organisation}
    expected = engines["django"].from_string(ROW_TEMPLATE).render(context)
    written = contact_rows(contacts, cutoff, show_role=show_role, show_organisation=show_organisation)
    assert written == expected
    assert "Ann &lt;Smith&gt;" in written and "Never confirmed" in written and "None recorded" in written


def test_no_contacts_no_rows(world):
    assert contact_rows(Contact.objects.none(), timezone.localdate()) == ""
