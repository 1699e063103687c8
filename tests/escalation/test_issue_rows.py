# ruff: noqa: E501
"""An issue table's rows are written in Python (escalation/templatetags/issue_tags.py) for speed; they must be the
HTML the row template below, the one the issue table used before, makes for the same issues."""

import datetime

import pytest
from django.template import engines
from django.utils import timezone

from escalation import selectors, services
from escalation.templatetags.issue_tags import issue_rows

ROW_TEMPLATE = """{% for issue in issues %}
    <tr class="govuk-table__row">
      <th scope="row" class="govuk-table__header"><a class="govuk-link" href="{{ issue.get_absolute_url }}">{{ issue.reference }}<span class="govuk-visually-hidden">:</span></a> <span class="liaison-issue-title">{{ issue.title }}</span><br><span class="govuk-body-s">{{ issue.category.name }}; logged {{ issue.created_at|date:"j M Y" }}</span></th>
      <td class="govuk-table__cell">{{ issue.level_label }}</td>
      <td class="govuk-table__cell">{{ issue.get_status_display }}</td>
      <td class="govuk-table__cell">{{ issue.district.name }}<br>{{ issue.local_authority.name }}</td>
      <td class="govuk-table__cell">{% if issue.due %}{{ issue.due|date:"j M Y" }}{% if issue.overdue %} <strong class="govuk-tag govuk-tag--red">Stalled</strong>{% endif %}{% elif issue.status == "resolved" %}<strong class="govuk-tag govuk-tag--yellow">Outcome to communicate</strong>{% else %}Outcome communicated{% endif %}</td>
    </tr>
    {% endfor %}"""


def _both(issues):
    expected = engines["django"].from_string(ROW_TEMPLATE).render({"issues": issues})
    return expected, issue_rows(issues)


def test_every_state_of_a_row_is_written_as_the_template_writes_it(route):
    erm = route.users["erm"]
    fresh = route.issue(title='Benefit <b>stop</b> & "notices"')
    stalled = route.issue(attempts_made=True, attempts_detail="Calls")
    stalled.level_since = timezone.now() - datetime.timedelta(days=60)
    stalled.save(update_fields=["level_since"])
    resolved = route.issue(attempts_made=True, attempts_detail="Calls")
    services.issue_resolve(actor=erm, issue=resolved, version=resolved.version, outcome="Fixed")
    issues = list(selectors.issue_list(user=route.users["gpt"]).order_by("-created_at", "-pk"))
    selectors.with_due(issues, selectors.level_targets())
    assert {issue.pk for issue in issues} >= {fresh.pk, stalled.pk, resolved.pk}
    assert any(getattr(issue, "overdue", False) for issue in issues)
    assert any(issue.status == "resolved" for issue in issues)
    expected, written = _both(issues)
    assert written == expected
    assert "Benefit &lt;b&gt;stop&lt;/b&gt; &amp; &quot;notices&quot;" in written


@pytest.mark.django_db
def test_no_issues_no_rows():
    assert _both([]) == ("", "")


def test_a_date_logged_just_before_midnight_in_summer_is_the_local_date(route):
    issue = route.issue()
    issue.created_at = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    issue.save(update_fields=["created_at"])
    issues = list(selectors.issue_list(user=route.users["gpt"]).filter(pk=issue.pk))
    expected, written = _both(issues)
    assert written == expected and "logged 1 Jul 2026" in written
