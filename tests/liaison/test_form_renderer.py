"""Selects written in Python make exactly the HTML the select template makes."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting

from escalation.filters import IssueFilter
from escalation.models import Issue
from liaison.form_renderer import SELECT_TEMPLATE, LiaisonFormRenderer, render_select
from liaison.models import District


class Awkward(forms.Form):
    grouped = forms.ChoiceField(
        choices=[("", "Choose one"), ("North & West", [("a", 'A "quoted" <one>'), ("b", "B")]), ("c", "Plain")],
        widget=forms.Select(attrs={"class": "govuk-select", "aria-describedby": "grouped-hint", "data-x": True}),
    )
    many = forms.MultipleChoiceField(choices=[(1, "One"), (2, "Two & two"), (3, "Three")])
    off = forms.ChoiceField(choices=[("x", "X")], disabled=True, required=False)


def contexts(form):
    for bound in form:
        widget = bound.field.widget
        attrs = bound.build_widget_attrs({"id": bound.auto_id})
        yield widget.get_context(bound.html_name, bound.value(), attrs)


@pytest.mark.parametrize(
    "data", [{}, {"grouped": "a", "many": ["1", "3"]}, {"grouped": "nonsense", "many": ["9"], "off": "x"}]
)
def test_the_python_select_is_the_template_select(data):
    form = Awkward(data or None)
    form.is_valid()
    for context in contexts(form):
        assert render_select(context) == TemplatesSetting().render(SELECT_TEMPLATE, context)


@pytest.mark.django_db
def test_the_filter_choosers_render_the_same_either_way(world):
    district = District.objects.get(code="d1")
    form = IssueFilter(
        {"district": district.code, "status": "open"}, queryset=Issue.objects.all(), user=world.users["gpt"]
    ).form
    compared = 0
    for context in contexts(form):
        if context["widget"]["template_name"] == SELECT_TEMPLATE:
            assert render_select(context) == TemplatesSetting().render(SELECT_TEMPLATE, context)
            compared += 1
    assert compared >= 5
    assert f'<option value="{district.code}" selected>' in str(form["district"])


def test_every_other_widget_still_renders_through_its_template():
    html = LiaisonFormRenderer().render(
        "django/forms/widgets/input.html", {"widget": {"type": "text", "name": "q", "value": "a&b", "attrs": {}}}
    )
    assert html == '<input type="text" name="q" value="a&amp;b">'
