"""Rule family: ATP (Feriekonto). Rules in ``regler.py``, cases in ``tilfaelde.yaml``."""
