"""A chart as an <img> of its SVG (a data: URL), for the PDF's source.

Inline, each bar, label and <title> of a chart is an element of the HTML document that WeasyPrint
parses, styles and tags like any other; as an image the same SVG is drawn with none of that work
(issue 27: the PDF's cost per report). The screen keeps the inline SVG, which a browser styles,
scrolls and reads out."""

import base64

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def svg_image(template_name, css_class, alt="", **context):
    """<img class=css_class alt=alt> of the SVG that `template_name` renders with `context`."""
    svg = render_to_string(template_name, context).strip()
    source = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return format_html('<img class="{}" src="{}" alt="{}">', css_class, source, alt)
