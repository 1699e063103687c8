"""Rules that keep customer personal data out of Liaison (DESIGN.md "Data protection"; PA 3.1.2).

- `nino_in(text)`: a National Insurance number anywhere in a text, with or without spaces.
- `case_reference_problem(value)`: why a monitoring case reference is refused (a name, a NINO, a formula, the wrong
  shape), or None. A case reference is one token of letters, digits, "-" and "/" with at least one digit, at most 40
  characters.
- `NoNino` and `TEXT_LIMITS`: the guard and the maximum lengths for free text that other people read.
- `checks_free_text`: puts the guard and the limits on a form's fields; `free_text_problems`: the same rules for a
  model that declares `FREE_TEXT`, checked before every save (`refuse_unsafe_free_text`, connected in apps.py), so that
  no path around the forms stores a NINO or a pasted file.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible

# Any two letters: temporary and old numbers break HMRC's prefix rules, and a false alarm costs less than a leak.
# The suffix is A to D.
_PREFIX = r"[A-Z]{2}"
# Anywhere, even run into other characters ("REFAB123456C"), when the suffix letter is there ...
_WITH_SUFFIX = re.compile(_PREFIX + r"\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]", re.IGNORECASE)
# ... and as a word of its own without it ("AB 12 34 56"), which a case number run into letters is not.
_AS_WORD = re.compile(r"\b" + _PREFIX + r"\s?\d{2}\s?\d{2}\s?\d{2}(?:\s?[A-D])?\b", re.IGNORECASE)

CASE_REFERENCE_MAX = 40
_TOKEN = re.compile(r"[A-Za-z0-9/-]+")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "|")
# Two or more words of letters (a title, a first name, a surname), perhaps with a number after them.
_NAME = re.compile(r"[A-Za-z][A-Za-z'.-]*(?:\s+[A-Za-z][A-Za-z'.-]*)+(?:\s+\d+)?")


def nino_in(text: str) -> bool:
    text = text or ""
    return bool(_WITH_SUFFIX.search(text) or _AS_WORD.search(text))


def case_reference_problem(value: str) -> str | None:
    """Why `value` cannot be a case reference, in words for the person who typed it; None when it can."""
    value = (value or "").strip()
    if not value:
        return "Enter the case reference"
    if nino_in(value) or nino_in(re.sub(r"\s+", "", value)):
        return "It contains a National Insurance number: enter the case reference, never a NINO"
    if value.startswith(_FORMULA_START):
        return "It starts like a spreadsheet formula (=, +, -, @): enter the reference as your case system shows it"
    if _NAME.fullmatch(value) or (value.isalpha() and not any(c.isdigit() for c in value)):
        return "It looks like a person's name: enter the case reference, never the customer's name"
    if any(c.isspace() for c in value):
        return "It must be one word without spaces: letters, digits, - and /"
    if not _TOKEN.fullmatch(value):
        return "Use only letters, digits, - and /"
    if not any(c.isdigit() for c in value):
        return "A case reference has at least one digit"
    if len(value) > CASE_REFERENCE_MAX:
        return f"It must be {CASE_REFERENCE_MAX} characters or fewer"
    return None


# A board's own shape for its case system: "#" a digit, "@" a letter, anything else itself; several shapes are
# separated by commas ("HB/######, CTB-@@####"). Shapes compile to a plain pattern with no repetition a person
# writes, so a board's shape can never make the check slow.
SHAPE_CHARACTERS = re.compile(r"[A-Za-z0-9/#@-]+")


def shape_pattern(shapes: str) -> re.Pattern:
    parts = []
    for shape in (s.strip() for s in (shapes or "").split(",")):
        if not shape:
            continue
        parts.append("".join(r"\d" if c == "#" else "[A-Za-z]" if c == "@" else re.escape(c) for c in shape))
    return re.compile("(?:" + "|".join(parts) + ")") if parts else re.compile(".*")


def shape_problems(shapes: str, example: str) -> dict[str, str]:
    """What is wrong with a board's shape and its example; empty when both may be saved."""
    errors: dict[str, str] = {}
    items = [s.strip() for s in (shapes or "").split(",") if s.strip()]
    if not items:
        errors["shape"] = "Enter the shape of your case references, for example HB/######"
    elif any(not SHAPE_CHARACTERS.fullmatch(s) or len(s) > CASE_REFERENCE_MAX for s in items):
        errors["shape"] = "Use only letters, digits, - and / with # for a digit and @ for a letter, 40 at most each"
    elif not any("#" in s or any(c.isdigit() for c in s) for s in items):
        errors["shape"] = "Each shape needs at least one digit (#)"
    example = (example or "").strip()
    if not example:
        errors["example"] = "Enter an example of a case reference"
    elif problem := case_reference_problem(example):
        errors["example"] = problem
    elif "shape" not in errors and not shape_pattern(shapes).fullmatch(example):
        errors["example"] = "The example does not have the shape above"
    return errors


@deconstructible
class NoNino:
    """Refuse text holding a National Insurance number, saying which field: others read it, and Liaison holds no
    customer's personal data."""

    message = (
        "Remove the National Insurance number from {field}: Liaison must hold no customer's personal data. "
        "Refer to the case by its reference instead."
    )

    def __init__(self, field: str = "this text"):
        self.field = field

    def __call__(self, value) -> None:
        if nino_in(str(value or "")):
            raise ValidationError(self.message.format(field=self.field), code="nino")

    def __eq__(self, other) -> bool:
        return isinstance(other, NoNino) and other.field == self.field


# Maximum lengths of free text, in characters: generous for what each holds, small enough to refuse a pasted file.
TEXT_LIMITS = {
    "title": 200,
    "line": 300,
    "short": 2_000,
    "medium": 5_000,
    "long": 10_000,
    "document": 20_000,
    "minutes": 50_000,
}


def _kind_and_where(name: str, spec: str | tuple[str, str]) -> tuple[str, str]:
    if isinstance(spec, tuple):
        return spec
    return spec, "the " + name.replace("_", " ")


def too_long_message(where: str, limit: int) -> str:
    return f"{where[0].upper()}{where[1:]} must be {limit:,} characters or fewer"


def checks_free_text(**fields: str | tuple[str, str]):
    """A class decorator for forms: each named field gets its maximum length and the NINO guard.

    `description="long"` names the field "the description" in messages; `text=("short", "the progress note")`
    says it in words of its own. Kinds are the keys of TEXT_LIMITS.
    """

    def decorate(form_class):
        for name, spec in fields.items():
            kind, where = _kind_and_where(name, spec)
            limit = TEXT_LIMITS[kind]
            # A subclass shares its parent's field objects: change a copy, so the parent keeps its own rules.
            field = form_class.base_fields[name] = copy.deepcopy(form_class.base_fields[name])
            field.max_length = limit
            field.validators = [
                *field.validators,
                MaxLengthValidator(limit, message=too_long_message(where, limit)),
                NoNino(where),
            ]
        return form_class

    return decorate


def free_text_problems(instance, fields: Mapping[str, str | tuple[str, str]]) -> dict[str, str]:
    """What is wrong with a model instance's free text, by field; empty when it may be saved."""
    problems = {}
    for name, spec in fields.items():
        kind, where = _kind_and_where(name, spec)
        value = str(getattr(instance, name) or "")
        if len(value) > TEXT_LIMITS[kind]:
            problems[name] = too_long_message(where, TEXT_LIMITS[kind])
        elif nino_in(value):
            problems[name] = NoNino.message.format(field=where)
    return problems


def refuse_unsafe_free_text(sender, instance, raw=False, **kwargs) -> None:
    """pre_save: a model that declares FREE_TEXT never stores a NINO or an over-long text, whoever writes it."""
    fields = getattr(sender, "FREE_TEXT", None)
    if raw or not fields:
        return
    if problems := free_text_problems(instance, fields):
        raise ValidationError(problems)
