"""Rule family: cars (R75 – Biloplysninger). Rules in ``regler.py``, cases in ``tilfaelde.yaml``."""
