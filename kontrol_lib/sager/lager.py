"""The case store: an append-only log of transitions in SQLite or PostgreSQL.

``SagsLager(url)`` opens (and migrates) a store. Every change is one transaction that appends
rows; the current state of a case is derived from its last transition. The workflow methods
(:meth:`SagsLager.bestil`, :meth:`~SagsLager.visiter`, ...) are the API the CLI and the widgets
call; an illegal transition raises :class:`~kontrol_lib.vokabular.fejl.KontrolFejl` with a Danish message
and changes nothing.

Concurrency: a transition is computed from the case's last ``sekvens`` and stored with
``sekvens + 1``; ``(sag_id, sekvens)`` is unique, so of two transitions computed from the same
state exactly one is stored and the other is told (:class:`SagKonflikt`). On SQLite every
write transaction starts with ``BEGIN IMMEDIATE`` (writers queue; WAL lets readers go on); on
PostgreSQL the daily run and ordering also take a transaction-level advisory lock, so two runs
or two orders are serialised instead of failing.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, create_engine, event, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.pool import NullPool

from kontrol_lib.vokabular import pseudonym
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.filer import sqlite_privat
from kontrol_lib.vokabular.tid import som_dato
from kontrol_lib.vokabular.format import dato as fmt_dato
from kontrol_lib.vokabular.koder import (AABNE, AENDRET_TILDELING, BESTILT, FORMAAL, HENLAGT_EFTER_PARTSHOERING, ROLLER,
                                         HENLAGT_I_VISITERING, LUKKEDE, PARTSHOERING, STATUSTEKST, UDLOEBET, UDSTILLET)
from kontrol_lib.sager import (arbejdslister, filregister, identitet, kontrolark, logkaede, migrations, pg_adgang,
                               regelgrundlag, roller, sagsbehandling, sagsimport, sletning, trin3, udstilling)
from kontrol_lib.sager import schema as S
from kontrol_lib.sager.grundlag import (LAAS_BESTIL, Beloeb, SagKonflikt, beloeb_raekker, databasefejl, fra_json, nu,
                                       ny_sag_id, ramme, til_json)
from kontrol_lib.sager.identitet import Person
from kontrol_lib.sager.roller import AdgangNaegtet, Aktoer, tjek_aktoer

# --------------------------------------------------------------------------- states
# every transition the store may hold, by haendelse: the log is checked against this
OVERGANGE = {
    "udstillet": {(None, UDSTILLET)},
    "nye_udfald": {(UDSTILLET, UDSTILLET)},
    "bestil": {(UDSTILLET, BESTILT)},
    "genbestil": {(BESTILT, UDSTILLET)},
    "visiter": {(BESTILT, HENLAGT_I_VISITERING), (BESTILT, PARTSHOERING)},
    "afgoer": {(PARTSHOERING, HENLAGT_EFTER_PARTSHOERING), (PARTSHOERING, AENDRET_TILDELING)},
    "udloeb": {(UDSTILLET, UDLOEBET)},
    "import": {(None, UDSTILLET), (None, BESTILT), (None, PARTSHOERING), (BESTILT, HENLAGT_I_VISITERING),
               (UDSTILLET, UDLOEBET), (PARTSHOERING, HENLAGT_EFTER_PARTSHOERING),
               (PARTSHOERING, AENDRET_TILDELING)},
    "korrektion": {(x, x) for x in (*AABNE, *LUKKEDE)},
    "genaabn": {(HENLAGT_I_VISITERING, BESTILT), (HENLAGT_EFTER_PARTSHOERING, PARTSHOERING),
                (AENDRET_TILDELING, PARTSHOERING)},
    "opret": {(None, BESTILT)},
}


STANDARD_FIL = "kontrol.sqlite"
TESTLAGER_MILJOE = "KONTROL_TESTLAGER"
"""``1``: a store created by this process is a test/demo store (names as given, logged as test)."""
PR_SIDE = 50
"""Rows per page of a list with cpr numbers (only the rows shown are logged)."""

SAGSBEHANDLER = ("sagsbehandler",)
AGGREGERET = ("leder", "analytiker")


def sqlite_fil(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and for an in-memory store)."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def standard_url(url: str | None = None) -> str:
    """``url``, else ``$KONTROL_DB``, else the SQLite file ``kontrol.sqlite`` in the current
    folder. A plain file path is read as a SQLite file."""
    url = url or os.environ.get("KONTROL_DB") or STANDARD_FIL
    if "://" not in url:
        url = f"sqlite:///{Path(url).resolve()}"
    sti = sqlite_fil(url)
    if sti is not None and not sti.is_absolute():
        # A relative SQLite path means the current folder, here and in every process it is
        # handed to (a report kernel runs in notebooks/): make it absolute once.
        url = f"sqlite:///{sti.resolve()}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


# --------------------------------------------------------------------------- engine
def opret_engine(url: str) -> Engine:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
            sqlite_privat(u.database)     # owner-only store (sikkerhed.md); warns if others can read it
        # hide_parameters: a failing statement's parameters (CPR numbers) never reach an error or a log
        eng = create_engine(u, poolclass=NullPool, connect_args={"timeout": 120}, hide_parameters=True)

        @event.listens_for(eng, "connect")
        def _connect(dbapi_con, _rec):
            dbapi_con.isolation_level = None          # we issue BEGIN ourselves
            cur = dbapi_con.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=120000")
            cur.close()

        @event.listens_for(eng, "begin")
        def _begin(conn):
            # writers take the write lock at once (no lock upgrade deadlocks); readers do not
            conn.exec_driver_sql("BEGIN" if conn.info.get("kun_laes") else "BEGIN IMMEDIATE")
        return eng
    if u.get_backend_name() == "postgresql":
        return create_engine(u, pool_pre_ping=True, pool_size=2, max_overflow=4, hide_parameters=True)
    raise KontrolFejl(f"Databasen '{u.get_backend_name()}' understøttes ikke (brug sqlite eller postgresql)")


# --------------------------------------------------------------------------- the store
class SagsLager:
    """The case store. ``url``: SQLAlchemy URL (``sqlite:///sti.sqlite`` or
    ``postgresql+psycopg://...``), a SQLite file path, or None for the default."""

    def __init__(self, url: str | None = None, opret: bool = True, sag_id_kilde=None, *,
                 person: Person | None = None, testlager: bool | None = None):
        """Open (and migrate) the store. ``opret=False`` is for readers (reports, provenu): a
        SQLite file that does not exist is then an error instead of a new, empty store.
        ``sag_id_kilde``: a function giving new case ids (default :func:`ny_sag_id`).
        ``person``: who acts (default :func:`.identitet.logget_ind`: the hub's user or the OS
        login). ``testlager``: create a test/demo store (default ``$KONTROL_TESTLAGER == "1"``);
        only a new store can become one, and opening a store that is not one with
        ``testlager=True`` is an error."""
        self.sag_id_kilde = sag_id_kilde or ny_sag_id
        self.person = person or identitet.logget_ind()
        self.url = standard_url(url)
        self.datamappe = filregister.datamappe(self.url)
        fil = sqlite_fil(self.url)
        if not opret and fil is not None and not fil.exists():
            raise KontrolFejl(f"Sagslageret findes ikke: {fil}")
        self.engine = opret_engine(self.url)
        try:
            with self.engine.begin() as conn:
                migrations.migrer(conn)
                self.testlager = self._lagerinfo(conn, testlager)
        except DBAPIError as e:
            raise KontrolFejl(f"Kan ikke åbne sagslageret ({make_url(self.url).render_as_string()}): "
                              f"{databasefejl(e)}") from None

    def _lagerinfo(self, conn: Connection, testlager: bool | None) -> bool:
        """Whether the store is a test/demo store; a new store records it (and who created it:
        the creator of a real store becomes its first administrator)."""
        row = conn.execute(select(S.lager.c.testlager)).first()
        if row is None:
            test = bool(testlager) if testlager is not None else os.environ.get(TESTLAGER_MILJOE) == "1"
            if not test and self.person.kilde == "test":
                raise KontrolFejl("En test-identitet kan kun oprette et test-/demolager")
            conn.execute(S.lager.insert().values(id=1, tid=nu(), oprettet_af=self.person.navn,
                                                 identitet="test" if test else self.person.kilde, testlager=int(test)))
            if not test:
                roller.skriv(conn, self.person.navn, self.person.kilde, self.person.navn, ["administrator"], roller.GIV)
            return test
        if testlager and not row.testlager:
            raise KontrolFejl("Sagslageret er ikke et test-/demolager og kan ikke åbnes som et")
        return bool(row.testlager)

    # ---- who acts ------------------------------------------------------------------------
    def identitet(self, bruger: str | None = None) -> Person:
        """The person acting. On a test/demo store: ``bruger`` if given, else
        ``$KONTROL_TESTIDENTITET``, else the logged-in name, all marked ``test``. Otherwise the
        logged-in person; a different ``bruger`` is refused."""
        if self.testlager:
            return identitet.testperson(bruger or os.environ.get(identitet.TESTIDENTITET_MILJOE) or self.person.navn)
        if self.person.kilde == "test" or os.environ.get(identitet.TESTIDENTITET_MILJOE):
            raise KontrolFejl("Test-identiteter gælder kun i test- og demolagre; dette lager kræver et rigtigt login")
        try:
            identitet.bekraeft(self.person, bruger)
        except KontrolFejl:
            with self.skriv() as conn:                   # the name typed is not logged: it may be anything
                roller.log_afvisning(conn, self.person.navn, self.person.kilde,
                                     "handle under et andet navn end sit login", ["eget login"])
            raise
        return self.person

    def aktoer(self, krav: Iterable[str], hvad: str, bruger: str | None = None) -> Aktoer:
        """The acting person in the first role of ``krav`` they hold; otherwise the refusal is
        logged and :class:`~.roller.AdgangNaegtet` raised (``hvad``: the action, Danish, after
        "for at", e.g. "se prioriteringslisten")."""
        krav = tuple(krav)
        p = self.identitet(bruger)
        with self.laes() as conn:
            if self.testlager and not roller.har_tildelinger(conn):
                return Aktoer(p.navn, p.kilde, krav[0])
            har = roller.roller_for(conn, p.navn)
        for r in krav:
            if r in har:
                return Aktoer(p.navn, p.kilde, r)
        with self.skriv() as conn:
            roller.log_afvisning(conn, p.navn, p.kilde, hvad, krav)
        raise AdgangNaegtet(roller.afvisningstekst(p.navn, krav, hvad))

    def mine_roller(self, bruger: str | None = None) -> set[str]:
        """The roles the acting person holds (a test/demo store without grants: every role)."""
        p = self.identitet(bruger)
        with self.laes() as conn:
            if self.testlager and not roller.har_tildelinger(conn):
                return set(ROLLER)
            return roller.roller_for(conn, p.navn)

    def giv_roller(self, person: str, nye: Iterable[str], bruger: str | None = None) -> list[str]:
        """Grant roles (administrator only; logged). Returns the roles that were new."""
        a = self.aktoer(("administrator",), "tildele roller", bruger)
        nye = roller.tjek_roller(nye)
        person = identitet.testperson(person).navn          # the same name rules as a login
        with self.skriv() as conn:
            har = roller.roller_for(conn, person)
            return roller.skriv(conn, a.navn, a.identitet, person, [r for r in nye if r not in har], roller.GIV)

    def fjern_roller(self, person: str, gamle: Iterable[str], bruger: str | None = None) -> list[str]:
        """Revoke roles (administrator only; logged; the last administrator stays). Returns the
        roles removed."""
        a = self.aktoer(("administrator",), "fjerne roller", bruger)
        gamle = roller.tjek_roller(gamle)
        with self.skriv() as conn:
            har = roller.roller_for(conn, person)
            fjernes = [r for r in gamle if r in har]
            if "administrator" in fjernes:
                andre = roller.oversigt(conn)
                admins = [p for p, rs in zip(andre["person"], andre["roller"]) if "administrator" in rs.split(", ")]
                if admins == [person]:
                    raise KontrolFejl(f"{person} er den eneste administrator; tildel en anden rollen først")
            return roller.skriv(conn, a.navn, a.identitet, person, fjernes, roller.FJERN)

    def rolleoversigt(self, bruger: str | None = None) -> pd.DataFrame:
        """Every person and the roles they hold (administrator or tilsyn)."""
        self.aktoer(("administrator", "tilsyn"), "se rollerne", bruger)
        with self.laes() as conn:
            return roller.oversigt(conn)

    @property
    def fredningsnoegle(self) -> bytes:
        """The file key of :mod:`kontrol_lib.vokabular.pseudonym` (read once): fredning's keyed
        hashes ``ym_noegle`` and ``haendelse_noegle`` (revision 0008)."""
        if getattr(self, "_fredningsnoegle", None) is None:
            self._fredningsnoegle = pseudonym.hent_noegle()
        return self._fredningsnoegle

    @property
    def dialekt(self) -> str:
        return self.engine.dialect.name

    def luk(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"SagsLager({make_url(self.url).render_as_string()!r})"

    # ---- transactions -------------------------------------------------------------------
    @contextmanager
    def skriv(self, laas: int | None = None) -> Iterator[Connection]:
        """One write transaction (everything or nothing). A database failure is one Danish
        sentence (:func:`.grundlag.databasefejl`), never the statement or its parameters."""
        try:
            with self.engine.begin() as conn:
                if laas is not None and self.dialekt == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": laas})
                yield conn
        except DBAPIError as e:
            raise databasefejl(e) from None

    @contextmanager
    def laes(self) -> Iterator[Connection]:
        """One read-only transaction (a consistent snapshot; on SQLite it does not queue
        behind writers)."""
        try:
            with self.engine.connect() as conn:
                conn.info["kun_laes"] = True
                try:
                    with conn.begin():
                        yield conn
                finally:
                    conn.info.pop("kun_laes", None)
        except DBAPIError as e:
            raise databasefejl(e) from None

    # ---- state ----------------------------------------------------------------------------
    def sidste_overgang(self, conn: Connection, sag_id: str):
        o = S.overgange
        row = conn.execute(select(o.c.til, o.c.sekvens, o.c.bruger, o.c.dato)
                           .where(o.c.sag_id == sag_id).order_by(o.c.sekvens.desc()).limit(1)).first()
        if row is None:
            raise KontrolFejl(f"Sagen {sag_id} findes ikke i sagslageret")
        return row

    def status(self, sag_id: str, bruger: str | None = None) -> str:
        """The case's current state (role sagsbehandler, leder or tilsyn)."""
        self.aktoer(("sagsbehandler", "leder", "tilsyn"), "se en sags status", bruger)
        with self.laes() as conn:
            return self.sidste_overgang(conn, sag_id).til

    def sag(self, sag_id: str, bruger: str | None = None, *, formaal: str | None = None) -> dict:
        """The case's fixed attributes with its status, ym_cpr and the stamdata snapshot: a showing
        of personal data like the kontrolark it is read through (role sagsbehandler, a purpose,
        logged)."""
        ark = self.kontrolark(sag_id, bruger, formaal=formaal)
        return {**ark.sag, "stamdata": ark.stamdata}

    def overgang(self, conn: Connection, sag_id: str, haendelse: str, til: str, aktoer: Aktoer,
                  dato: dt.date, data: dict | None = None, fra_krav: Iterable[str] | None = None,
                  handling: str = "ændres", tid: dt.datetime | None = None) -> int:
        """Append one transition by ``aktoer``; ``fra_krav`` the states it may start from. Raises
        :class:`KontrolFejl` (illegal) or :class:`SagKonflikt` (lost a race); nothing is stored
        then."""
        tjek_aktoer(aktoer)
        last = self.sidste_overgang(conn, sag_id)
        if fra_krav is not None and last.til not in fra_krav:
            krav = " eller ".join(STATUSTEKST.get(s, s) for s in fra_krav)
            raise KontrolFejl(
                f"Sagen {sag_id} kan ikke {handling}: den er {STATUSTEKST.get(last.til, last.til)}"
                f", sat af {last.bruger} den {fmt_dato(last.dato)}. Det kræver, at sagen er {krav}. "
                "Intet er ændret.")
        return self.indsaet_overgang(conn, sag_id, last.sekvens + 1, haendelse, last.til, til,
                                      aktoer, dato, data, tid)

    def indsaet_overgang(self, conn, sag_id, sekvens, haendelse, fra, til, aktoer: Aktoer, dato, data,
                          tid=None) -> int:
        tjek_aktoer(aktoer)
        raekke = dict(sag_id=sag_id, sekvens=int(sekvens), tid=logkaede.som_tid(tid or nu()),
                      dato=som_dato(dato), bruger=aktoer.navn, haendelse=haendelse, fra=fra, til=til,
                      data=til_json(data or {}), rolle=aktoer.rolle, identitet=aktoer.identitet)
        try:
            with conn.begin_nested():
                [raekke] = logkaede.kaed(conn, "overgange", [raekke])
                res = conn.execute(S.overgange.insert().values(**raekke))
        except IntegrityError:
            raise SagKonflikt(f"Sagen {sag_id} blev ændret af en anden bruger i samme øjeblik; "
                              f"din registrering er ikke gemt. Hent listen igen.") from None
        return int(res.inserted_primary_key[0])

    def ny_sag(self, conn: Connection, *, sag_id: str | None = None, **kolonner) -> str:
        """Insert a case row with a fresh pseudonymous id (retried on the rare collision)."""
        for _ in range(20):
            sid = sag_id or self.sag_id_kilde()
            try:
                with conn.begin_nested():
                    conn.execute(S.sager.insert().values(sag_id=sid, tid=nu(), **kolonner))
                    gruppe = regelgrundlag.sagsgruppe(kolonner.get("ym_cpr"), kolonner["oprettet"])
                    if gruppe:                      # for the fairness measures, no CPR needed later
                        conn.execute(S.sagsgrupper.insert().values(sag_id=sid, **gruppe))
                return sid
            except IntegrityError:
                if sag_id is not None:
                    raise
        raise KontrolFejl("Kunne ikke danne et nyt sags-id")  # pragma: no cover

    def aktuelle(self, conn: Connection, statusser: Iterable[str] | None = None,
                  kommune: int | None = None) -> pd.DataFrame:
        """Every case with its current state (one row per case)."""
        s, o = S.sager, S.overgange
        o2 = o.alias("o2")
        last = select(func.max(o2.c.sekvens)).where(o2.c.sag_id == o.c.sag_id).scalar_subquery()
        q = (select(*pg_adgang.sagskolonner(conn), o.c.til.label("status"),     # pg_adgang: no CPR column on PG
                    o.c.dato.label("status_dato"), o.c.bruger.label("status_bruger"),
                    o.c.sekvens)
             .join_from(s, o, o.c.sag_id == s.c.sag_id).where(o.c.sekvens == last))
        if statusser is not None:
            q = q.where(o.c.til.in_(list(statusser)))
        if kommune is not None:
            q = q.where(s.c.kommunekode == int(kommune))
        rows = conn.execute(q).mappings().all()
        cols = [c.name for c in s.c if c.name != "stamdata"] + ["status", "status_dato",
                                                                 "status_bruger", "sekvens"]
        return ramme([dict(r) for r in rows], cols)

    def vis_personer(self, conn: Connection, aktoer: Aktoer, sag_ids: Iterable[str], hvad: str,
                     formaal: str, vis_cpr: bool = True) -> dict[str, str | None]:
        """The cpr numbers of these cases (sag_id → ym_cpr), for showing; the showing is logged
        in the same transaction (one ``visninger`` row per case, with ``aktoer``, role and
        purpose). The one way the workflow reads a cpr number to show it. ``vis_cpr=False``:
        only log (nothing read; returns {}). On PostgreSQL the CPR numbers come from revision
        0005's function, which logs (:func:`.pg_adgang.vis_personer`)."""
        tjek_aktoer(aktoer)
        formaal = tjek_formaal(formaal)
        ids = list(dict.fromkeys(sag_ids))
        # ---- pg_adgang (PostgreSQL: the database logs and shows) ----
        if vis_cpr and self.dialekt == "postgresql":
            return pg_adgang.vis_personer(conn, aktoer, ids, hvad, formaal)
        # ---- end pg_adgang ----
        t = nu()
        rows = [{"tid": t, "bruger": aktoer.navn, "sag_id": s, "hvad": hvad, "formaal": formaal,
                 "rolle": aktoer.rolle, "identitet": aktoer.identitet} for s in ids]
        if rows:
            conn.execute(S.visninger.insert(), logkaede.kaed(conn, "visninger", rows))
        if not vis_cpr:
            return {}
        cpr: dict[str, str | None] = {}
        for i in range(0, len(ids), 500):
            cpr.update(conn.execute(select(S.sager.c.sag_id, S.sager.c.ym_cpr)
                                    .where(S.sager.c.sag_id.in_(ids[i:i + 500]))).all())
        return {s: cpr.get(s) for s in ids}

    # ---- the workflow (the API behind CLI and widgets) ------------------------------------
    def bestillingsliste(self, ydelsesomraade: str | None = None, fravaelg: Iterable[str] = (),
                         kommune: int | None = None, bruger: str | None = None) -> pd.DataFrame:
        """Udstillet cases without cpr (role sagsbehandler)."""
        self.aktoer(SAGSBEHANDLER, "se bestillingslisten", bruger)
        with self.laes() as conn:
            return arbejdslister.bestillingsliste(self, conn, ydelsesomraade, fravaelg, kommune)

    def bestil(self, antal: int, bruger: str | None = None, ydelsesomraade: str | None = None,
               fravaelg: Iterable[str] = (), kommune: int | None = None,
               dato: dt.date | None = None) -> list[str]:
        """Move the ``antal`` oldest cases of the (filtered) bestillingsliste to the
        prioriteringsliste. Returns their ids in list order (fewer if fewer are udstillet). With
        ``dato`` given (the app always gives one: its business date, today), a case whose
        udloebsdato is before it is expired and not ordered, also before the daily run has
        marked it ``udloebet``; without one (the CLI) the list is ordered as it stands."""
        aktoer = self.aktoer(SAGSBEHANDLER, "bestille sager", bruger)
        if int(antal) < 1:
            raise KontrolFejl(f"Antal sager at bestille skal være mindst 1 (ikke {antal})")
        frist = dato                  # an explicit ordering date: expired cases are not ordered
        dato = dato or dt.date.today()
        with self.skriv(LAAS_BESTIL) as conn:
            liste = arbejdslister.bestillingsliste(self, conn, ydelsesomraade, fravaelg, kommune)
            valgt = []
            for sag_id, udloeb in zip(liste["sag_id"], liste["udloebsdato"]):
                if len(valgt) == int(antal):
                    break
                if frist is not None and udloeb is not None and not pd.isna(udloeb) and som_dato(udloeb) < frist:
                    continue          # past its udloebsdato: expired, even before the daily run marks it
                try:
                    self.overgang(conn, sag_id, "bestil", BESTILT, aktoer, dato, {},
                                   (UDSTILLET,), "bestilles")
                except (SagKonflikt, KontrolFejl):
                    continue          # taken by someone else since the list was read
                valgt.append(sag_id)
            return valgt

    def genbestil(self, sag_id: str, bruger: str | None = None, dato: dt.date | None = None) -> None:
        """Put an ordered case that was not handled back on the bestillingsliste."""
        aktoer = self.aktoer(SAGSBEHANDLER, "genbestille sager", bruger)
        with self.skriv() as conn:
            self.overgang(conn, sag_id, "genbestil", UDSTILLET, aktoer, dato or dt.date.today(),
                           {}, (BESTILT,), "genbestilles")

    def visiter(self, sag_id: str, bruger: str | None = None, beslutning: str | None = None,
                dato: dt.date | None = None, fredningsperiode: int | None = None) -> str:
        """Visitation of an ordered case: ``henlaeg`` (closed) or ``partshoering``."""
        aktoer = self.aktoer(SAGSBEHANDLER, "visitere sager", bruger)
        til = {"henlaeg": HENLAGT_I_VISITERING, "partshoering": PARTSHOERING}.get(beslutning)
        if til is None:
            raise KontrolFejl(f"Ukendt beslutning '{beslutning}' (tilladt: henlaeg, partshoering)")
        with self.skriv() as conn:
            data = self._fredning(conn, sag_id, fredningsperiode, til in LUKKEDE)
            self.overgang(conn, sag_id, "visiter", til, aktoer, dato or dt.date.today(), data,
                           (BESTILT,), "visiteres")
        return til

    def afgoer(self, sag_id: str, bruger: str | None = None, resultat: str | None = None,
               beloeb: Beloeb | Iterable[Beloeb] | None = None, dato: dt.date | None = None,
               fredningsperiode: int | None = None) -> None:
        """Close a case in partshøring: ``henlagt_efter_partshoering`` or ``aendret_tildeling``
        (with the amounts per ydelse)."""
        aktoer = self.aktoer(SAGSBEHANDLER, "afgøre sager", bruger)
        if resultat not in (HENLAGT_EFTER_PARTSHOERING, AENDRET_TILDELING):
            raise KontrolFejl(f"Ukendt resultat '{resultat}' (tilladt: {HENLAGT_EFTER_PARTSHOERING}, "
                              f"{AENDRET_TILDELING})")
        liste = [] if beloeb is None else ([beloeb] if isinstance(beloeb, Beloeb) else list(beloeb))
        if liste and resultat != AENDRET_TILDELING:
            raise KontrolFejl("Beløb kan kun registreres, når resultatet er aendret_tildeling")
        with self.skriv() as conn:
            data = self._fredning(conn, sag_id, fredningsperiode, True)
            sag = conn.execute(select(S.sager.c.ydelse).where(S.sager.c.sag_id == sag_id)).first()
            if sag is None:
                raise KontrolFejl(f"Sagen {sag_id} findes ikke i sagslageret")
            rows = beloeb_raekker(liste, sag.ydelse)
            oid = self.overgang(conn, sag_id, "afgoer", resultat, aktoer, dato or dt.date.today(),
                                 data, (PARTSHOERING,), "afgøres")
            if rows:
                conn.execute(S.beloeb.insert(), [dict(r, overgang_id=oid, sag_id=sag_id) for r in rows])

    def _fredning(self, conn, sag_id: str, maaneder: int | None, lukker: bool) -> dict:
        if maaneder is None:
            return {}
        trin = conn.execute(select(S.sager.c.kontroltrin).where(S.sager.c.sag_id == sag_id)).scalar()
        if trin is None:
            raise KontrolFejl(f"Sagen {sag_id} findes ikke i sagslageret")
        if trin != 3:
            raise KontrolFejl(f"Fredningsperiode kan kun sættes på sager fra kontroltrin 3; sagen {sag_id} "
                              f"er fra kontroltrin {trin}, så feltet skal efterlades tomt")
        if not lukker:
            raise KontrolFejl("Fredningsperiode sættes, når sagen afsluttes")
        if int(maaneder) < 1:
            raise KontrolFejl(f"Fredningsperioden skal være mindst 1 måned (ikke {maaneder})")
        return {"fredningsperiode_maaneder": int(maaneder)}

    def prioriteringsliste(self, bruger: str | None = None, kommune: int | None = None, *,
                           formaal: str | None = None, side: int = 1, pr_side: int | None = PR_SIDE,
                           sorter: str | None = None, faldende: bool = False) -> pd.DataFrame:
        """One page of the ordered cases WITH cpr (role sagsbehandler, a purpose required);
        only the rows of the page are shown and logged. ``pr_side=None``: every row (an
        export). The page's ``attrs`` hold ``i_alt``, ``side`` and ``sider``. ``sorter``: a
        column of :data:`SORTERING` ["prioriteringsliste"] (default: udloebsdato), sorted before
        the page is cut."""
        aktoer = self.aktoer(SAGSBEHANDLER, "se prioriteringslisten", bruger)
        formaal = tjek_formaal(formaal)
        with self.skriv() as conn:
            df = arbejdslister.prioriteringsliste(self, conn, kommune)
            df = sidevis(sorteret(df, "prioriteringsliste", sorter, faldende), side, pr_side)
            return _med_cpr(df, self.vis_personer(conn, aktoer, df["sag_id"], "prioriteringsliste", formaal))

    def feedbackliste(self, bruger: str | None = None, kommune: int | None = None, alle: bool = False, *,
                      formaal: str | None = None, side: int = 1, pr_side: int | None = PR_SIDE,
                      sorter: str | None = None, faldende: bool = False, sagsbehandler: str | None = None,
                      ydelse: str | None = None, status: str | None = None, fra_dato: dt.date | None = None,
                      til_dato: dt.date | None = None) -> pd.DataFrame:
        """One page of the cases in partshøring (``alle``: also every closed case with its
        outcome) WITH cpr (role sagsbehandler, a purpose required); only the page is logged.
        Filters (before the page is cut, so only rows shown are logged): ``sagsbehandler`` (who
        registered the current state), ``ydelse`` (code), ``status``, ``fra_dato``/``til_dato``
        (the day of the current state, both included). ``sorter``: a column of
        :data:`SORTERING` ["feedbackliste"] (default: siden)."""
        aktoer = self.aktoer(SAGSBEHANDLER, "se feedbacklisten", bruger)
        formaal = tjek_formaal(formaal)
        with self.skriv() as conn:
            df = arbejdslister.feedbackliste(self, conn, kommune, alle)
            if sagsbehandler:
                df = df[df["registreret_af"] == sagsbehandler]
            if ydelse:
                df = df[df["ydelse"] == ydelse]
            if status:
                df = df[df["status"] == status]
            if fra_dato is not None:
                df = df[[som_dato(d) >= som_dato(fra_dato) for d in df["siden"]]]
            if til_dato is not None:
                df = df[[som_dato(d) <= som_dato(til_dato) for d in df["siden"]]]
            df = sidevis(sorteret(df, "feedbackliste", sorter, faldende), side, pr_side)
            return _med_cpr(df, self.vis_personer(conn, aktoer, df["sag_id"], "feedbackliste", formaal))

    def kontrolark(self, sag_id: str, bruger: str | None = None, *, formaal: str | None = None):
        """The kontrolark's content (:class:`.kontrolark.Kontrolark`; role sagsbehandler, a
        purpose required); opening it is logged."""
        aktoer = self.aktoer(SAGSBEHANDLER, "åbne kontrolarket", bruger)
        formaal = tjek_formaal(formaal)
        with self.skriv() as conn:
            if self.dialekt == "postgresql":       # pg_adgang: the database logs and shows
                return pg_adgang.saml_kontrolark(self, conn, aktoer, sag_id, formaal)
            ark = kontrolark.saml(self, conn, sag_id)
            self.vis_personer(conn, aktoer, [sag_id], "kontrolark", formaal)
            return ark

    # ---- the caseworker's tools (issue 16; :mod:`.sagsbehandling`) ------------------------
    def find_person(self, soegning: str, bruger: str | None = None, *, formaal: str | None = None) -> pd.DataFrame:
        """Every case of a person (CPR, with or without the dash) or company (CVR, 8 digits),
        open and closed, every kanal, oldest first: sag_id, cpr, cvr, kanal, kontroltrin, ydelse,
        status, status_dato, oprettet, udloebsdato, kommunekode (role sagsbehandler, a purpose
        required; the cases shown are logged)."""
        aktoer = self.aktoer(SAGSBEHANDLER, "søge efter en persons sager", bruger)
        formaal = tjek_formaal(formaal)
        art, vaerdi = sagsbehandling.soegenoegle(soegning)
        noegle = {"cvr": vaerdi} if art == "cvr" else {"cpr": normaliser_cpr(vaerdi)}
        with self.skriv() as conn:
            return sagsbehandling.find_person(self, conn, aktoer, formaal=formaal, **noegle)

    def dubletter(self, sag_ids: Iterable[str], bruger: str | None = None) -> list[dict]:
        """For each case: the other open cases of the same person (or company) and ydelse
        (role sagsbehandler; sag_ids only)."""
        self.aktoer(SAGSBEHANDLER, "se dubletter", bruger)
        with self.skriv() as conn:              # PostgreSQL's function needs no write, but one path for both
            return sagsbehandling.dubletter(conn, list(sag_ids))

    def skriv_note(self, sag_id: str, tekst: str, bruger: str | None = None) -> dict:
        """Append a note to a case (role sagsbehandler; a CPR-shaped string in the text is
        refused). Returns the stored note: tid (UTC), bruger, rolle, tekst."""
        aktoer = self.aktoer(SAGSBEHANDLER, "skrive notater", bruger)
        with self.skriv() as conn:
            return sagsbehandling.skriv_note(conn, aktoer, sag_id, tekst)

    def noter(self, sag_id: str, bruger: str | None = None, *, formaal: str | None = None) -> pd.DataFrame:
        """The notes of a case, oldest first (role sagsbehandler, a purpose required; logged)."""
        aktoer = self.aktoer(SAGSBEHANDLER, "læse notater", bruger)
        formaal = tjek_formaal(formaal)
        with self.skriv() as conn:
            return sagsbehandling.noter(self, conn, aktoer, sag_id, formaal)

    def genaabn(self, sag_id: str, grund: str, bruger: str | None = None, dato: dt.date | None = None) -> str:
        """Reopen a closed case with a reason (role sagsbehandler); returns the state it is back
        in. It keeps counting in the year it was first closed; a new closing is a correction."""
        aktoer = self.aktoer(SAGSBEHANDLER, "genåbne sager", bruger)
        with self.skriv() as conn:
            return sagsbehandling.genaabn(self, conn, aktoer, sag_id, grund, dato or dt.date.today())

    def tilknyt(self, sag_id: str, relateret: str, grund: str, bruger: str | None = None) -> None:
        """Link two cases with a reason (role sagsbehandler; logged, append-only)."""
        aktoer = self.aktoer(SAGSBEHANDLER, "kæde sager sammen", bruger)
        with self.skriv() as conn:
            sagsbehandling.tilknyt(conn, aktoer, sag_id, relateret, grund)

    def fjern_tilknytning(self, sag_id: str, relateret: str, grund: str, bruger: str | None = None) -> None:
        """Remove the link between two cases (a new row; nothing is deleted)."""
        aktoer = self.aktoer(SAGSBEHANDLER, "fjerne en sammenkædning", bruger)
        with self.skriv() as conn:
            sagsbehandling.tilknyt(conn, aktoer, sag_id, relateret, grund, sagsbehandling.FJERN)

    def relationer(self, sag_id: str, bruger: str | None = None) -> pd.DataFrame:
        """The cases linked to ``sag_id`` now: sag_id, grund, tid, bruger (role sagsbehandler,
        leder or tilsyn; no personal data)."""
        self.aktoer(("sagsbehandler", "leder", "tilsyn"), "se sammenkædede sager", bruger)
        with self.laes() as conn:
            return sagsbehandling.relationer(conn, sag_id)

    def opret_virksomhedssag(self, cvr: str, kommunekode: int, ydelse: str, grund: str, bruger: str | None = None,
                             myndighed: str = "kommune", dato: dt.date | None = None) -> tuple[str, list[dict]]:
        """A virksomhedskontrol of a company (kanal ``virksomhedskontrol``), straight onto the
        prioriteringsliste. Returns (sag_id, duplicates): an open case of the same company and
        ydelse is a warning (:class:`.sagsbehandling.DubletAdvarsel`), not a refusal."""
        aktoer = self.aktoer(SAGSBEHANDLER, "oprette virksomhedskontroller", bruger)
        with self.skriv() as conn:
            sag_id = sagsbehandling.opret_virksomhedssag(self, conn, aktoer, cvr, kommunekode, ydelse, myndighed,
                                                         dato or dt.date.today(), grund)
            d = sagsbehandling.dubletter(conn, [sag_id])
        return sag_id, sagsbehandling.advar(d)

    # ---- the log --------------------------------------------------------------------------
    def log(self, sag_id: str | None = None, kommune: int | None = None,
            fra_dato: dt.date | None = None, til_dato: dt.date | None = None,
            bruger: str | None = None) -> pd.DataFrame:
        """The transitions, oldest first: tid, dato, bruger, sag_id, sekvens, haendelse, fra,
        til, data (dict; never a cpr), with the case's kommunekode, kanal and kontroltrin
        (role leder or tilsyn)."""
        self.aktoer(("leder", "tilsyn"), "se overgangsloggen", bruger)
        return self._log(sag_id, kommune, fra_dato, til_dato)

    def _log(self, sag_id=None, kommune=None, fra_dato=None, til_dato=None) -> pd.DataFrame:
        o, s = S.overgange, S.sager
        q = (select(o.c.id, o.c.tid, o.c.dato, o.c.bruger, o.c.sag_id, o.c.sekvens, o.c.haendelse,
                    o.c.fra, o.c.til, o.c.data, s.c.kommunekode, s.c.kanal, s.c.kontroltrin)
             .join_from(o, s, o.c.sag_id == s.c.sag_id).order_by(o.c.id))
        if sag_id is not None:
            q = q.where(o.c.sag_id == sag_id)
        if kommune is not None:
            q = q.where(s.c.kommunekode == int(kommune))
        if fra_dato is not None:
            q = q.where(o.c.dato >= fra_dato)
        if til_dato is not None:
            q = q.where(o.c.dato <= til_dato)
        with self.laes() as conn:
            rows = [dict(r) for r in conn.execute(q).mappings()]
        for r in rows:               # the digest of a typed reason is the chain's, not the reader's (0013)
            r["data"] = {k: v for k, v in fra_json(r["data"]).items() if k != logkaede.FRITEKST["overgange"][1]}
        cols = ["id", "tid", "dato", "bruger", "sag_id", "sekvens", "haendelse", "fra", "til", "data",
                "kommunekode", "kanal", "kontroltrin"]
        return ramme(rows, cols)

    def tjek_log(self, bruger: str | None = None) -> list[str]:
        """Verify the hash chains of ``overgange`` and ``visninger`` (:mod:`.logkaede`; the
        first row of each table that does not fit is named by table, id and sag_id), then
        replay every case's log through the state machine (:data:`OVERGANGE`): each
        transition must start where the previous one ended, sekvens must run 1, 2, 3 ..., and
        every case must have a log. Also the chains of ``roller``, ``afvisninger`` and
        ``sletninger`` (and ``slettede_sager`` against it), ``filer`` and ``filsletninger``. Returns the
        problems found (empty: the log is whole and explains every case). Role tilsyn or
        administrator."""
        self.aktoer(("tilsyn", "administrator"), "kontrollere loggen", bruger)
        log = self._log()
        fejl = []
        with self.laes() as conn:
            alle = set(conn.execute(select(S.sager.c.sag_id)).scalars())
            for tabel in (S.overgange, S.visninger, S.roller, S.afvisninger, S.sletninger, S.filer, S.filsletninger,
                          S.noter, S.sagsrelationer):
                kol = logkaede.kolonner(tabel.name)
                raekker = conn.execute(select(*[tabel.c[k] for k in kol]).order_by(tabel.c.id)).mappings()
                brud = logkaede.tjek(tabel.name, raekker)
                if brud is not None:
                    fejl.append(brud)
            fejl += sletning.tjek(conn)
        for sag_id in sorted(alle - set(log["sag_id"])):
            fejl.append(f"sag {sag_id}: ingen overgange i loggen")
        for sag_id, g in log.groupby("sag_id", sort=True):
            tilstand = None
            for i, r in enumerate(g.sort_values("sekvens").itertuples(), start=1):
                fra = None if r.fra is None or (isinstance(r.fra, float) and pd.isna(r.fra)) else r.fra
                if r.sekvens != i:
                    fejl.append(f"sag {sag_id}: sekvens {r.sekvens} hvor {i} var ventet")
                if fra != tilstand:
                    fejl.append(f"sag {sag_id}, sekvens {r.sekvens}: starter i '{fra}', men sagen var '{tilstand}'")
                if (fra, r.til) not in OVERGANGE.get(r.haendelse, set()):
                    fejl.append(f"sag {sag_id}, sekvens {r.sekvens}: '{r.haendelse}' fra '{fra}' til '{r.til}' "
                                f"er ikke en tilladt overgang")
                tilstand = r.til
        return fejl

    VISNINGSKOLONNER = ["tid", "bruger", "sag_id", "hvad", "formaal", "rolle", "identitet"]

    def visninger(self, sag_id: str | None = None, bruger: str | None = None) -> pd.DataFrame:
        """Who was shown which case's personal data, when, in which role and for which purpose
        (role tilsyn): tid, bruger, sag_id, hvad, formaal, rolle, identitet."""
        self.aktoer(("tilsyn",), "se visningsloggen", bruger)
        v = S.visninger
        q = select(*[v.c[k] for k in self.VISNINGSKOLONNER]).order_by(v.c.id)
        if sag_id is not None:
            q = q.where(v.c.sag_id == sag_id)
        with self.laes() as conn:
            rows = [dict(r) for r in conn.execute(q).mappings()]
        return ramme(rows, self.VISNINGSKOLONNER)

    def indsigt(self, cpr: str, bruger: str | None = None) -> pd.DataFrame:
        """Every showing of one person's data (role tilsyn), for the citizen's access to the log:
        the cases where the person is the ydelsesmodtager, is named in an udfald or in the
        kontrolark's snapshot (a spouse), and every ``visninger`` row of those cases, oldest
        first: tid (UTC), sag_id, hvad, formaal, rolle, bruger, kommunekode. The look-up itself is
        logged (purpose ``aktindsigt``) before it is returned."""
        aktoer = self.aktoer(("tilsyn",), "eksportere en borgers indsigt i opslag", bruger)
        cpr = normaliser_cpr(cpr)
        s, u, v = S.sager, S.udfald, S.visninger
        with self.skriv() as conn:
            if self.dialekt == "postgresql":       # pg_adgang: the search through revision 0005's function
                ids = pg_adgang.indsigt_sager(conn, cpr)
            else:
                ids = set(conn.execute(select(s.c.sag_id).where(s.c.ym_cpr == cpr)).scalars())
                ids |= set(conn.execute(select(u.c.sag_id).where(u.c.person_cpr == cpr)).scalars())
                ids |= set(conn.execute(select(s.c.sag_id).where(s.c.stamdata.like(f'%"{cpr}"%'))).scalars())
            ids = sorted(ids)
            rows = []
            for i in range(0, len(ids), 500):
                rows += [dict(r) for r in conn.execute(
                    select(v.c.id, v.c.tid, v.c.sag_id, v.c.hvad, v.c.formaal, v.c.rolle, v.c.bruger, s.c.kommunekode)
                    .join_from(v, s, v.c.sag_id == s.c.sag_id).where(v.c.sag_id.in_(ids[i:i + 500]))).mappings()]
            self.vis_personer(conn, aktoer, ids, "indsigt", "aktindsigt", vis_cpr=False)
        rows.sort(key=lambda r: r["id"])
        return ramme([{k: r[k] for k in r if k != "id"} for r in rows],
                     ["tid", "sag_id", "hvad", "formaal", "rolle", "bruger", "kommunekode"])

    def afvisninger(self, bruger: str | None = None) -> pd.DataFrame:
        """Every refused action (role tilsyn or administrator): tid, bruger, handling, rolle, identitet."""
        self.aktoer(("tilsyn", "administrator"), "se afviste forsøg", bruger)
        a = S.afvisninger
        kol = ["tid", "bruger", "handling", "rolle", "identitet"]
        with self.laes() as conn:
            rows = [dict(r) for r in conn.execute(select(*[a.c[k] for k in kol]).order_by(a.c.id)).mappings()]
        return ramme(rows, kol)

    def sager(self, kommune: int | None = None, statusser: Iterable[str] | None = None,
              bruger: str | None = None) -> pd.DataFrame:
        """Every case with its current state (no cpr column; role leder or analytiker)."""
        self.aktoer(AGGREGERET, "se sagerne", bruger)
        with self.laes() as conn:
            return self.aktuelle(conn, statusser, kommune).drop(columns=["ym_cpr"])

    # ---- imports and the provenu interface -------------------------------------------------
    def importer_kontrolsager(self, df: pd.DataFrame, bruger: str | None = None, dato: dt.date | None = None) -> dict:
        return sagsimport.importer(self, df, self.aktoer(SAGSBEHANDLER, "importere kontrolsager", bruger), dato)

    def kontrolsager(self, kommune: int | None = None, bruger: str | None = None) -> pd.DataFrame:
        """Every case in kontrolsager.csv's shape (no cpr; role leder or analytiker)."""
        self.aktoer(AGGREGERET, "se kontrolsagerne", bruger)
        return sagsimport.kontrolsager(self, kommune)

    def korrektioner(self, kommune: int | None = None, bruger: str | None = None) -> pd.DataFrame:
        self.aktoer(AGGREGERET, "se korrektionerne", bruger)
        return sagsimport.korrektioner(self, kommune)

    def korriger(self, sag_id: str, bruger: str | None = None, beloeb: Beloeb | Iterable[Beloeb] = (),
                 dato: dt.date | None = None) -> None:
        """Correct the amounts of a case closed with aendret_tildeling (appends a korrektion)."""
        sagsimport.korriger(self, sag_id, self.aktoer(SAGSBEHANDLER, "korrigere beløb", bruger), beloeb, dato)

    def udstil_fund(self, fund: pd.DataFrame, dato: dt.date, bruger: str | None = None, kilde=None,
                    stamdata=None):
        """Put findings on the bestillingsliste as cases of ``kilde`` (:class:`.udstilling.Kilde`);
        see :func:`.udstilling.udstil_fund`."""
        aktoer = self.aktoer(SAGSBEHANDLER, "udstille sager", bruger)
        res = udstilling.udstil_fund(self, fund, dato, aktoer, kilde, stamdata)
        sagsbehandling.advar(res.dubletter)
        return res

    def slet(self, dato: dt.date, udfoer: bool = False, bruger: str | None = None) -> sletning.Sletning:
        """The personal data due for erasure on ``dato`` (counts per closing year and reason; no
        CPR number); with ``udfoer`` erased in one transaction and logged in ``sletninger``
        (role administrator; see :mod:`.sletning`)."""
        aktoer = self.aktoer(("administrator",), "slette personoplysninger", bruger)
        if not udfoer:
            with self.laes() as conn:
                res = sletning.slet(conn, aktoer, dato, False)
                filer = filregister.beroerte(conn, set(res.sag_ids))
            res.filer, _ = filregister.ryd(filer, self.datamappe, udfoer=False)
            return res
        with self.skriv() as conn:
            res = sletning.slet(conn, aktoer, dato, True)
        if res.antal and self.dialekt == "sqlite":
            self._ryd_fil()
        with self.laes() as conn:                  # every file of every erased case, also earlier ones
            filer = filregister.beroerte(conn)
        res.filer, logges = filregister.ryd(filer, self.datamappe, udfoer=True)
        with self.skriv() as conn:
            filregister.log(conn, aktoer, logges)
        return res

    def registrer_fil(self, sti: str | Path, sag_ids: Iterable[str], hvad: str, bruger: str | None = None) -> int:
        """Register a file just written with the personal data of ``sag_ids`` (``hvad``: one of
        :data:`.filregister.HVAD`), so that ``kontrol slet`` erases it with them
        (:mod:`.filregister`). Every writer of such a file calls this; any role may."""
        aktoer = self.aktoer(ROLLER, "registrere en fil med personoplysninger", bruger)
        with self.skriv() as conn:
            return filregister.registrer(conn, aktoer, sti, sag_ids, hvad)

    def gem_kontrolark(self, sag_id: str, sti: str | Path, bruger: str | None = None, *,
                       formaal: str | None = None) -> Path:
        """Open a case's kontrolark (logged, role sagsbehandler), write it as ``.html`` or
        ``.pdf`` (owner-only) and register the file (:meth:`registrer_fil`)."""
        kontrolark.tjek_filtype(sti)                # before the opening is logged
        sti = self.kontrolark(sag_id, bruger, formaal=formaal).gem(sti)
        self.registrer_fil(sti, [sag_id], "kontrolark", bruger)
        return sti

    def _ryd_fil(self) -> None:
        """SQLite after an erasure: the old values must not linger in the WAL or in free pages of
        the file, so the WAL is checkpointed and the file rewritten (VACUUM, outside a
        transaction)."""
        raa = self.engine.raw_connection()
        try:
            cur = raa.cursor()
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cur.execute("VACUUM")
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cur.close()
        except (DBAPIError, sqlite3.Error) as e:
            raise KontrolFejl(f"Personoplysningerne er slettet og sletningen logget, men sagslagerets fil kunne ikke "
                              f"ryddes for de gamle værdier (VACUUM): {databasefejl(e)} Kør `sqlite3 FIL 'VACUUM'`, "
                              "når lageret ikke er i brug.") from None
        finally:
            raa.close()

    def importer_trin3(self, df: pd.DataFrame, bruger: str | None = None, dato: dt.date | None = None) -> dict:
        """Import kontroltrin 3 cases (:func:`.trin3.importer`); ``dubletter`` in the result: new
        cases whose person and ydelse already had an open case (also a warning)."""
        res = trin3.importer(self, df, self.aktoer(SAGSBEHANDLER, "importere kontroltrin 3-sager", bruger), dato)
        with self.skriv() as conn:
            res["dubletter"] = sagsbehandling.advar(sagsbehandling.dubletter(conn, res["nye"]))
        return res


def normaliser_cpr(cpr: str) -> str:
    """A cpr number as the store keeps it: ten digits (a dash after the sixth is allowed)."""
    c = str(cpr).strip().replace("-", "")
    if len(c) != 10 or not c.isdigit():
        raise KontrolFejl("Et CPR-nummer har 10 cifre (DDMMÅÅ-XXXX); det angivne har det ikke")
    return c


def tjek_formaal(formaal: str | None) -> str:
    """A purpose from :data:`~kontrol_lib.vokabular.koder.FORMAAL`; none or another is refused."""
    if formaal is None or not str(formaal).strip():
        raise KontrolFejl(f"Angiv formålet med at se personoplysningerne (--formaal: {', '.join(FORMAAL)}); "
                          "visninger uden formål er ikke tilladt")
    f = str(formaal).strip()
    if f not in FORMAAL:
        raise KontrolFejl(f"Ukendt formål '{f}' (tilladt: {', '.join(FORMAAL)})")
    return f


SORTERING = {
    "prioriteringsliste": {"udloebsdato": "Udløbsdato", "bestilt": "Bestilt", "ydelse": "Ydelse",
                           "bestilt_af": "Bestilt af", "sag_id": "Sag"},
    "feedbackliste": {"siden": "Siden", "status": "Status", "ydelse": "Ydelse", "registreret_af": "Registreret af",
                      "kanal": "Kanal", "sag_id": "Sag"},
}
"""The columns each list with cpr can be sorted by (before paging), with their Danish names."""


def sorteret(df: pd.DataFrame, liste: str, sorter: str | None, faldende: bool = False) -> pd.DataFrame:
    """``df`` sorted by ``sorter`` (a column of :data:`SORTERING` [liste]; None: as the store
    orders it), then by sag_id; a stable sort."""
    if sorter is None:
        return df.reset_index(drop=True)
    if sorter not in SORTERING[liste]:
        raise KontrolFejl(f"{liste.capitalize()} kan ikke sorteres efter '{sorter}' "
                          f"(tilladt: {', '.join(SORTERING[liste])})")
    noegle = [sorter] if sorter == "sag_id" else [sorter, "sag_id"]
    return df.sort_values(noegle, ascending=[not faldende] + [True] * (len(noegle) - 1), kind="stable",
                          na_position="last").reset_index(drop=True)


def sidevis(df: pd.DataFrame, side: int = 1, pr_side: int | None = PR_SIDE) -> pd.DataFrame:
    """Page ``side`` (from 1) of ``df`` with ``pr_side`` rows (None: every row); ``attrs``
    record ``i_alt``, ``side`` and ``sider``."""
    i_alt = len(df)
    if pr_side is None:
        ud, side, sider = df, 1, 1
    else:
        if int(pr_side) < 1:
            raise KontrolFejl(f"Antal rækker pr. side skal være mindst 1 (ikke {pr_side})")
        sider = max(1, -(-i_alt // int(pr_side)))
        if not 1 <= int(side) <= sider:
            raise KontrolFejl(f"Side {side} findes ikke (listen har {sider} {'side' if sider == 1 else 'sider'})")
        ud = df.iloc[(int(side) - 1) * int(pr_side): int(side) * int(pr_side)]
    ud = ud.reset_index(drop=True).copy()
    ud.attrs.update(i_alt=i_alt, side=int(side), sider=sider)
    return ud


def _med_cpr(df: pd.DataFrame, cpr: dict) -> pd.DataFrame:
    df.insert(1, "cpr", [cpr.get(s) for s in df["sag_id"]])
    return df
