from django import template

from mi.charts import draw

register = template.Library()


@register.simple_tag
def draw_chart(chart):
    return draw(chart)


@register.filter
def index(sequence, position):
    return sequence[position]
