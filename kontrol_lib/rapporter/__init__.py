"""Reports: the control team's annual report, the committee briefing, the benchmark report and the
analyst's notebook.

- :mod:`.kommuneparametre`: per-municipality, per-year parameters (``parameters/kommuner/``),
  validated with every problem named.
- :mod:`.indhold`: every figure a report shows (from :mod:`kontrol_lib.maal.provenu` and
  :mod:`kontrol_lib.maal.benchmark`, plus thin compositions); the notebooks hold no arithmetic.
- :mod:`.benchmarkrapport`: the benchmark report's tables and chart data (from
  :mod:`kontrol_lib.maal.benchmark`) and the reconciliation of the file with the case store's log.
- :mod:`.visning`: Danish-formatted tables, key figures, notes and SVG charts as notebook outputs.
- :mod:`.koersel`: papermill on a warm kernel, HTML and PDF export, atomic publishing.
- :mod:`.eksport`: the offline nbconvert template and WeasyPrint A4 PDF.
- :mod:`.batch`: many municipalities and years in parallel (``kontrol batch``).

See docs/rapporter.md.
"""
