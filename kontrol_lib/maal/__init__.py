"""Layer 6, the measures: what the control team's work brings back and how the cases are used.

- :mod:`.provenu`: KL's method, per category, ydelse and year (from a case file or the store).
- :mod:`.kl_effektmaaling`: KL's effektmåling workbook.
- :mod:`.benchmark`: STAR's funnel (exposed → visited → control case → stop/repayment), rolling windows.
- :mod:`.oversigt`: the summary of one samkøring run (bestand, udfald per rule).
"""
