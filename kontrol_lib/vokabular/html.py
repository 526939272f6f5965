"""HTML from Jinja2 templates: the one place the product renders markup.

A package that shows HTML keeps its markup in ``templates/*.html.j2`` beside the module that
renders it and renders it here: :func:`render` for a whole template, :func:`makro` for one macro
of a macro file (small pieces such as an ipywidgets.HTML value). Python passes data only —
plain strings already formatted with :mod:`kontrol_lib.vokabular.format`, numbers, lists and dicts —
never markup. Every value a template prints is escaped (``& < > " '``) with the standard
library's :func:`html.escape`, the spelling the product's HTML has always had (``&#x27;``,
``&quot;``; markupsafe would write ``&#39;``, ``&#34;``), and autoescape is on besides, so
nothing reaches the page unescaped. ``None`` renders as the empty string; a macro's output
(already markup) is kept as it is.

The templates share one set of whitespace rules (``trim_blocks`` and ``lstrip_blocks``): a line
holding only a block tag leaves nothing in the output, and ``{%- ... %}`` joins a line to the
one before it, so a template can be laid out line by line and still produce compact markup.

This module sits at the bottom of the layering: it imports nothing from kontrol_lib.
"""

from __future__ import annotations

from functools import cache
from html import escape as _escape

import jinja2
from markupsafe import Markup

TEMPLATE_MAPPE = "templates"


def _udskriv(v):
    """Jinja2's finalize: every printed value escaped as :func:`html.escape` does; None empty."""
    if v is None:
        return Markup("")
    if hasattr(v, "__html__"):            # markup made by a template (a macro, a call block)
        return v
    return Markup(_escape(str(v), quote=True))


@cache
def jinja_miljoe(pakke: str) -> jinja2.Environment:
    """The Jinja2 environment of ``pakke``'s ``templates/`` folder (one per package, cached)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader(pakke, TEMPLATE_MAPPE),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_udskriv,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(pakke: str, skabelon: str, /, **data) -> str:
    """Render ``templates/<skabelon>`` of the package ``pakke`` (pass ``__package__``) with ``data``."""
    return jinja_miljoe(pakke).get_template(skabelon).render(**data)


def makro(pakke: str, skabelon: str, navn: str, /, **data) -> str:
    """Call the macro ``navn`` of ``templates/<skabelon>`` of ``pakke`` with ``data`` as keyword
    arguments; the markup as a plain string."""
    return str(getattr(jinja_miljoe(pakke).get_template(skabelon).module, navn)(**data))
