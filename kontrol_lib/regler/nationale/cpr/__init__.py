"""Rule family: the CPR register (civil status, addresses, children, death, status). Rules in
``regler.py``, cases in ``tilfaelde.yaml``."""
