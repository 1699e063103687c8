"""Selects written in Python make exactly the HTML the select template makes."""

from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import TemplatesSetting

from escalation.filters import IssueFilter
from escalation.models import Issue
from liaison.form_renderer import (
    INPUT_TEMPLATES,
    SELECT_TEMPLATE,
    TEXTAREA_TEMPLATE,
    LiaisonFormRenderer,
    render_select,
)
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


class Inputs(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"class": "govuk-input", "autocomplete": "off"}))
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.IntegerField(widget=forms.HiddenInput)
    email = forms.EmailField(required=False)
    number = forms.DecimalField(required=False, widget=forms.NumberInput(attrs={"step": "0.1", "data-on": True}))
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    agree = forms.BooleanField(required=False)
    upload = forms.FileField(required=False, widget=forms.FileInput(attrs={"accept": ".csv"}))
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "aria-describedby": "notes-hint"}))
    off = forms.CharField(required=False, disabled=True, initial="<kept>")


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"text": 'A "quoted" <tag> & more', "hidden": "7", "notes": "Line one\n<b>two</b> & 'three'", "agree": "on"},
        {"text": "", "secret": "p&ss", "hidden": "x", "email": "not an email", "number": "1.5", "day": "2026-12-02"},
    ],
)
def test_python_inputs_and_text_areas_are_the_templates_html(data):
    form = Inputs(data or None, initial={"hidden": 3, "notes": "Kept & shown"})
    form.is_valid()
    written = 0
    for context in contexts(form):
        template = context["widget"]["template_name"]
        ours = LiaisonFormRenderer().render(template, context)
        assert ours == TemplatesSetting().render(template, context), template
        written += template in INPUT_TEMPLATES or template == TEXTAREA_TEMPLATE
    assert written == len(form.fields)


def test_the_inputs_written_in_python_are_those_whose_template_is_one_input():
    # Should Django change one of these templates, or the project override one, the Python must change with it.
    import django

    widgets = Path(django.__file__).parent / "forms/templates/django/forms/widgets"
    for template in INPUT_TEMPLATES - {"django/forms/widgets/input.html"}:
        assert (widgets / Path(template).name).read_text().strip() == (
            '{% include "django/forms/widgets/input.html" %}'
        ), template
    overridden = {path.name for path in (Path(settings.BASE_DIR) / "templates/django/forms/widgets").iterdir()}
    assert overridden == {"select.html"}
