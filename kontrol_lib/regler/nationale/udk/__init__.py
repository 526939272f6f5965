"""Rule family: Udbetaling Danmark (maintenance cases). Rules in ``regler.py``, cases in
``tilfaelde.yaml``."""
