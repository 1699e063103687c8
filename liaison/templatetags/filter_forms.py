"""A list page's filter fields, rendered once for each different state and then reused.

Rendering a filter form through crispy-forms-gds costs 5 to 9 ms a page (eight fields through a dozen templates
each), more than the rest of a list. What it renders is fixed by the filter set's class, the values it was sent and
each chooser's options, so that is the key: a digest of the choosers' rows (every column), so a renamed LA or a user who
sees other districts never gets another's form. A form with errors is rendered afresh. The store is this process's
own, so a deployment with changed templates starts empty.

Reading and hashing 400 Local Authorities on every page cost 2 ms at national scale, so a chooser's digest is kept for
`DIGEST_SECONDS`, under its query (the user's scope is in it). Saving or deleting a row of a chooser's table, or
changing a many-to-many link (an LA's districts), forgets the digests at once in this process; another worker's
choosers follow within `DIGEST_SECONDS`. Choosers list reference data (districts, LAs, regions, roles, categories),
which changes a few times a year."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict

from django import forms, template
from django.db import connections
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from liaison.lru import Kept

register = template.Library()

TEMPLATE = "includes/filter_fields.html"
KEEP = 256
DIGEST_SECONDS = 30
# The clock the digests' age is read from (a test moves it on without moving everyone's clock).
_clock = time.monotonic

_rendered: OrderedDict[str, str] = OrderedDict()
# (database, SQL, parameters) -> (model, digest, when it was taken): what a chooser's query read, and when.
_digests: dict[tuple[str, str, str], tuple[type, str, float]] = {}
# (filter set, field, database, chooser_scope) -> (SQL, parameters) of the chooser's rows.
_chooser_sql = Kept(4 * KEEP)
_lock = threading.Lock()


def _key(filterset) -> str:
    form = filterset.form
    parts = [type(filterset).__module__, type(filterset).__qualname__]
    choosers = [
        _chooser_query(filterset, name, field.queryset)
        for name, field in form.fields.items()
        if isinstance(field, forms.ModelChoiceField)
    ]
    digests = iter(_chooser_digests(choosers))
    for name, field in form.fields.items():
        sent = form.data.getlist(name) if hasattr(form.data, "getlist") else [form.data.get(name, "")]
        parts.append(name)
        parts.extend(str(value) for value in sent)
        if isinstance(field, forms.ModelChoiceField):
            parts.append(next(digests))
        elif hasattr(field, "choices"):
            parts.extend(f"{value}\x1f{label}" for value, label in field.choices)
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


def _chooser_query(filterset, name: str, queryset: QuerySet) -> tuple[QuerySet, str, tuple]:
    """A chooser's queryset with its SQL and parameters: compiled once for each filter set, field and
    `chooser_scope` (what the filter set built its choosers from), where it says; else on each page."""
    scope = getattr(filterset, "chooser_scope", None)
    if scope is None:
        return (queryset, *queryset.values_list().query.sql_with_params())
    key = (type(filterset), name, queryset.db, scope)
    found = _chooser_sql.get(key)
    if found is None:
        found = queryset.values_list().query.sql_with_params()
        _chooser_sql.put(key, found)
    return (queryset, *found)


def _chooser_digests(queries: list[tuple[QuerySet, str, tuple]]) -> list[str]:
    """Each chooser's digest: the one taken in the last `DIGEST_SECONDS`, or taken now (in one query for all)."""
    now = _clock()
    keys = [(qs.db, sql, repr(params)) for qs, sql, params in queries]
    with _lock:
        known = {key: _digests.get(key) for key in keys}
    fresh = [key for key, kept in known.items() if kept is None or now - kept[2] > DIGEST_SECONDS]
    if fresh:
        by_key = dict(zip(keys, queries, strict=True))
        taken = _rows_digests([by_key[key] for key in fresh])
        with _lock:
            for key, digest in zip(fresh, taken, strict=True):
                known[key] = _digests[key] = (by_key[key][0].model, digest, now)
    return [known[key][1] for key in keys]


def _forget_digests(sender, **kwargs) -> None:
    with _lock:
        for key in [key for key, (model, _, _) in _digests.items() if model is sender]:
            del _digests[key]


def _forget_all_digests(sender, **kwargs) -> None:
    with _lock:
        _digests.clear()


post_save.connect(_forget_digests, weak=False, dispatch_uid="filter_forms.saved")
post_delete.connect(_forget_digests, weak=False, dispatch_uid="filter_forms.deleted")
m2m_changed.connect(_forget_all_digests, weak=False, dispatch_uid="filter_forms.linked")


def _rows_digests(queries: list[tuple[QuerySet, str, tuple]]) -> list[str]:
    """A digest of each chooser's rows (its queryset with its SQL and parameters), every column: the options'
    values and labels come from them.

    PostgreSQL hashes the rows itself, all choosers in one query, so the page reads a few short strings instead of
    400 Local Authorities' rows (2 ms a page at national scale). Elsewhere the rows are read as plain tuples."""
    if not queries:
        return []
    db = queries[0][0].db
    if connections[db].vendor != "postgresql" or any(qs.db != db for qs, _, _ in queries):
        return [repr(list(qs.values_list())) for qs, _, _ in queries]
    selects, params = [], []
    for _, sql, qs_params in queries:
        # A row as text is every column's value; the rows keep the chooser's order.
        selects.append(f"(SELECT md5(coalesce(string_agg(rows::text, chr(30)), '')) FROM ({sql}) rows)")
        params.extend(qs_params)
    with connections[db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        return list(cursor.fetchone())


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
