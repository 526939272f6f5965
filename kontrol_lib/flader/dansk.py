"""argparse in Danish, for every face that parses a command line (the ``kontrol`` command, the
visitation app's launcher, the scheduled jobs' wrapper). A module of its own so that a face needs
only argparse to use it, not the whole command tree of :mod:`kontrol_lib.flader.cli`."""

from __future__ import annotations

import argparse
import sys


class DanskParser(argparse.ArgumentParser):
    """argparse with Danish headings and messages (argparse's own are English)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._optionals.title = "tilvalg"
        self._positionals.title = "argumenter"

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "brug:", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage:", "brug:", 1)

    def error(self, message: str):  # argparse's own messages are English; say it in Danish
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fejl i kommandoen: {message}\n")
