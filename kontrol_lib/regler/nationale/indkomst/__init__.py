"""Rule family: income (eIndkomst). Rules in ``regler.py``, cases in ``tilfaelde.yaml``."""
