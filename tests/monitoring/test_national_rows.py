# ruff: noqa: E501
"""The national view's rows are written in Python (monitoring/templatetags/monitoring_tags.py) for speed; they must be
the HTML the row template below, the one the view used before, makes for the same rows."""

import pytest
from django.template import engines

from monitoring.selectors import NationalRow, ThresholdResult
from monitoring.templatetags.monitoring_tags import national_rows
from tests.boards.factories import board_for

pytestmark = pytest.mark.django_db

ROW_TEMPLATE = """{% for row in table.rows %}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell">{{ row.region|default:"–" }}</td>
      {% if row.is_total %}<th scope="row" class="govuk-table__header">{{ row.board_title }}</th>{% else %}<td class="govuk-table__cell"><a class="govuk-link" href="{% url 'monitoring:board' row.board_id %}">{{ row.board_title }}</a></td>{% endif %}
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ row.exercises }}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ row.result.within }} of {{ row.result.decided }}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{% if row.result.percent is None %}–{% else %}{{ row.result.percent }}%{% endif %}</td>
      <td class="govuk-table__cell">{% if row.result.met is None %}No decided cases{% elif row.result.met %}Met{% else %}<strong>Not met</strong>{% endif %}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ row.result.open_past }}</td>
    </tr>
  {% endfor %}"""


def test_every_kind_of_row_is_written_as_the_template_writes_it(world):
    board = board_for(world, title="North <West> & Co")
    rows = [
        NationalRow("North", board.pk, board.title, 3, ThresholdResult("Within 14 days", 85, 17, 20, 2)),
        NationalRow("North", board.pk, board.title, 1, ThresholdResult("Within 14 days", 85, 2, 3, 0)),
        NationalRow("North", None, "All boards in North", 4, ThresholdResult("Within 14 days", 85, 19, 23, 2)),
        NationalRow("", board.pk, board.title, 2, ThresholdResult("Within 14 days", 85, 0, 0, 5)),
        NationalRow("", None, "All regions", 10, ThresholdResult("Compliant", 100, 40, 40, 0)),
    ]
    expected = engines["django"].from_string(ROW_TEMPLATE).render({"table": {"rows": rows}})
    written = national_rows(rows)
    assert written == expected
    assert "North &lt;West&gt; &amp; Co" in written and "<strong>Not met</strong>" in written
    assert "No decided cases" in written and "100.0%" in written and ">–<" in written
