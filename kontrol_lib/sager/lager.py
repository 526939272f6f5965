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
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, create_engine, event, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.pool import NullPool

from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.tid import som_dato
from kontrol_lib.vokabular.koder import (AABNE, AENDRET_TILDELING, BESTILT, HENLAGT_EFTER_PARTSHOERING,
                                         HENLAGT_I_VISITERING, LUKKEDE, PARTSHOERING, STATUSTEKST, UDLOEBET, UDSTILLET)
from kontrol_lib.sager import arbejdslister, kontrolark, logkaede, migrations, sagsimport, trin3, udstilling
from kontrol_lib.sager import schema as S
from kontrol_lib.sager.grundlag import (LAAS_BESTIL, Beloeb, SagKonflikt, beloeb_raekker, fra_json, nu, ny_sag_id,
                                       ramme, til_json, tjek_bruger)

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
}


STANDARD_FIL = "kontrol.sqlite"


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
        eng = create_engine(u, poolclass=NullPool, connect_args={"timeout": 120})

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
        return create_engine(u, pool_pre_ping=True, pool_size=2, max_overflow=4)
    raise KontrolFejl(f"Databasen '{u.get_backend_name()}' understøttes ikke (brug sqlite eller postgresql)")


# --------------------------------------------------------------------------- the store
class SagsLager:
    """The case store. ``url``: SQLAlchemy URL (``sqlite:///sti.sqlite`` or
    ``postgresql+psycopg://...``), a SQLite file path, or None for the default."""

    def __init__(self, url: str | None = None, opret: bool = True, sag_id_kilde=None):
        """Open (and migrate) the store. ``opret=False`` is for readers (reports, provenu): a
        SQLite file that does not exist is then an error instead of a new, empty store.
        ``sag_id_kilde``: a function giving new case ids (default :func:`ny_sag_id`)."""
        self.sag_id_kilde = sag_id_kilde or ny_sag_id
        self.url = standard_url(url)
        fil = sqlite_fil(self.url)
        if not opret and fil is not None and not fil.exists():
            raise KontrolFejl(f"Sagslageret findes ikke: {fil}")
        self.engine = opret_engine(self.url)
        try:
            with self.engine.begin() as conn:
                migrations.migrer(conn)
        except OperationalError as e:
            raise KontrolFejl(f"Kan ikke åbne sagslageret ({make_url(self.url).render_as_string()}): "
                              f"{str(e.orig).strip()}") from None

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
        """One write transaction (everything or nothing)."""
        with self.engine.begin() as conn:
            if laas is not None and self.dialekt == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": laas})
            yield conn

    @contextmanager
    def laes(self) -> Iterator[Connection]:
        """One read-only transaction (a consistent snapshot; on SQLite it does not queue
        behind writers)."""
        with self.engine.connect() as conn:
            conn.info["kun_laes"] = True
            try:
                with conn.begin():
                    yield conn
            finally:
                conn.info.pop("kun_laes", None)

    # ---- state ----------------------------------------------------------------------------
    def sidste_overgang(self, conn: Connection, sag_id: str):
        o = S.overgange
        row = conn.execute(select(o.c.til, o.c.sekvens, o.c.bruger, o.c.dato)
                           .where(o.c.sag_id == sag_id).order_by(o.c.sekvens.desc()).limit(1)).first()
        if row is None:
            raise KontrolFejl(f"Sagen {sag_id} findes ikke i sagslageret")
        return row

    def status(self, sag_id: str) -> str:
        """The case's current state."""
        with self.laes() as conn:
            return self.sidste_overgang(conn, sag_id).til

    def sag(self, sag_id: str) -> dict:
        """The case's fixed attributes (including ym_cpr and the stamdata snapshot)."""
        with self.laes() as conn:
            row = conn.execute(select(S.sager).where(S.sager.c.sag_id == sag_id)).mappings().first()
            if row is None:
                raise KontrolFejl(f"Sagen {sag_id} findes ikke i sagslageret")
            out = dict(row)
            out["stamdata"] = fra_json(out["stamdata"])
            out["status"] = self.sidste_overgang(conn, sag_id).til
            return out

    def overgang(self, conn: Connection, sag_id: str, haendelse: str, til: str, bruger: str,
                  dato: dt.date, data: dict | None = None, fra_krav: Iterable[str] | None = None,
                  handling: str = "ændres", tid: dt.datetime | None = None) -> int:
        """Append one transition; ``fra_krav`` the states it may start from. Raises
        :class:`KontrolFejl` (illegal) or :class:`SagKonflikt` (lost a race); nothing is stored
        then."""
        tjek_bruger(bruger)
        last = self.sidste_overgang(conn, sag_id)
        if fra_krav is not None and last.til not in fra_krav:
            krav = " eller ".join(f"'{s}'" for s in fra_krav)
            raise KontrolFejl(
                f"Sagen {sag_id} kan ikke {handling}: den er {STATUSTEKST.get(last.til, last.til)} "
                f"– status '{last.til}', sat af {last.bruger} den {last.dato.isoformat()}. "
                f"Det kræver status {krav}. Intet er ændret.")
        return self.indsaet_overgang(conn, sag_id, last.sekvens + 1, haendelse, last.til, til,
                                      bruger, dato, data, tid)

    def indsaet_overgang(self, conn, sag_id, sekvens, haendelse, fra, til, bruger, dato, data,
                          tid=None) -> int:
        raekke = dict(sag_id=sag_id, sekvens=int(sekvens), tid=logkaede.som_tid(tid or nu()),
                      dato=som_dato(dato), bruger=bruger, haendelse=haendelse, fra=fra, til=til,
                      data=til_json(data or {}))
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
        q = (select(*[c for c in s.c if c.name != "stamdata"], o.c.til.label("status"),
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

    def log_visning(self, conn: Connection, bruger: str, sag_ids: Iterable[str], hvad: str) -> None:
        """Log that ``bruger`` was shown the personal data of these cases."""
        tjek_bruger(bruger)
        t = nu()
        rows = [{"tid": t, "bruger": bruger, "sag_id": s, "hvad": hvad} for s in sag_ids]
        if rows:
            conn.execute(S.visninger.insert(), logkaede.kaed(conn, "visninger", rows))

    # ---- the workflow (the API behind CLI and widgets) ------------------------------------
    def bestillingsliste(self, ydelsesomraade: str | None = None, fravaelg: Iterable[str] = (),
                         kommune: int | None = None) -> pd.DataFrame:
        with self.laes() as conn:
            return arbejdslister.bestillingsliste(self, conn, ydelsesomraade, fravaelg, kommune)

    def bestil(self, antal: int, bruger: str, ydelsesomraade: str | None = None,
               fravaelg: Iterable[str] = (), kommune: int | None = None,
               dato: dt.date | None = None) -> list[str]:
        """Move the ``antal`` oldest cases of the (filtered) bestillingsliste to the
        prioriteringsliste. Returns their ids in list order (fewer if fewer are udstillet)."""
        tjek_bruger(bruger)
        if int(antal) < 1:
            raise KontrolFejl(f"Antal sager at bestille skal være mindst 1 (ikke {antal})")
        dato = dato or dt.date.today()
        with self.skriv(LAAS_BESTIL) as conn:
            liste = arbejdslister.bestillingsliste(self, conn, ydelsesomraade, fravaelg, kommune)
            valgt = []
            for sag_id in liste["sag_id"]:
                if len(valgt) == int(antal):
                    break
                try:
                    self.overgang(conn, sag_id, "bestil", BESTILT, bruger, dato, {},
                                   (UDSTILLET,), "bestilles")
                except (SagKonflikt, KontrolFejl):
                    continue          # taken by someone else since the list was read
                valgt.append(sag_id)
            return valgt

    def genbestil(self, sag_id: str, bruger: str, dato: dt.date | None = None) -> None:
        """Put an ordered case that was not handled back on the bestillingsliste."""
        with self.skriv() as conn:
            self.overgang(conn, sag_id, "genbestil", UDSTILLET, bruger, dato or dt.date.today(),
                           {}, (BESTILT,), "genbestilles")

    def visiter(self, sag_id: str, bruger: str, beslutning: str, dato: dt.date | None = None,
                fredningsperiode: int | None = None) -> str:
        """Visitation of an ordered case: ``henlaeg`` (closed) or ``partshoering``."""
        til = {"henlaeg": HENLAGT_I_VISITERING, "partshoering": PARTSHOERING}.get(beslutning)
        if til is None:
            raise KontrolFejl(f"Ukendt beslutning '{beslutning}' (tilladt: henlaeg, partshoering)")
        with self.skriv() as conn:
            data = self._fredning(conn, sag_id, fredningsperiode, til in LUKKEDE)
            self.overgang(conn, sag_id, "visiter", til, bruger, dato or dt.date.today(), data,
                           (BESTILT,), "visiteres")
        return til

    def afgoer(self, sag_id: str, bruger: str, resultat: str,
               beloeb: Beloeb | Iterable[Beloeb] | None = None, dato: dt.date | None = None,
               fredningsperiode: int | None = None) -> None:
        """Close a case in partshøring: ``henlagt_efter_partshoering`` or ``aendret_tildeling``
        (with the amounts per ydelse)."""
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
            oid = self.overgang(conn, sag_id, "afgoer", resultat, bruger, dato or dt.date.today(),
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

    def prioriteringsliste(self, bruger: str, kommune: int | None = None) -> pd.DataFrame:
        """Ordered cases WITH cpr; viewing it is logged per case."""
        with self.skriv() as conn:
            df = arbejdslister.prioriteringsliste(self, conn, kommune)
            self.log_visning(conn, bruger, df["sag_id"], "prioriteringsliste")
            return df

    def feedbackliste(self, bruger: str, kommune: int | None = None, alle: bool = False) -> pd.DataFrame:
        """Cases in partshøring (``alle``: also every closed case with its outcome), WITH cpr;
        viewing it is logged per case."""
        with self.skriv() as conn:
            df = arbejdslister.feedbackliste(self, conn, kommune, alle)
            self.log_visning(conn, bruger, df["sag_id"], "feedbackliste")
            return df

    def kontrolark(self, sag_id: str, bruger: str):
        """The kontrolark's content (:class:`.kontrolark.Kontrolark`); opening it is logged."""
        with self.skriv() as conn:
            ark = kontrolark.saml(self, conn, sag_id)
            self.log_visning(conn, bruger, [sag_id], "kontrolark")
            return ark

    # ---- the log --------------------------------------------------------------------------
    def log(self, sag_id: str | None = None, kommune: int | None = None,
            fra_dato: dt.date | None = None, til_dato: dt.date | None = None) -> pd.DataFrame:
        """The transitions, oldest first: tid, dato, bruger, sag_id, sekvens, haendelse, fra,
        til, data (dict; never a cpr), with the case's kommunekode, kanal and kontroltrin."""
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
        for r in rows:
            r["data"] = fra_json(r["data"])
        cols = ["id", "tid", "dato", "bruger", "sag_id", "sekvens", "haendelse", "fra", "til", "data",
                "kommunekode", "kanal", "kontroltrin"]
        return ramme(rows, cols)

    def tjek_log(self) -> list[str]:
        """Verify the hash chains of ``overgange`` and ``visninger`` (:mod:`.logkaede`; the
        first row of each table that does not fit is named by table, id and sag_id), then
        replay every case's log through the state machine (:data:`OVERGANGE`): each
        transition must start where the previous one ended, sekvens must run 1, 2, 3 ..., and
        every case must have a log. Returns the problems found (empty: the log is whole and
        explains every case)."""
        log = self.log()
        fejl = []
        with self.laes() as conn:
            alle = set(conn.execute(select(S.sager.c.sag_id)).scalars())
            for tabel in (S.overgange, S.visninger):
                kol = ["id", *logkaede.FELTER[tabel.name], "forrige_hash", "hash"]
                raekker = conn.execute(select(*[tabel.c[k] for k in kol]).order_by(tabel.c.id)).mappings()
                brud = logkaede.tjek(tabel.name, raekker)
                if brud is not None:
                    fejl.append(brud)
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

    def visninger(self, sag_id: str | None = None) -> pd.DataFrame:
        """Who was shown which case's personal data, and when: tid, bruger, sag_id, hvad."""
        v = S.visninger
        q = select(v.c.tid, v.c.bruger, v.c.sag_id, v.c.hvad).order_by(v.c.id)
        if sag_id is not None:
            q = q.where(v.c.sag_id == sag_id)
        with self.laes() as conn:
            rows = [dict(r) for r in conn.execute(q).mappings()]
        return ramme(rows, ["tid", "bruger", "sag_id", "hvad"])

    def sager(self, kommune: int | None = None, statusser: Iterable[str] | None = None) -> pd.DataFrame:
        """Every case with its current state (no cpr column)."""
        with self.laes() as conn:
            return self.aktuelle(conn, statusser, kommune).drop(columns=["ym_cpr"])

    # ---- imports and the provenu interface -------------------------------------------------
    def importer_kontrolsager(self, df: pd.DataFrame, bruger: str, dato: dt.date | None = None) -> dict:
        return sagsimport.importer(self, df, bruger, dato)

    def kontrolsager(self, kommune: int | None = None) -> pd.DataFrame:
        return sagsimport.kontrolsager(self, kommune)

    def korrektioner(self, kommune: int | None = None) -> pd.DataFrame:
        return sagsimport.korrektioner(self, kommune)

    def korriger(self, sag_id: str, bruger: str, beloeb: Beloeb | Iterable[Beloeb],
                 dato: dt.date | None = None) -> None:
        """Correct the amounts of a case closed with aendret_tildeling (appends a korrektion)."""
        sagsimport.korriger(self, sag_id, bruger, beloeb, dato)

    def udstil_fund(self, fund: pd.DataFrame, dato: dt.date, bruger: str, kilde, stamdata=None):
        """Put findings on the bestillingsliste as cases of ``kilde`` (:class:`.udstilling.Kilde`);
        see :func:`.udstilling.udstil_fund`."""
        return udstilling.udstil_fund(self, fund, dato, bruger, kilde, stamdata)

    def importer_trin3(self, df: pd.DataFrame, bruger: str, dato: dt.date | None = None) -> dict:
        return trin3.importer(self, df, bruger, dato)
