"""What every module of the case store shares and nothing else: the advisory lock keys, the
conflict error, the clock, case ids, the KLE look-up, the amounts of a decision (:class:`Beloeb`),
JSON columns, the user-name check and the DataFrame shape of a result. It imports no other
module of :mod:`kontrol_lib.sager`, so the store (:mod:`.lager`) and the workflow modules that
the store delegates to (:mod:`.udstilling`, :mod:`.arbejdslister`, :mod:`.kontrolark`,
:mod:`.sagsimport`, :mod:`.trin3`) all build on it without a cycle."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.koder import AENDRINGER, KANAL_SAMKOERING, RYTMER
from kontrol_lib.vokabular.penge import til_oere
from kontrol_lib.vokabular.steder import known_kle

WORKFLOW_KANAL = KANAL_SAMKOERING

LAAS_KOERSEL = 4202     # PostgreSQL advisory lock keys
LAAS_BESTIL = 4203


class SagKonflikt(KontrolFejl):
    """Another user changed the case between reading and writing; nothing was stored."""


def nu() -> dt.datetime:
    """Now, UTC, without tzinfo (stored the same way in both databases)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def ny_sag_id(rng=None) -> str:
    """A pseudonymous case id: 8 random characters from an alphabet without look-alikes.
    ``rng`` (anything with ``.choice``) defaults to the system's secure source; a seeded
    ``random.Random`` gives reproducible ids (the national simulation)."""
    alfabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    choice = (rng or secrets.SystemRandom()).choice
    s = "".join(choice(alfabet) for _ in range(8))
    return f"{s[:4]}-{s[4:]}"


def kle_opslag(kle: str | None) -> dict:
    """titel, ydelsesomraade, ydelse of a KLE number (``kontrol_lib/vokabular/data/kle.csv``)."""
    df = known_kle()
    hit = df[df["kle"] == kle]
    if hit.empty:
        raise KontrolFejl(f"Ukendt KLE-nummer: {kle} (se kontrol_lib/vokabular/data/kle.csv)")
    r = hit.iloc[0]
    return {"titel": r["titel"], "ydelsesomraade": r["ydelsesomraade"], "ydelse": r["ydelse"]}


@dataclass(frozen=True)
class Beloeb:
    """The outcome amounts for one ydelse of a closed case (kr., exact)."""
    ydelse: str | None = None                 # None: the case's own ydelse
    besparelse_rytme: str | None = None       # maaned, uge, kvartal, aar, fast
    besparelse_beloeb: Decimal | str | None = None
    tilbagebetalingskrav: Decimal | str | None = None
    efterregulering: Decimal | str | None = None
    skat: Decimal | str | None = None
    aendring: str | None = None               # stop / nedsat
    politianmeldt: str | None = None          # ja / nej
    videresendt_til: str | None = None

    def raekke(self, ydelse: str) -> dict:
        """The ``beloeb`` row (øre), validated."""
        if self.besparelse_rytme is not None and self.besparelse_rytme not in RYTMER:
            raise KontrolFejl(f"Ukendt besparelsesrytme '{self.besparelse_rytme}' "
                              f"(tilladt: {', '.join(RYTMER)})")
        besparelse = til_oere(self.besparelse_beloeb, "besparelse_beloeb")
        if (self.besparelse_rytme is None) != (besparelse is None):
            raise KontrolFejl("Besparelsens rytme og beløb skal angives sammen "
                              "(--besparelse-rytme og --besparelse-beloeb)")
        if self.aendring is not None and self.aendring not in AENDRINGER:
            raise KontrolFejl(f"Ukendt ændring '{self.aendring}' (tilladt: {', '.join(AENDRINGER)})")
        if self.politianmeldt is not None and self.politianmeldt not in ("ja", "nej"):
            raise KontrolFejl(f"politianmeldt skal være ja eller nej, ikke '{self.politianmeldt}'")
        return {
            "ydelse": ydelse, "besparelse_rytme": self.besparelse_rytme, "besparelse_oere": besparelse,
            "tilbagebetalingskrav_oere": til_oere(self.tilbagebetalingskrav, "tilbagebetalingskrav"),
            "efterregulering_oere": til_oere(self.efterregulering, "efterregulering", ikke_negativ=False),
            "skat_oere": til_oere(self.skat, "skat", ikke_negativ=False),
            "aendring": self.aendring, "politianmeldt": self.politianmeldt,
            "videresendt_til": self.videresendt_til,
        }


def ramme(rows: list[dict], cols: list[str]) -> pd.DataFrame:
    """A DataFrame whose text, date and optional columns stay Python objects (None stays None,
    dates stay ``datetime.date``); whole-number columns without gaps become int64."""
    data = {}
    for c in cols:
        vals = [r.get(c) for r in rows]
        if vals and all(isinstance(v, int) and not isinstance(v, bool) for v in vals):
            data[c] = pd.Series(vals, dtype="int64")
        else:
            data[c] = pd.Series(vals, dtype=object)
    return pd.DataFrame(data, columns=cols)


def fra_json(s: str | None) -> dict:
    return json.loads(s) if s else {}


def til_json(d: dict) -> str:
    return json.dumps(d, ensure_ascii=False, sort_keys=True, default=str)


DATABASEFEJL = (
    (("readonly database", "read-only", "25006"), "Sagslageret er skrivebeskyttet, så intet kunne gemmes. "
                                                  "Kontrollér filens eller databasens rettigheder."),
    (("database or disk is full", "no space left", "53100", "disk full"), "Disken er fuld, så intet kunne gemmes. "
                                                                         "Frigør plads, og kør igen."),
    (("file is not a database", "malformed", "xx001", "xx002"), "Sagslageret er beskadiget (ikke en gyldig "
                                                                "database). Gendan det fra en sikkerhedskopi."),
    (("database is locked", "55p03", "40p01"), "Sagslageret er optaget af en anden kørsel. Prøv igen om lidt."),
    (("unable to open database file",), "Sagslageret kan ikke åbnes: mappen findes ikke eller kan ikke læses."),
    (("password authentication failed", "peer authentication failed", "28p01", "28000"),
     "Databasen afviste login (forkert bruger eller adgangskode)."),
    (("connection refused", "could not connect", "connection to server", "no such file or directory", "08001",
      "08006"), "Databaseserveren svarer ikke (forbindelsen kunne ikke oprettes)."),
)


def databasefejl(e) -> KontrolFejl:
    """A database failure (a SQLAlchemy ``DBAPIError``) as one Danish sentence. Never the
    statement or its parameters, and never PostgreSQL's DETAIL line (a unique violation names the
    key's values there, which may be a CPR number): only the driver's primary message is read, to
    recognise the kind of failure."""
    kaede, f = [], e                  # the failure that caused it too: SQLite's "disk full" inside a
    while f is not None and len(kaede) < 10:          # savepoint surfaces as "no such savepoint"
        kaede.append(f)
        f = f.__context__
    for f in kaede:
        orig = getattr(f, "orig", f)
        diag = getattr(orig, "diag", None)
        primaer = (getattr(diag, "message_primary", None) or str(orig).split("\n")[0]).lower()
        tilstand = (getattr(orig, "sqlstate", None) or "").lower()
        for noegler, tekst in DATABASEFEJL:
            if any(n in primaer or n == tilstand for n in noegler):
                return KontrolFejl(tekst)
        if "loggen kan kun tilføjes" in primaer:
            return KontrolFejl(primaer[0].upper() + primaer[1:])
    return KontrolFejl(f"Databasen afviste handlingen ({type(getattr(e, 'orig', e)).__name__}); intet er gemt.")


def beloeb_raekker(liste: list[Beloeb], standard_ydelse: str) -> list[dict]:
    rows, seen = [], set()
    for b in liste:
        y = b.ydelse or standard_ydelse
        if y in seen:
            raise KontrolFejl(f"Ydelsen {y} er angivet to gange")
        seen.add(y)
        rows.append(b.raekke(y))
    return rows
