"""A list page's filter fields, rendered once for each different state and then reused.

Rendering a filter form through crispy-forms-gds costs 5 to 9 ms a page (eight fields through a dozen templates
each), more than the rest of a list. What it renders is fixed by the filter set's class, the values it was sent and
each chooser's options, so that is the key: the choosers' rows are read (every column, as plain tuples) and hashed, so a
renamed LA or a user who sees other districts never gets another's form. A form with errors is rendered afresh.
The store is this process's own, so a deployment with changed templates starts empty."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from django import forms, template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

TEMPLATE = "includes/filter_fields.html"
KEEP = 256

_rendered: OrderedDict[str, str] = OrderedDict()
_lock = threading.Lock()


def _key(filterset) -> str:
    form = filterset.form
    parts = [type(filterset).__module__, type(filterset).__qualname__]
    for name, field in form.fields.items():
        sent = form.data.getlist(name) if hasattr(form.data, "getlist") else [form.data.get(name, "")]
        parts.append(name)
        parts.extend(str(value) for value in sent)
        if isinstance(field, forms.ModelChoiceField):
            # Its rows, every column: the options' values and labels come from them, and plain tuples cost a
            # quarter of what the model instances the rendering builds do.
            parts.extend(repr(row) for row in field.queryset.values_list())
        elif hasattr(field, "choices"):
            parts.extend(f"{value}\x1f{label}" for value, label in field.choices)
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


@register.simple_tag(takes_context=True)
def filter_form(context, filterset) -> SafeString:
    request = context.get("request")
    form = filterset.form
    if form.is_bound and form.errors:
        return mark_safe(render_to_string(TEMPLATE, {"filter": filterset}, request))
    key = _key(filterset)
    with _lock:
        html = _rendered.get(key)
        if html is not None:
            _rendered.move_to_end(key)
            return mark_safe(html)
    html = render_to_string(TEMPLATE, {"filter": filterset}, request)
    with _lock:
        _rendered[key] = html
        while len(_rendered) > KEEP:
            _rendered.popitem(last=False)
    return mark_safe(html)
