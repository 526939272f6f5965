"""The one engine that runs every local control list in DuckDB on the registers' connection.

Steps for one list on run date D (every step is SQL; pandas only at the edge):

1. ``lk_pop``: the population. With ``ydelser``/``kle``: persons with a case on one of those KLE
   active on D (oprettet ≤ D, ophoert empty or ≥ D); with ``kraev_udbetaling`` also a payment > 0
   on that KLE in the seneste hele måned, like the samkøring's bestand. The case's KLE is the
   lowest qualifying one, its municipality the case's. With ``alle``: every person alive on D.
   ``alder`` keeps those aged fra..til whole years on D (both ends included).
2. ``lk_kand``: the candidates, one row per person × address in focus: the address the person
   lives on D (``adresse: nuvaerende``) or every address moved to in the period
   [D − N months, D] (``adresse: tilflyttet_i_perioden``). Without a case the municipality is
   the address's. ``--kommune`` keeps that municipality.
3. Each criterion (see :mod:`.betingelser`) yields the candidates that pass, with a sentence of
   evidence; a negated one (``ikke: ja``) the candidates that do not; ``en_af`` the union.
4. A hit is a candidate that passes every criterion: one row per (list, person, address, move-in
   date), with the list's reason and every criterion's evidence. ``haendelse_id`` is
   ``<adresse_id>|<fra_dato>``: the same finding on a later run has the same key (fredning).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from kontrol_lib.parametre.yamlmodel import laes_yaml_tekst
from kontrol_lib.registre import cpr_birthdate_sql, som_registre
from kontrol_lib.regler.lokale.kriterier import Kriterium, Liste, ListeFejl, indlaes_lister, laes_liste
from kontrol_lib.regler.regel import sql_lit
from kontrol_lib.vokabular import tid
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.steder import known_kle, kommunekode

HIT_KOLONNER = ["liste", "liste_titel", "kontroltype", "cpr", "kommunekode", "kle", "ydelse", "ydelsesomraade",
                "myndighed", "paragraf11", "adresse_id", "fra_dato", "haendelse_id", "haendelsesdato",
                "begrundelse", "oplysninger"]
TRAGT_KOLONNER = ["liste", "trin", "beskrivelse", "personer"]
UENDELIG = "DATE '9999-12-31'"


registre = som_registre   # one helper for "a folder or loaded registers"



def _tjek_dato(dato) -> dt.date:
    if not isinstance(dato, dt.date) or isinstance(dato, dt.datetime):
        raise KontrolFejl("Kørselsdatoen skal være en dato (ÅÅÅÅ-MM-DD)")
    return dato


# --------------------------------------------------------------------------- shared relations
def _faelles(con, D: dt.date) -> None:
    d = sql_lit(D)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE lk_person AS
        WITH alle AS (SELECT cpr FROM personer UNION SELECT cpr FROM adresser
                      UNION SELECT cpr FROM ydelsessager UNION SELECT barn_cpr FROM relationer
                      UNION SELECT cpr FROM relationer)
        SELECT a.cpr, coalesce(p.foedselsdato, {cpr_birthdate_sql('a.cpr')}) AS foedselsdato, p.doedsdato
        FROM alle a LEFT JOIN personer p USING (cpr)""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE lk_aegtefaelle AS
        WITH c AS (SELECT * FROM civilstand WHERE dato <= {d}),
        v AS (SELECT cpr, max(dato) AS vd, arg_max(aegtefaelle_cpr, (dato, aegtefaelle_cpr)) AS aef
              FROM c WHERE haendelse = 'vielse' GROUP BY cpr),
        g AS (SELECT v.cpr, v.aef FROM v WHERE NOT EXISTS (
                 SELECT 1 FROM c x WHERE x.haendelse IN ('skilsmisse', 'enkestand') AND x.dato > v.vd
                   AND ((x.cpr = v.cpr AND (x.aegtefaelle_cpr IS NULL OR x.aegtefaelle_cpr = v.aef))
                        OR (x.cpr = v.aef AND x.aegtefaelle_cpr = v.cpr))))
        SELECT cpr, aef AS aef_cpr FROM g UNION SELECT aef, cpr FROM g""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE lk_familie AS
        SELECT cpr, aef_cpr AS anden_cpr, 'aegtefaelle' AS relation FROM lk_aegtefaelle
        UNION SELECT cpr, barn_cpr, 'barn' FROM relationer
        UNION SELECT barn_cpr, cpr, 'foraelder' FROM relationer
        UNION SELECT a.barn_cpr, b.barn_cpr, 'soeskende' FROM relationer a
              JOIN relationer b ON a.cpr = b.cpr AND a.barn_cpr <> b.barn_cpr""")


def _ryd(con) -> None:
    rows = con.execute("SELECT table_name, table_type FROM information_schema.tables "
                       "WHERE table_name LIKE 'lk\\_%' ESCAPE '\\'").fetchall()
    for n, typ in sorted(rows, key=lambda r: r[1] != "VIEW"):
        con.execute(f"DROP {'VIEW' if typ == 'VIEW' else 'TABLE'} IF EXISTS {n}")


# --------------------------------------------------------------------------- one list
def _befolkning(con, liste: Liste, D: dt.date) -> None:
    b = liste.befolkning
    d = sql_lit(D)
    alder = []
    if b.alder_fra is not None:
        alder.append(f"CAST(p.foedselsdato + to_months({12 * b.alder_fra}) AS DATE) <= {d}")
    if b.alder_til is not None:
        alder.append(f"CAST(p.foedselsdato + to_months({12 * (b.alder_til + 1)}) AS DATE) > {d}")
    levende = f"(p.doedsdato IS NULL OR p.doedsdato > {d}) AND p.foedselsdato <= {d}"
    person = " AND ".join([levende, *alder])
    if b.alle:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE lk_pop AS
            SELECT p.cpr, CAST(NULL AS VARCHAR) AS kle, CAST(NULL AS INTEGER) AS kommunekode
            FROM lk_person p WHERE {person}""")
        return
    shm = tid.seneste_hele_maaned(D)
    betaling = (f"""AND EXISTS (SELECT 1 FROM udbetalinger u WHERE u.cpr = s.cpr AND u.kle = s.kle
                       AND u.beloeb > 0 AND u.udbetalingsdato BETWEEN {sql_lit(shm[0])} AND {sql_lit(shm[1])})"""
                if b.kraev_udbetaling else "")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE lk_pop AS
        SELECT s.cpr, min(s.kle) AS kle, arg_min(s.kommunekode, (s.kle, s.kommunekode)) AS kommunekode
        FROM ydelsessager s JOIN lk_person p ON p.cpr = s.cpr
        WHERE s.kle IN {sql_lit(tuple(b.kle))} AND s.oprettet <= {d} AND (s.ophoert IS NULL OR s.ophoert >= {d})
          AND {person} {betaling}
        GROUP BY s.cpr""")


def _kandidater(con, liste: Liste, D: dt.date, kommune: int | None) -> None:
    d = sql_lit(D)
    if liste.adresse == "nuvaerende":
        hvor = f"a.fra_dato <= {d} AND coalesce(a.til_dato, {UENDELIG}) >= {d}"
    else:
        start = tid.plus_maaneder(D, -int(liste.periode_maaneder))
        hvor = f"a.fra_dato BETWEEN {sql_lit(start)} AND {d}"
    kom = f"WHERE kommunekode = {int(kommune)}" if kommune is not None else ""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE lk_kand AS
        SELECT row_number() OVER (ORDER BY cpr, fra_dato, adresse_id) AS kid, * FROM (
            SELECT DISTINCT p.cpr, p.kle, CAST(coalesce(p.kommunekode, a.kommunekode) AS INTEGER) AS kommunekode,
                   a.adresse_id, a.fra_dato, a.til_dato,
                   least({d}, coalesce(a.til_dato, {d})) AS ref
            FROM lk_pop p JOIN adresser a ON a.cpr = p.cpr
            WHERE {hvor}) {kom}""")


def _kriterium_sql(k: Kriterium, D: dt.date, fil: str) -> str:
    """SQL of (kid, oplysning) for the candidates that pass ``k`` (one row per kid)."""
    if k.en_af:
        dele = " UNION ALL ".join(f"SELECT * FROM ({_kriterium_sql(s, D, fil)})" for s in k.en_af)
        return f"SELECT kid, string_agg(oplysning, ' / ' ORDER BY oplysning) AS oplysning FROM ({dele}) GROUP BY kid"
    p = k.vaerdier(D, fil)
    krop = k.betingelse.krop(p, D)
    if k.ikke:
        return (f"SELECT kid, {sql_lit(k.betingelse.negation(p))} AS oplysning FROM lk_kand "
                f"WHERE kid NOT IN (SELECT kid FROM ({krop}))")
    return f"SELECT kid, string_agg(oplysning, '; ' ORDER BY oplysning) AS oplysning FROM ({krop}) GROUP BY kid"


def _koer_en(con, liste: Liste, D: dt.date, kommune: int | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hits and the funnel (persons left after each step) of one list."""
    _befolkning(con, liste, D)
    _kandidater(con, liste, D, kommune)
    tragt = []

    def tael(sql: str) -> int:
        return int(con.execute(f"SELECT count(DISTINCT cpr) FROM ({sql})").fetchall()[0][0])

    pop_kom = ("SELECT cpr FROM lk_pop" if kommune is None or liste.befolkning.alle
               else f"SELECT cpr FROM lk_pop WHERE kommunekode = {int(kommune)}")
    tragt.append((0, _befolkning_tekst(liste), tael(pop_kom)))
    tragt.append((1, _adresse_tekst(liste), tael("SELECT cpr FROM lk_kand")))
    tilbage = "SELECT kid FROM lk_kand"
    navne = []
    for i, k in enumerate(liste.kriterier, 1):
        con.execute(f"CREATE OR REPLACE TEMP TABLE lk_k{i} AS {_kriterium_sql(k, D, liste.fil)}")
        navne.append(f"lk_k{i}")
        tilbage = f"SELECT kid FROM ({tilbage}) INTERSECT SELECT kid FROM lk_k{i}"
        tragt.append((i + 1, k.tekst(D, liste.fil),
                      tael(f"SELECT cpr FROM lk_kand WHERE kid IN ({tilbage})")))
    joins = " ".join(f"JOIN {n} USING (kid)" for n in navne)
    opl = "concat_ws('; ', " + ", ".join(f"{n}.oplysning" for n in navne) + ")"
    df = con.sql(f"""SELECT c.cpr, c.kommunekode, c.kle, c.adresse_id, c.fra_dato, {opl} AS oplysninger
                     FROM lk_kand c {joins} ORDER BY c.cpr, c.fra_dato, c.adresse_id""").arrow().read_all().to_pandas()
    return _udfyld(df, liste), pd.DataFrame(
        [{"liste": liste.navn, "trin": t, "beskrivelse": b, "personer": n} for t, b, n in tragt],
        columns=TRAGT_KOLONNER)


def _befolkning_tekst(liste: Liste) -> str:
    b = liste.befolkning
    t = "alle levende personer" if b.alle else "personer med en aktiv sag på KLE " + ", ".join(b.kle)
    if b.kraev_udbetaling:
        t += " og en udbetaling i seneste hele måned"
    if b.alder_fra is not None or b.alder_til is not None:
        t += f", alder {b.alder_fra if b.alder_fra is not None else 0}–" \
             f"{b.alder_til if b.alder_til is not None else ''} år"
    return "Befolkning: " + t


def _adresse_tekst(liste: Liste) -> str:
    if liste.adresse == "nuvaerende":
        return "Med en adresse på kørselsdatoen"
    return f"Flyttet til en adresse inden for de seneste {liste.periode_maaneder} måneder"


def _udfyld(df: pd.DataFrame, liste: Liste) -> pd.DataFrame:
    kle = known_kle().set_index("kle")
    rows = []
    for r in df.itertuples(index=False):
        k = None if r.kle is None or (isinstance(r.kle, float) and pd.isna(r.kle)) else str(r.kle)
        omraade = str(kle.loc[k, "ydelsesomraade"]) if k is not None else None
        ydelse = liste.sag_ydelse or (str(kle.loc[k, "ydelse"]) if k is not None else None)
        myndighed = liste.sag_myndighed or ("udk" if omraade == "udk_familie" else "kommune")
        fra = r.fra_dato.date() if isinstance(r.fra_dato, pd.Timestamp) else r.fra_dato
        rows.append({
            "liste": liste.navn, "liste_titel": liste.titel, "kontroltype": liste.kontroltype,
            "cpr": str(r.cpr), "kommunekode": int(r.kommunekode), "kle": k, "ydelse": ydelse,
            "ydelsesomraade": omraade, "myndighed": myndighed,
            "paragraf11": "ja" if myndighed == "udk" else "nej",
            "adresse_id": str(r.adresse_id), "fra_dato": fra,
            "haendelse_id": f"{r.adresse_id}|{fra.isoformat()}", "haendelsesdato": fra,
            "begrundelse": liste.begrundelse, "oplysninger": str(r.oplysninger)})
    out = pd.DataFrame(rows, columns=HIT_KOLONNER)
    out["kommunekode"] = out["kommunekode"].astype("int64")
    return out


# --------------------------------------------------------------------------- public API
def _vaelg(lister, dato: dt.date) -> list[Liste]:
    if lister is None:
        return [x for x in indlaes_lister().values() if x.gaelder(dato)]
    if isinstance(lister, Liste):
        return [lister]
    if isinstance(lister, dict):
        lister = list(lister.values())
    alle = None
    out = []
    for x in lister:
        if isinstance(x, Liste):
            out.append(x)
            continue
        alle = alle if alle is not None else indlaes_lister()
        if x not in alle:
            raise KontrolFejl(f"Ukendt kontrolliste '{x}' (kendte: {', '.join(alle)})")
        if not alle[x].gaelder(dato):
            til = f" til {alle[x].gaelder_til.isoformat()}" if alle[x].gaelder_til else ""
            raise KontrolFejl(f"Kontrollisten '{x}' gælder ikke den {dato.isoformat()} "
                              f"(gælder fra {alle[x].gaelder_fra.isoformat()}{til}; se {alle[x].fil})")
        out.append(alle[x])
    return out


def koer_lister(data, dato: dt.date, lister: Iterable | Liste | None = None,
                kommune: int | None = None) -> pd.DataFrame:
    """Run local control lists on a data folder (or loaded :class:`Registre`) on ``dato``.
    ``lister``: None = every list in ``parameters/lister`` in force on ``dato``; or names or
    :class:`Liste` objects. Returns every hit (columns :data:`HIT_KOLONNER`, with cpr: for the
    case store, not for display)."""
    hits, _ = _koer(data, dato, lister, kommune)
    return hits


def tragt(data, dato: dt.date, lister: Iterable | Liste | None = None, kommune: int | None = None) -> pd.DataFrame:
    """The funnel of each list (columns :data:`TRAGT_KOLONNER`, no cpr): how many persons every
    step keeps. ``kontrol lister --proev`` prints it."""
    return _koer(data, dato, lister, kommune)[1]


def _koer(data, dato, lister, kommune):
    dato = _tjek_dato(dato)
    kommune = kommunekode(kommune)
    valgte = _vaelg(lister, dato)
    reg = registre(data)
    con = reg.con
    hits, tragte = [], []
    try:
        _faelles(con, dato)
        for liste in valgte:
            h, t = _koer_en(con, liste, dato, kommune)
            hits.append(h)
            tragte.append(t)
    finally:
        _ryd(con)
    h = pd.concat(hits, ignore_index=True) if hits else pd.DataFrame(columns=HIT_KOLONNER)
    t = pd.concat(tragte, ignore_index=True) if tragte else pd.DataFrame(columns=TRAGT_KOLONNER)
    return h, t


def opsummering(hits: pd.DataFrame) -> pd.DataFrame:
    """Counts per list for display (no cpr): liste, titel, personer, adresser, hits."""
    cols = ["liste", "titel", "personer", "adresser", "fund"]
    if hits.empty:
        return pd.DataFrame(columns=cols)
    g = hits.groupby(["liste", "liste_titel"], sort=True)
    out = pd.DataFrame({"personer": g["cpr"].nunique(), "adresser": g["adresse_id"].nunique(),
                        "fund": g.size()}).reset_index().rename(columns={"liste_titel": "titel"})
    for c in ("personer", "adresser", "fund"):
        out[c] = out[c].astype("int64")
    return out[cols]


def afproev_kriterium(kriterium, data, dato: dt.date, kommune: int | None = None) -> pd.DataFrame:
    """Try a criterion before saving it: ``kriterium`` is the YAML text of a list file, the same
    as a dict, or a :class:`Liste`; ``data`` a data folder or loaded registers. Returns the funnel
    WITHOUT cpr: per step (befolkning, address, each criterion) how many persons are left; the
    last row is how many the list would select. Errors in the criterion name the key."""
    if isinstance(kriterium, Liste):
        liste = kriterium
    elif isinstance(kriterium, str):
        raa = laes_yaml_tekst(kriterium, "<kriterium>", ListeFejl)
        liste = laes_liste(raa, "<kriterium>", (raa.get("navn") if isinstance(raa, dict) else None) or "afproevning")
    elif isinstance(kriterium, dict):
        liste = laes_liste(kriterium, "<kriterium>", kriterium.get("navn") or "afproevning")
    else:
        raise ListeFejl(["<kriterium>: angiv YAML-tekst, en ordbog eller en Liste"])
    _, tragt = _koer(data, dato, [liste], kommune)
    return tragt

