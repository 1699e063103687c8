"""How form widgets become HTML. A chooser of 400 Local Authorities is 400 passes through the template engine (about
50 ms a page), so selects are written here instead, to exactly the HTML the template
`templates/django/forms/widgets/select.html` makes; so are Django's text areas and single inputs, whose templates
are three includes each for one tag (an issue's page renders a dozen through them). Every other widget renders
through its template. tests/liaison/test_form_renderer.py proves each is the template's HTML."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
# Django's templates that are nothing but `{% include "django/forms/widgets/input.html" %}` (none is overridden in
# templates/django/forms/widgets/).
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "hidden",
        "email",
        "number",
        "password",
        "search",
        "tel",
        "url",
        "date",
        "datetime",
        "time",
        "color",
        "checkbox",
        "file",
    )
)


class LiaisonFormRenderer(TemplatesSetting):
    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            return render_select(context)
        if template_name in INPUT_TEMPLATES:
            return render_input(context)
        if template_name == TEXTAREA_TEMPLATE:
            return render_textarea(context)
        return super().render(template_name, context, request=request)


def _formatted(value) -> str:
    # `value|stringformat:'s'` in a template makes a plain string, which autoescaping then escapes (even one that
    # was marked safe): `escape` escapes whatever it is given.
    return escape(value)


def _attrs(attrs: dict) -> str:
    # As django/forms/widgets/attrs.html: False leaves the attribute out, True writes its name alone.
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_input(context: dict) -> SafeString:
    widget = context["widget"]
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return mark_safe(
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"{value}'
        f"{_attrs(widget['attrs'])}>"
    )


def render_textarea(context: dict) -> SafeString:
    widget = context["widget"]
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return mark_safe(
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    )


def render_select(context: dict) -> SafeString:
    widget = context["widget"]
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))
