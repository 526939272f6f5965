"""The analyst's interactive charts (issue 14): two on one page both draw, offline, in Danish.

altair's inline template declared ``const spec`` in a classic script, so in JupyterLab (one global
scope for every output) the second chart failed with "Identifier 'spec' has already been
declared" and stayed blank. :func:`visning.interaktiv` gives each script its own scope and
Vega the Danish number format. Checked in Chromium with every request but file: and data: aborted.
"""

import altair as alt
import pandas as pd

from kontrol_lib.rapporter import visning as vis
from offline_browser import CHROMIUM


def test_two_interactive_charts_on_one_page_both_draw_offline_with_danish_numbers(tmp_path):
    data = pd.DataFrame({"kategori": ["KL-ydelser", "SU-sager"], "provenu": [2000000, 1250000.5]})
    diagram = alt.Chart(data).mark_bar().encode(x=alt.X("provenu:Q", axis=alt.Axis(format=",.0f")), y="kategori:N")
    side = tmp_path / "to.html"
    side.write_text("<html><body>" + vis.interaktiv(diagram).data + vis.interaktiv(diagram).data + "</body></html>",
                    encoding="utf-8")
    from playwright.sync_api import sync_playwright
    fejl, anmodninger = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("pageerror", lambda e: fejl.append(str(e)))
            page.on("console", lambda m: fejl.append(m.text) if m.type == "error" else None)

            def route(r):
                if r.request.url.startswith(("file:", "data:")):
                    r.continue_()
                else:
                    anmodninger.append(r.request.url)
                    r.abort()
            page.route("**/*", route)
            page.goto(side.as_uri())
            page.wait_for_function("document.querySelectorAll('.vega-embed svg.marks').length >= 2", timeout=20000)
            tegnet = page.evaluate("Array.from(document.querySelectorAll('.vega-embed svg.marks')).length")
            tekst = page.evaluate("Array.from(document.querySelectorAll('.vega-embed svg.marks text'))"
                                  ".map(t => t.textContent)")
        finally:
            browser.close()
    assert (tegnet, fejl, anmodninger) == (2, [], [])
    assert "2.000.000" in tekst and "2,000,000" not in tekst
