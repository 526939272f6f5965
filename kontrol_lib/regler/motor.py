"""The engine: bestand, case windows, applicability, parameter look-up and hit collection.

Everything runs as relational SQL in DuckDB on the registers' connection (``reg.con``); pandas
appears only at the edges. Steps of one run on date D:

1. ``sk_sager``: the qualifying cases (Bestand-KLE, active on D, a payment > 0 on that KLE in the
   seneste hele måned; with ``kommune`` only that municipality's cases) with their vindue
   [vs, ve] = [latest of kontrolperiode start, oprettet and the municipality's
   § 10-aktiveringsdato; kontrolperiode end].
2. ``sk_aef``: each YM's spouse on D, minus the separation exclusions.
3. The registers restricted to the people of the run as temp tables ``sk_t_<tabel>``: the
   family registers (personer, relationer, adresser, civilstand) to the YM, everyone the YM
   married and their children (step 2 needs them); the others to YM and ÆF. Every rule then
   reads small tables. eIndkomst is the exception (``_UBEGRAENSET``): ``sk_t_eindkomst`` is a
   view of the whole register, which its rules restrict to their case windows' persons by their
   own join (a copy was the run's largest cost in time and memory).
4. Per rule: ``sk_anv_<regel>`` = the case windows whose KLE is in the rule's set for the role;
   the rule body (one SQL query) yields events per window; hits are collected in ``sk_hits``,
   and the parameter values the rule read (:attr:`Kontekst.laest`) in ``sk_parametre``.
5. One row per (ym_cpr, regel, haendelse_id): the case with the lowest KLE, then the latest
   oprettet; sorted as the contract says. Each hit carries its evidence as data (column
   ``bevis``, JSON text): ``{"parametre": {navn: værdi}, "vindue": {"fra", "til"}, "fakta": {...}}``
   beside the Danish sentence ``oplysninger``. Amounts in it are exact texts ("1500.01").

The udfald CSV of the contract (:func:`skriv_udfald`) has the columns :data:`UDFALD_KOLONNER`
only; ``bevis`` lives in the DataFrame (:data:`RESULTAT_KOLONNER`) for ``kontrol forklar``.
"""

from __future__ import annotations

import datetime as dt
import time
import weakref
from pathlib import Path

import pandas as pd

from kontrol_lib.parametre import daterede as parametre
from kontrol_lib.vokabular.steder import kommunekode
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.filer import aaben_privat
from kontrol_lib.registre import som_registre
from kontrol_lib.vokabular import tid
from kontrol_lib.regler.regel import Kontekst, Regel, json_lit, sql_lit
from kontrol_lib.regler.nationale import REGLER

UDFALD_KOLONNER = ["ym_cpr", "person_cpr", "rolle", "regel", "haendelsesdato", "haendelse_id", "kle",
                   "kommunekode", "oplysninger"]
BEVIS = "bevis"
RESULTAT_KOLONNER = UDFALD_KOLONNER + [BEVIS]      # what samkoer returns
BESTAND_KOLONNER = ["ym_cpr", "kle", "kommunekode", "oprettet", "vindue_start", "vindue_slut", "aef_cpr"]

# Registers keyed by the person the event is about; restricted to the run's people in step 3.
_PERSONTABELLER = ("personer", "relationer", "adresser", "civilstand", "borgerstatus", "eindkomst", "biler",
                   "virksomheder", "moms", "bidragssager", "feriekonto")

# Not copied (issue 15): nationally eIndkomst is 14 M lines, most of them the YM's and spouses', so
# a restricted copy cost ≈ 2 CPU-s and ≈ 0.85 GB (the run's peak memory). Each rule that reads it
# scans the register (typed columns read as they are, its filters pushed into the Parquet reader)
# and keeps only the lines of its case windows' persons by its own join, so the view is the
# register itself: restricting it first cost a hash probe per line in every scan.
_UBEGRAENSET = ("eindkomst",)

# Restricted while the bestand is made (step 2), to the YM, everyone they married, and children.
_FAMILIETABELLER = ("personer", "relationer", "adresser", "civilstand")

MACROS = [
    "sk_kr(x) AS (CASE WHEN x < 0 THEN '-' ELSE '' END) "
    "|| replace(format('{:,d}', CAST(trunc(abs(x)) AS BIGINT)), ',', '.') || ',' "
    "|| lpad(CAST(CAST((abs(x) - trunc(abs(x))) * 100 AS INTEGER) AS VARCHAR), 2, '0') || ' kr.'",
    "sk_dk(d) AS strftime(d, '%d-%m-%Y')",
    "sk_hvem(r) AS CASE WHEN r = 'YM' THEN 'Ydelsesmodtageren' ELSE 'Ægtefællen' END",
    "sk_plus_maaneder(d, n) AS CAST(d + to_months(CAST(n AS INTEGER)) AS DATE)",
    "sk_ref(c) AS substr(md5(c), 1, 12)",
    "sk_beloeb(x) AS CAST(CAST(x AS DECIMAL(18, 2)) AS VARCHAR)",
]


class Koersel:
    """One run's periods and parameters (Python side)."""

    def __init__(self, dato: dt.date, kommune: int | None, mappe=None):
        if not isinstance(dato, dt.date) or isinstance(dato, dt.datetime):
            raise KontrolFejl("Kørselsdatoen skal være en dato (ÅÅÅÅ-MM-DD)")
        self.dato = dato
        self.kommune = kommune
        self.mappe = mappe
        self.kp_start, self.kp_slut = tid.kontrolperiode(
            dato, int(parametre.hent("regler.kontrolperiode_maaneder", dato, mappe)))
        self.shm_start, self.shm_slut = tid.seneste_hele_maaned(dato)
        self.bestand_kle = tuple(parametre.hent("regler.bestand_kle", dato, mappe))
        self.tider: dict[str, float] = {}

    def kontekst(self, anv: str, tabeller: dict[str, str]) -> Kontekst:
        return Kontekst(self.dato, self.kp_start, self.kp_slut, anv, tabeller, self.mappe)


_registre = som_registre   # one helper for "a folder or loaded registers"



# Connections that have the macros (temp macros live as long as their connection).
_MED_MAKROER: weakref.WeakSet = weakref.WeakSet()


def _macros(con) -> None:
    if con in _MED_MAKROER:
        return
    con.execute(";\n".join(f"CREATE OR REPLACE TEMP MACRO {m}" for m in MACROS))
    _MED_MAKROER.add(con)


def _lav_bestand(con, k: Koersel) -> None:
    """Steps 1 and 2: sk_sager and sk_aef."""
    D, KPS, KPE = sql_lit(k.dato), sql_lit(k.kp_start), sql_lit(k.kp_slut)
    kommune = f"AND s.kommunekode = {int(k.kommune)}" if k.kommune is not None else ""
    sql = [f"""
        CREATE OR REPLACE TEMP TABLE sk_sager AS
        WITH akt AS (SELECT kommunekode, max(paragraf10_aktiveringsdato) AS akt FROM kommuner GROUP BY kommunekode)
        SELECT DISTINCT s.cpr AS ym_cpr, s.kle, s.kommunekode, s.oprettet,
               greatest({KPS}, s.oprettet, coalesce(akt.akt, {KPS})) AS vs, {KPE} AS ve
        FROM ydelsessager s LEFT JOIN akt USING (kommunekode)
        WHERE s.kle IN {sql_lit(k.bestand_kle)} AND s.oprettet <= {D} AND (s.ophoert IS NULL OR s.ophoert >= {D})
          {kommune}
          AND EXISTS (SELECT 1 FROM udbetalinger u
                      WHERE u.cpr = s.cpr AND u.kle = s.kle AND u.beloeb > 0
                        AND u.udbetalingsdato BETWEEN {sql_lit(k.shm_start)} AND {sql_lit(k.shm_slut)})
    """]
    # The family registers, restricted once: the YM's civilstand rows; relationer of the YM and
    # everyone the YM was ever married to; personer and adresser of those and their children.
    sql += ["CREATE OR REPLACE TEMP TABLE sk_t_civilstand AS SELECT * FROM civilstand "
            "WHERE cpr IN (SELECT ym_cpr FROM sk_sager)",
            "CREATE OR REPLACE TEMP TABLE sk_k0 AS SELECT ym_cpr AS cpr FROM sk_sager "
            "UNION SELECT aegtefaelle_cpr FROM sk_t_civilstand WHERE aegtefaelle_cpr IS NOT NULL",
            "CREATE OR REPLACE TEMP TABLE sk_t_relationer AS SELECT * FROM relationer "
            "WHERE cpr IN (SELECT cpr FROM sk_k0)",
            "CREATE OR REPLACE TEMP TABLE sk_kreds AS SELECT cpr FROM sk_k0 "
            "UNION SELECT barn_cpr FROM sk_t_relationer"]
    sql += [f"CREATE OR REPLACE TEMP TABLE sk_t_{t} AS SELECT * FROM {t} WHERE cpr IN (SELECT cpr FROM sk_kreds)"
            for t in ("personer", "adresser")]
    # The spouse on D: latest vielse <= D, not ended by a later skilsmisse/enkestand <= D;
    # left out after a separation in [KPS, D], or an older one while living apart on D.
    sql.append(f"""
        CREATE OR REPLACE TEMP TABLE sk_aef AS
        WITH c AS (SELECT * FROM sk_t_civilstand WHERE dato <= {D}),
        v AS (SELECT cpr AS ym_cpr, max(dato) AS vielsesdato,
                     arg_max(aegtefaelle_cpr, (dato, aegtefaelle_cpr)) AS aef_cpr
              FROM c WHERE haendelse = 'vielse' GROUP BY cpr),
        gift AS (SELECT v.* FROM v WHERE NOT EXISTS (
                    SELECT 1 FROM c x WHERE x.cpr = v.ym_cpr AND x.haendelse IN ('skilsmisse', 'enkestand')
                      AND x.dato > v.vielsesdato AND (x.aegtefaelle_cpr IS NULL OR x.aegtefaelle_cpr = v.aef_cpr))),
        sep AS (SELECT g.ym_cpr, max(s.dato) AS seneste, min(s.dato) AS foerste
                FROM gift g JOIN c s ON s.cpr = g.ym_cpr AND s.haendelse = 'separation'
                                     AND s.aegtefaelle_cpr = g.aef_cpr
                GROUP BY g.ym_cpr),
        sammen AS (SELECT DISTINCT g.ym_cpr
                   FROM gift g JOIN sk_t_adresser x ON x.cpr = g.ym_cpr
                               JOIN sk_t_adresser y ON y.cpr = g.aef_cpr AND y.adresse_id = x.adresse_id
                   WHERE x.fra_dato <= {D} AND coalesce(x.til_dato, DATE '9999-12-31') >= {D}
                     AND y.fra_dato <= {D} AND coalesce(y.til_dato, DATE '9999-12-31') >= {D})
        SELECT g.ym_cpr, g.aef_cpr
        FROM gift g LEFT JOIN sep USING (ym_cpr)
        WHERE NOT coalesce(sep.seneste >= {KPS}, false)
          AND NOT (coalesce(sep.foerste < {KPS}, false) AND g.ym_cpr NOT IN (SELECT ym_cpr FROM sammen))
    """)
    con.execute(";\n".join(sql))      # one round trip: the statements run in this order


def _bestand_df(con) -> pd.DataFrame:
    df = con.sql("""
        SELECT s.ym_cpr, s.kle, s.kommunekode, s.oprettet, s.vs AS vindue_start, s.ve AS vindue_slut, a.aef_cpr
        FROM sk_sager s LEFT JOIN sk_aef a USING (ym_cpr)
        ORDER BY s.ym_cpr, s.kle, s.oprettet, s.kommunekode""").arrow().read_all().to_pandas()
    df["kommunekode"] = df["kommunekode"].astype("int64")
    return df[BESTAND_KOLONNER]


def _ryd(con) -> None:
    """Drop the run's temp relations (views first) so the connection is as it was."""
    rows = con.execute("SELECT table_name, table_type FROM information_schema.tables "
                       "WHERE table_name LIKE 'sk\\_%' ESCAPE '\\'").fetchall()
    drop = [f"DROP {'VIEW' if typ == 'VIEW' else 'TABLE'} IF EXISTS {n}"
            for n, typ in sorted(rows, key=lambda r: r[1] != "VIEW")]
    if drop:
        con.execute(";\n".join(drop))


def _begynd(con) -> bool:
    """Run the steps in one transaction (the many small statements commit once), unless the
    caller's connection is already in one (then the run works inside it). True when this run
    began it. Inside a transaction every statement has the same transaction id; outside it each
    statement is a transaction of its own (asking with BEGIN would abort the caller's)."""
    if con.execute("SELECT txid_current()").fetchone()[0] == con.execute("SELECT txid_current()").fetchone()[0]:
        return False
    con.execute("BEGIN TRANSACTION")
    return True


def _slut(con, egen: bool) -> None:
    """Leave the connection as it was. The run only creates temp relations and keeps its result
    in pandas, so its own transaction is rolled back (one statement drops them all, whether the
    run succeeded or failed); inside the caller's transaction they are dropped one by one."""
    if egen:
        con.execute("ROLLBACK")
    else:
        _ryd(con)


def bestand(reg, dato: dt.date, kommune: int | None = None) -> pd.DataFrame:
    """The bestand on ``dato``: one row per qualifying case (ym_cpr, kle, kommunekode, oprettet,
    vindue_start, vindue_slut) with the YM's spouse on D (``aef_cpr``, empty if none or left out)."""
    reg = _registre(reg)
    k = Koersel(dato, kommunekode(kommune))
    con = reg.con
    _macros(con)
    egen = _begynd(con)
    try:
        _lav_bestand(con, k)
        return _bestand_df(con)
    finally:
        _slut(con, egen)


def _begraens_tabeller(con, laeses: set[str]) -> dict[str, str]:
    """Step 3: the other registers the chosen rules read (``laeses``), restricted to the run's
    YM and spouses (the family registers were restricted in step 2)."""
    con.execute("CREATE OR REPLACE TEMP TABLE sk_kerne AS SELECT ym_cpr AS cpr FROM sk_sager "
                "UNION SELECT aef_cpr FROM sk_aef")
    andre = [t for t in _PERSONTABELLER if t not in _FAMILIETABELLER and t in laeses]
    con.execute(";\n".join(
        [f"CREATE OR REPLACE TEMP VIEW sk_t_{t} AS SELECT * FROM {t}" if t in _UBEGRAENSET else
         f"CREATE OR REPLACE TEMP TABLE sk_t_{t} AS SELECT * FROM {t} WHERE cpr IN (SELECT cpr FROM sk_kerne)"
         for t in andre]
        + ["CREATE OR REPLACE TEMP TABLE sk_kommune_cvr AS SELECT DISTINCT kommunekode, cvr FROM kommuner "
           "WHERE cvr IS NOT NULL"]))
    return {t: f"sk_t_{t}" for t in _PERSONTABELLER if t in _FAMILIETABELLER or t in laeses}


def _koer_regel(con, k: Koersel, regel: Regel, tabeller: dict[str, str]) -> None:
    anv = f"sk_anv_{regel.id}"
    ktx = k.kontekst(anv, tabeller)
    # the KLE sets are read through the context too, so the evidence names them
    ym = sql_lit(tuple(ktx.vaerdi(regel.ym_kle_parameter)))
    aef_kle = tuple(ktx.vaerdi(regel.aef_kle_parameter)) if regel.aef_kle_parameter else ()
    aef = f"OR (rolle = 'ÆF' AND kle IN {sql_lit(aef_kle)})" if aef_kle else ""
    sql = regel.krop(ktx)
    ulaeste = set(ktx.laest) - set(regel.parameternavne)
    if ulaeste:  # a body may only read what it declares (the catalogue shows the declaration)
        raise RuntimeError(f"regel {regel.id} læser parametre, den ikke erklærer: {sorted(ulaeste)}")
    laest = [n for n in regel.parameternavne if n in ktx.laest]
    par = ", ".join(f"{sql_lit(n)}, {json_lit(ktx.laest[n])}" for n in laest)
    cols = ("ym_cpr, person_cpr, rolle, kle, kommunekode, oprettet, haendelsesdato, haendelse_id, oplysninger, "
            "bevis")
    t0 = time.perf_counter()
    con.execute(f"CREATE OR REPLACE TEMP VIEW {anv} AS SELECT * FROM sk_anv_base "
                f"WHERE (rolle = 'YM' AND kle IN {ym}) {aef};\n"
                f"INSERT INTO sk_parametre SELECT '{regel.id}', json_object({par});\n"
                f"INSERT INTO sk_hits SELECT '{regel.id}' AS regel, {cols} FROM ({sql})")
    k.tider[regel.id] = time.perf_counter() - t0


def samkoer(data, dato: dt.date, kommune: int | None = None, regler: list[str] | None = None) -> pd.DataFrame:
    """Run the registersamkøring on ``dato``: the udfald table (columns :data:`UDFALD_KOLONNER`,
    sorted by ym_cpr, regel, haendelsesdato, haendelse_id, person_cpr) and each hit's evidence as
    data (column ``bevis``, JSON text; see the module docstring).

    ``data`` is a data folder or loaded :class:`~kontrol_lib.registre.Registre`. ``regler``
    limits the run to some rule ids (default: all). ``df.attrs`` carries ``ikke_koert`` (rule →
    absent registers it reads: "could not run", apart from "no hit"), ``noter`` and
    ``tider`` (seconds per step)."""
    t_start = time.perf_counter()
    reg = _registre(data)
    t_load = time.perf_counter() - t_start
    k = Koersel(dato, kommunekode(kommune))
    valgte = list(REGLER) if regler is None else list(regler)
    ukendte = [r for r in valgte if r not in REGLER]
    if ukendte:
        raise KontrolFejl(f"Ukendt regel: {', '.join(ukendte)}")
    con = reg.con
    _macros(con)
    # Order of intermediate tables is irrelevant (the result is sorted at the end); not keeping
    # it lets DuckDB materialise in parallel with less memory. Restored afterwards.
    orden = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()[0]
    con.execute("SET preserve_insertion_order = false")
    egen = _begynd(con)
    try:
        t0 = time.perf_counter()
        _lav_bestand(con, k)
        k.tider["bestand"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        tabeller = _begraens_tabeller(con, {t for rid in valgte for t in REGLER[rid].tabeller})
        k.tider["afgraensning"] = time.perf_counter() - t0
        con.execute("""
            CREATE OR REPLACE TEMP TABLE sk_anv_base AS
            SELECT ym_cpr, ym_cpr AS person_cpr, 'YM' AS rolle, kle, kommunekode, oprettet, vs, ve FROM sk_sager
            UNION ALL
            SELECT s.ym_cpr, a.aef_cpr, 'ÆF', s.kle, s.kommunekode, s.oprettet, s.vs, s.ve
            FROM sk_sager s JOIN sk_aef a USING (ym_cpr);
            CREATE OR REPLACE TEMP TABLE sk_hits (regel VARCHAR, ym_cpr VARCHAR, person_cpr VARCHAR, rolle VARCHAR,
                kle VARCHAR, kommunekode INTEGER, oprettet DATE, haendelsesdato DATE, haendelse_id VARCHAR,
                oplysninger VARCHAR, bevis JSON);
            CREATE OR REPLACE TEMP TABLE sk_parametre (regel VARCHAR, parametre JSON)""")
        for rid in valgte:
            _koer_regel(con, k, REGLER[rid], tabeller)
        t0 = time.perf_counter()
        df = con.sql(f"""
            WITH u AS (
                SELECT * FROM sk_hits
                QUALIFY row_number() OVER (PARTITION BY ym_cpr, regel, haendelse_id
                                           ORDER BY kle, oprettet DESC, kommunekode, haendelsesdato, person_cpr) = 1)
            SELECT {', '.join('u.' + c for c in UDFALD_KOLONNER)},
                   CAST(json_object('parametre', p.parametre, 'vindue', json_object('fra', w.vs, 'til', w.ve),
                                    'fakta', u.bevis) AS VARCHAR) AS {BEVIS}
            FROM u LEFT JOIN sk_parametre p ON p.regel = u.regel
                   LEFT JOIN sk_anv_base w ON w.ym_cpr = u.ym_cpr AND w.person_cpr = u.person_cpr
                        AND w.rolle = u.rolle AND w.kle = u.kle AND w.kommunekode = u.kommunekode
                        AND w.oprettet = u.oprettet
            ORDER BY u.ym_cpr, u.regel, u.haendelsesdato, u.haendelse_id, u.person_cpr""").arrow().read_all().to_pandas()
        k.tider["udfald"] = time.perf_counter() - t0
    finally:
        _slut(con, egen)
        con.execute(f"SET preserve_insertion_order = {'true' if orden else 'false'}")
    df["kommunekode"] = df["kommunekode"].astype("int64")
    # DATE arrives as datetime.date objects (pyarrow's default); keep that type even when empty
    df["haendelsesdato"] = pd.Series([pd.Timestamp(d).date() if isinstance(d, dt.datetime) else d
                                      for d in df["haendelsesdato"]], index=df.index, dtype=object)
    df = df[RESULTAT_KOLONNER].reset_index(drop=True)
    fravaer = set(reg.fravaerende)
    df.attrs["ikke_koert"] = {r: sorted(set(REGLER[r].tabeller) & fravaer) for r in valgte
                              if set(REGLER[r].tabeller) - {"kommuner"} <= fravaer}
    df.attrs["noter"] = list(reg.noter)
    df.attrs["tider"] = {"indlaesning": t_load, **k.tider, "i_alt": time.perf_counter() - t_start}
    return df


def skriv_udfald(df: pd.DataFrame, ud: str | Path) -> Path:
    """The udfald table as the contract's CSV: ';', UTF-8 with BOM, ISO dates, header; readable
    by its owner only (it holds CPR numbers)."""
    ud = Path(ud)
    out = df[UDFALD_KOLONNER].copy()
    out["haendelsesdato"] = [d.isoformat() for d in out["haendelsesdato"]]
    with aaben_privat(ud, "w", encoding="utf-8-sig", newline="") as f:
        out.to_csv(f, sep=";", index=False, lineterminator="\n")
    return ud
