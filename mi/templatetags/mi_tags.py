from django import template

from mi.charts import draw

register = template.Library()


@register.simple_tag
def draw_chart(chart):
    return draw(chart)


@register.filter
def index(sequence, position):
    return sequence[position]


@register.filter
def is_number(value) -> bool:
    """Numbers (and figures written as numbers, "12.5%", "3 of 4") are right-aligned, words are not."""
    if isinstance(value, int | float):
        return True
    text = str(value).replace(",", "").replace("%", "").replace(" of ", "").replace(".", "").strip()
    return text.isdigit() or text in ("–", "None")
