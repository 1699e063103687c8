"""Render a section of the agreement's text: paragraphs, and lines starting "- " as bullet lists."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def section_html(text: str, pdf: bool = False) -> SafeString:
    paragraph_class = "" if pdf else ' class="govuk-body"'
    list_class = "" if pdf else ' class="govuk-list govuk-list--bullet"'
    blocks: list[tuple[str, list[str]]] = []
    for line in (text or "").splitlines():
        stripped = line.strip()
        if not stripped:
            blocks.append(("gap", []))
            continue
        kind = "item" if stripped.startswith("- ") else "para"
        value = stripped[2:] if kind == "item" else stripped
        if blocks and blocks[-1][0] == kind == "item":
            blocks[-1][1].append(value)
        else:
            blocks.append((kind, [value]))
    html = []
    for kind, lines in blocks:
        if kind == "para" and "\t" in lines[0]:
            # The glossary: an abbreviation, a tab, what it stands for.
            term, meaning = lines[0].split("\t", 1)
            html.append(
                format_html("<p{}><strong>{}</strong> {}</p>", mark_safe(paragraph_class), term, meaning.strip())
            )
        elif kind == "para":
            html.append(format_html("<p{}>{}</p>", mark_safe(paragraph_class), lines[0]))
        elif kind == "item":
            items = format_html_join("", "<li>{}</li>", ((line,) for line in lines))
            html.append(format_html("<ul{}>{}</ul>", mark_safe(list_class), items))
    return mark_safe("".join(html))
