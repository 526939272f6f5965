"""Rule family: businesses (CVR) and VAT (R75 – Momsoplysninger). Rules in ``regler.py``, cases in
``tilfaelde.yaml``."""
