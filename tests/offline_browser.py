"""Open report HTML files in Debian's Chromium with every network request blocked, and tell
which charts drew. Shared by the report tests; not a test module itself.

Chromium is installed by ``make system-deps``; a missing browser FAILS the test (the offline
promise of the reports must be checked in CI, never skipped)."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")


def charts_drawn_offline(files: list[Path]) -> tuple[dict[str, list[bool]], list[str]]:
    """For each file: per ``img.graf``, whether it loaded with a real size; and every URL the
    pages tried to fetch other than file: and data: (all of them aborted)."""
    assert CHROMIUM.exists(), "Chromium mangler: kør make system-deps"
    from playwright.sync_api import sync_playwright
    requested: list[str] = []
    drawn: dict[str, list[bool]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
            "--no-sandbox", "--headless", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
        try:
            page = browser.new_page()

            def route(r):
                if r.request.url.startswith(("file:", "data:")):
                    r.continue_()
                else:
                    requested.append(r.request.url)
                    r.abort()
            page.route("**/*", route)
            for f in files:
                page.goto(f.as_uri())
                page.wait_for_load_state("load")
                drawn[f.name] = page.evaluate("""() => Array.from(document.querySelectorAll('img.graf'))
                    .map(i => i.complete && i.naturalWidth > 100 && i.naturalHeight > 50)""")
        finally:
            browser.close()
    return drawn, requested
