"""Addresses of the pages of single things, written without resolving the URL patterns each time.

`reverse()` walks the URL patterns on every call (about 40 µs): a list of 50 rows, each linking to its thing, spent
2 ms of a 10 ms page on it. An address of the form `/<prefix>/<id>/<suffix>` is reversed once per view, with a
marker for the id, and then written by joining the pieces."""

from __future__ import annotations

import re
from functools import cache

from django.urls import get_script_prefix, reverse

# An id no table reaches, whose digits stand nowhere else in an address.
_MARK = 918273645546372819


@cache
def _pieces(viewname: str, prefix: str) -> tuple[str, str]:
    # The prefix (a deployment under a sub-path) is part of what reverse() writes, so it is part of the key.
    address = reverse(viewname, args=[_MARK])
    before, found, after = address.partition(str(_MARK))
    if not found or str(_MARK) in after:
        raise ValueError(f"{viewname} does not take one id")
    return before, after


def path_for(viewname: str, pk: int) -> str:
    """`reverse(viewname, args=[pk])` for a view whose address takes one integer id."""
    before, after = _pieces(viewname, get_script_prefix())
    return f"{before}{int(pk)}{after}"


# What a code may hold to be written into an address as it is (reverse() would quote nothing in it either).
_PLAIN_CODE = re.compile(r"[-A-Za-z0-9_]+")


def path_for_code(viewname: str, code: str) -> str:
    """`reverse(viewname, args=[code])` for a view whose address takes one code (a district's, an LA's GSS code).
    A code with anything but letters, digits, hyphens and underscores is left to reverse(), which checks it."""
    if not _PLAIN_CODE.fullmatch(code):
        return reverse(viewname, args=[code])
    before, after = _pieces(viewname, get_script_prefix())
    return f"{before}{code}{after}"
