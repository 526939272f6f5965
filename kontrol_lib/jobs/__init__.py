"""Layer 7, the jobs: runs that chain the layers below for a date and a municipality.

- :mod:`.daglig`: the daily run (registers → samkøring → udfald into the case store, expiry).
- :mod:`.lokale_lister`: the municipality's own lists into the case store.
- :mod:`.simulering`: the national simulation behind the benchmark demo.
- :mod:`.syntetisk`: synthetic registers, case history and list enrichment (all test data).
"""
