"""Alembic's command line with the case store's configuration, for developers (no alembic.ini).

From the repository root::

    python -m kontrol_lib.sager.alembic_kommando revision --autogenerate -m "sager: add prioritet"

writes the next numbered revision (0003, 0004, ...) into ``sager/alembic/versions``;
``--autogenerate`` fills it in from the difference between :mod:`.schema` and a fresh store at
the newest revision (a throw-away SQLite file unless ``-x db=URL``); without it the revision is
empty. The other Alembic commands work too, with the store given before the command:
``history``, ``heads``, ``-x db=URL current`` and ``-x db=URL upgrade head --sql`` (the SQL, for
a DBA). Stores are upgraded by opening them (:class:`~.lager.SagsLager`), not with this command.
"""

from __future__ import annotations

import sys
import tempfile
import unicodedata
from pathlib import Path

from alembic import command
from alembic.config import CommandLine, Config
from alembic.script import ScriptDirectory

from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.sager.lager import SagsLager
from kontrol_lib.sager.migrations import alembic_config

PROG = "python -m kontrol_lib.sager.alembic_kommando"


def main(argv: list[str] | None = None) -> None:
    cli = CommandLine(prog=PROG)
    options = cli.parser.parse_args(argv)
    if not hasattr(options, "cmd"):
        cli.parser.error('angiv en kommando, fx: revision -m "kort beskrivelse"')
    cfg = alembic_config()
    cfg.cmd_opts = options
    revision = options.cmd[0] is command.revision
    with tempfile.TemporaryDirectory(prefix="kontrol-alembic-") as tmp:
        if revision:
            if getattr(options, "rev_id", None) is None:
                options.rev_id = naeste_revision(cfg)
            x_db = any(x.startswith("db=") for x in (options.x or []))
            if getattr(options, "autogenerate", False) and not x_db:
                url = f"sqlite:///{Path(tmp) / 'kontrol.sqlite'}"
                SagsLager(url).luk()                   # a fresh store at the newest revision
                cfg.attributes["url"] = url
        try:
            cli.run_cmd(cfg, options)
        except KontrolFejl as e:
            sys.exit(f"Fejl: {e}")
    if revision:
        _ascii_filnavn(cfg, options.rev_id)


def naeste_revision(cfg: Config | None = None) -> str:
    """The id of the next revision: the highest numbered one plus one, four digits."""
    script = ScriptDirectory.from_config(cfg or alembic_config())
    numre = [int(s.revision) for s in script.walk_revisions() if s.revision.isdigit()]
    return f"{max(numre, default=0) + 1:04d}"


_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def _ascii_filnavn(cfg: Config, rev_id: str) -> None:
    # Alembic keeps æ, ø, å of the message in the file name; the versions folder stays ASCII
    for p in Path(ScriptDirectory.from_config(cfg).versions).glob(f"{rev_id}_*.py"):
        navn = unicodedata.normalize("NFKD", p.name.translate(_ASCII)).encode("ascii", "ignore").decode()
        if navn != p.name:
            p.rename(p.with_name(navn))
            print(f"Omdøbt til {navn}")


if __name__ == "__main__":
    main()
