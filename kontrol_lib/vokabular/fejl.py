"""The product's user-facing error: a Danish message, shown without a traceback by the CLI."""


class KontrolFejl(Exception):
    """An error the user can act on. The message is Danish and never contains a CPR number."""


class KontrolAdvarsel(UserWarning):
    """A warning the user should see (Danish, never a CPR number). The ``kontrol`` command
    shows it on stderr as ``Advarsel: ...``; elsewhere it is an ordinary Python warning."""
