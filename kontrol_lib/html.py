"""HTML from Jinja2 templates: the one place the product renders markup.

A package that shows HTML keeps its markup in ``templates/*.html.j2`` beside the module that
renders it and renders it here: :func:`render` for a whole template, :func:`makro` for one macro
of a macro file (small pieces such as an ipywidgets.HTML value). Python passes data only —
plain strings already formatted with :mod:`kontrol_lib.format`, numbers, lists and dicts —
never markup: autoescape is always on, so every value is escaped (``& < > " '``) where the
template puts it. ``None`` renders as the empty string.

The templates share one set of whitespace rules (``trim_blocks`` and ``lstrip_blocks``): a line
holding only a block tag leaves nothing in the output, and ``{%- ... %}`` joins a line to the
one before it, so a template can be laid out line by line and still produce compact markup.

This module sits at the bottom of the layering: it imports nothing from kontrol_lib.
"""

from __future__ import annotations

from functools import cache

import jinja2

TEMPLATE_MAPPE = "templates"


def _tom_for_none(v):
    return "" if v is None else v


@cache
def miljoe(pakke: str) -> jinja2.Environment:
    """The Jinja2 environment of ``pakke``'s ``templates/`` folder (one per package, cached)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader(pakke, TEMPLATE_MAPPE),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_tom_for_none,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(pakke: str, skabelon: str, /, **data) -> str:
    """Render ``templates/<skabelon>`` of the package ``pakke`` (pass ``__package__``) with ``data``."""
    return miljoe(pakke).get_template(skabelon).render(**data)


def makro(pakke: str, skabelon: str, navn: str, /, **data) -> str:
    """Call the macro ``navn`` of ``templates/<skabelon>`` of ``pakke`` with ``data`` as keyword
    arguments; the markup as a plain string."""
    return str(getattr(miljoe(pakke).get_template(skabelon).module, navn)(**data))
