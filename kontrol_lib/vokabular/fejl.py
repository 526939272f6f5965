"""The product's user-facing error: a Danish message, shown without a traceback by the CLI."""


class KontrolFejl(Exception):
    """An error the user can act on. The message is Danish and never contains a CPR number."""
