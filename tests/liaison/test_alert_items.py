# ruff: noqa: E501
"""The home page's alerts are written in Python (liaison/templatetags/alert_tags.py) for speed; they must be the HTML
the loop below, the one the home page used before, makes for the same alerts."""

import datetime

import pytest
from django.template import engines

from liaison.models import Alert
from liaison.templatetags.alert_tags import alert_items

pytestmark = pytest.mark.django_db

LOOP = """{% load govuk %}{% for alert in alerts %}
      <li>
        {% if alert.url %}<a class="govuk-link" href="{{ alert.url }}">{{ alert.title }}</a>{% else %}{{ alert.title }}{% endif %}
        {% if alert.detail %}<p class="govuk-body-s govuk-!-margin-bottom-0">{{ alert.detail }}</p>{% endif %}
        <p class="govuk-body-s govuk-!-margin-bottom-0 liaison-secondary-text">Raised {{ alert.raised_at|govuk_date }}</p>
      </li>
      {% endfor %}"""


def test_every_kind_of_alert_is_written_as_the_loop_wrote_it():
    raised = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)  # 1 July in London
    alerts = [
        Alert(
            title='Board <b>"late"</b> & stalled', detail="Due <2 December>", url="/boards/1/?a=1&b=2", raised_at=raised
        ),
        Alert(title="No link", detail="", url="", raised_at=raised),
        Alert(title="Link, no detail", detail="", url="/issues/7/", raised_at=raised),
    ]
    expected = engines["django"].from_string(LOOP).render({"alerts": alerts})
    written = alert_items(alerts)
    assert written == expected
    assert "Board &lt;b&gt;&quot;late&quot;&lt;/b&gt; &amp; stalled" in written
    assert 'href="/boards/1/?a=1&amp;b=2"' in written and "Raised 1 July 2026" in written
    assert alert_items([]) == engines["django"].from_string(LOOP).render({"alerts": []}) == ""
