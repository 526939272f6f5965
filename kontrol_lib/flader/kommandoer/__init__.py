"""One module per ``kontrol`` sub-command; each defines ``register(subparsers)`` and is found by
:func:`kontrol_lib.flader.cli.build_parser`. Shared argument helpers live in
:mod:`kontrol_lib.flader.argumenter`."""
