"""Layer 1, the vocabulary: what every other layer speaks and nothing imports from above.

- :mod:`.koder`: codes with their Danish labels (ydelser, kanaler, myndigheder, resultater,
  rytmer, kontroltyper, ydelsesområder, workflow statuses), declared once.
- :mod:`.tid`: one helper per legal phrase of time ("tre hele måneder", "D + 3 måneder").
- :mod:`.penge`: exact money (Decimal kr., whole øre).
- :mod:`.steder`: the KLE numbers and the 98 municipalities the product knows (``data/``).
- :mod:`.format`: Danish formatting of numbers, money and dates.
- :mod:`.fejl`: :class:`KontrolFejl`, the error a user can act on.
- :mod:`.pseudonym`: keyed pseudonyms of CPR numbers (the key file outside the store).
"""
