"""Speed and memory of the registersamkøring (not a test; results go in docs/performance.md).

    python bench/samkoer.py volumen --ud /tmp/national [--ym 150000 --linjer 15000000]
        writes a national-scale data folder (Parquet) of plain volume: ydelsesmodtagere with
        cases and payments, spouses, children, twelve months of eIndkomst, cars, VAT, ...
        (no planted events; use `kontrol synth --national` for those).
    python bench/samkoer.py maal --data DIR --dato 2024-05-15 [--kommune 151] [--gentag 3] [--ny]
        runs the whole samkøring (loading and validation included) in a fresh process per
        repetition and reports wall time, CPU seconds, peak RSS, the time per step and the load
        average; --ny removes the validation stamp first (a new extract: every check runs;
        without --ny a folder with no stamp is validated once, unmeasured, first);
        --hukommelse 4GB sets DuckDB's memory_limit (spilling to DIR/../duckdb_spill). The last
        line is the best repetition (by wall time from process start) as the row of the table
        in docs/performance.md: run | load (1 min, before–after) | wall | CPU s | validation
        (wall / CPU) | samkøring (wall / CPU) | bestand / afgrænsning (wall) | peak RSS | udfald.

Privacy: only counts and timings are printed, never a CPR number.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path



def volumen(ud: Path, ym: int, linjer: int, seed: float = 0.42) -> None:
    """National-scale volume in DuckDB SQL, written as Parquet."""
    import duckdb
    from importlib import resources
    ud.mkdir(parents=True, exist_ok=True)
    kommuner_csv = str(resources.files("kontrol_lib.vokabular.data").joinpath("kommuner.csv"))
    con = duckdb.connect()
    con.execute(f"SELECT setseed({seed})")
    con.execute(f"CREATE TABLE kom AS SELECT list(kommunekode ORDER BY kommunekode) AS k FROM read_csv('{kommuner_csv}')")
    # People: i < ym are YM; spouses for 40 %; other adults (not in bestand) as many as YM.
    # cpr = ddmmyy of a birth date + 4-digit serial < 4000 (1900s century), unique per i.
    con.execute("""
        CREATE MACRO cpr_af(i, start, serie) AS
            strftime(CAST(start + to_days(CAST(i % 9000 AS INTEGER)) AS DATE), '%d%m%y')
            || lpad(CAST(serie + i // 9000 AS VARCHAR), 4, '0')""")
    n_aef = int(ym * 0.4)
    con.execute(f"""
        CREATE TABLE p AS
        SELECT i, cpr_af(i, DATE '1960-01-01', 0) AS cpr, 'YM' AS slags FROM range({ym}) t(i)
        UNION ALL SELECT i, cpr_af(i, DATE '1961-01-01', 1000), 'AEF' FROM range({n_aef}) t(i)
        UNION ALL SELECT i, cpr_af(i, DATE '1962-01-01', 2000), 'ANDEN' FROM range({ym}) t(i)""")
    con.execute(f"""
        CREATE TABLE boern AS SELECT i, cpr_af(i, DATE '1999-01-01', 4000) AS cpr FROM range({ym // 2}) t(i)""")
    bestand = "['32.24.04','32.24.08','32.24.10','32.24.12','32.24.28','32.24.30','32.24.32','32.24.48']"
    w = lambda name, sql: con.execute(f"COPY ({sql}) TO '{ud / (name + '.parquet')}' (FORMAT parquet)")
    w("ydelsessager", f"""
        SELECT cpr, (SELECT k FROM kom)[1 + CAST(floor(random() * 98) AS INTEGER)] AS kommunekode,
               {bestand}[1 + CAST(floor(random() * 8) AS INTEGER)] AS kle,
               CAST(DATE '2015-01-01' + to_days(CAST(floor(random() * 3300) AS INTEGER)) AS DATE) AS oprettet,
               CAST(NULL AS DATE) AS ophoert
        FROM p WHERE slags = 'YM'""")
    con.execute(f"CREATE TABLE sager AS SELECT * FROM '{ud / 'ydelsessager.parquet'}'")
    w("udbetalinger", """
        SELECT s.cpr, s.kle, CAST(DATE '2023-06-01' + to_months(CAST(m AS INTEGER)) AS DATE) AS udbetalingsdato,
               CAST(round(5000 + random() * 10000, 2) AS DECIMAL(18, 2)) AS beloeb
        FROM sager s, range(12) t(m)""")
    w("personer", """
        SELECT cpr, make_date(CASE WHEN substr(cpr, 7, 1) >= '4' AND substr(cpr, 5, 2) <= '36' THEN 2000 ELSE 1900 END + CAST(substr(cpr, 5, 2) AS INTEGER), CAST(substr(cpr, 3, 2) AS INTEGER),
                              CAST(substr(cpr, 1, 2) AS INTEGER)) AS foedselsdato,
               CASE WHEN random() < 0.002 THEN DATE '2024-03-01' + to_days(CAST(floor(random() * 60) AS INTEGER)) END
                 AS doedsdato
        FROM (SELECT cpr FROM p UNION ALL SELECT cpr FROM boern)""")
    w("relationer", """
        SELECT y.cpr, b.cpr AS barn_cpr FROM boern b JOIN p y ON y.slags = 'YM' AND y.i = b.i""")
    w("civilstand", """
        SELECT y.cpr, 'vielse' AS haendelse, DATE '2012-06-01' AS dato, a.cpr AS aegtefaelle_cpr
        FROM p y JOIN p a ON a.slags = 'AEF' AND y.slags = 'YM' AND a.i = y.i
        UNION ALL
        SELECT a.cpr, 'vielse', DATE '2012-06-01', y.cpr
        FROM p y JOIN p a ON a.slags = 'AEF' AND y.slags = 'YM' AND a.i = y.i""")
    w("adresser", """
        WITH base AS (
            SELECT p.cpr, CASE WHEN p.slags = 'AEF' THEN 'ADR' || p.i WHEN p.slags = 'YM' THEN 'ADR' || p.i
                               ELSE 'ANDEN' || p.i END AS aid FROM p
            UNION ALL SELECT b.cpr, 'ADR' || b.i FROM boern b)
        SELECT cpr, aid AS adresse_id, 151 AS kommunekode, DATE '2010-01-01' AS fra_dato,
               CASE WHEN hash(cpr) % 10 = 0 THEN DATE '2024-03-14' END AS til_dato FROM base
        UNION ALL
        SELECT cpr, aid || 'N', 151, DATE '2024-03-15', NULL FROM base WHERE hash(cpr) % 10 = 0""")
    per = max(1, linjer // (ym + n_aef + ym))
    w("eindkomst", f"""
        SELECT p.cpr, lpad(CAST(10000000 + (hash(p.cpr) % 40000) + (CASE WHEN random() < 0.05 THEN 1 ELSE 0 END)
                         AS VARCHAR), 8, '0') AS indberetter_cvr,
               CASE WHEN random() < 0.1 THEN '841100' ELSE '471100' END AS branchekode,
               CASE WHEN r < 0.80 THEN 0 WHEN r < 0.90 THEN 1 WHEN r < 0.97 THEN 4 ELSE 5 END AS indkomsttype,
               CAST(DATE '2023-06-01' + to_days(CAST(floor(random() * 366) AS INTEGER)) AS DATE) AS udbetalingsdato,
               CAST(round(random() * 20000, 2) AS DECIMAL(18, 2)) AS beloeb
        FROM p, (SELECT random() AS r, x FROM range({per}) t(x))""")
    w("biler", """
        SELECT cpr, 'VIN' || i AS stelnummer, CASE WHEN random() < 0.5 THEN 'koeb' ELSE 'salg' END AS handel,
               CAST(DATE '2023-06-01' + to_days(CAST(floor(random() * 366) AS INTEGER)) AS DATE) AS handelsdato,
               CAST(DATE '2000-01-01' + to_days(CAST(floor(random() * 8000) AS INTEGER)) AS DATE) AS foerste_registrering,
               [1, 2, 3, 6, 9][1 + CAST(floor(random() * 5) AS INTEGER)] AS ejerbrugerkode, 7500100 AS r75_indeks
        FROM p WHERE random() < 0.3""")
    w("virksomheder", """
        SELECT lpad(CAST(20000000 + i AS VARCHAR), 8, '0') AS cvr, cpr,
               CAST(DATE '2020-01-01' + to_days(CAST(floor(random() * 1600) AS INTEGER)) AS DATE) AS stiftelsesdato
        FROM p WHERE random() < 0.05""")
    w("moms", """
        SELECT cpr, lpad(CAST(30000000 + i AS VARCHAR), 8, '0') AS cvr, 2024 AS aar, 4200500 + q AS r75_indeks,
               CAST(round(random() * 5000 - 1000, 2) AS DECIMAL(18, 2)) AS beloeb,
               CAST(DATE '2024-01-01' + to_months(CAST(3 * q - 2 AS INTEGER)) AS DATE) AS indberetningsdato
        FROM p, range(1, 3) t(q) WHERE hash(cpr) % 50 = 0""")
    w("feriekonto", """
        SELECT cpr, CAST(DATE '2023-06-01' + to_days(CAST(floor(random() * 366) AS INTEGER)) AS DATE) AS anmodningsdato,
               DATE '2024-07-01' AS foerste_feriedag, CAST(round(random() * 5000, 2) AS DECIMAL(18, 2)) AS beloeb,
               DATE '2024-06-25' AS forventet_udbetaling
        FROM p WHERE random() < 0.1""")
    w("borgerstatus", """SELECT cpr, 'udrejst' AS status, DATE '2024-04-01' AS dato FROM p WHERE random() < 0.003""")
    w("bidragssager", """
        SELECT cpr, 'bidragsbetaler' AS rolle, '32.16.04' AS kle, DATE '2024-03-01' AS oprettet
        FROM p WHERE random() < 0.01""")
    for t in ("eindkomst", "udbetalinger", "ydelsessager"):
        n = con.execute(f"SELECT count(*) FROM '{ud / (t + '.parquet')}'").fetchone()[0]
        print(f"{t}: {n:,} rækker".replace(",", "."))


def _koer_en(data: str, dato: str, kommune: int | None, hukommelse: str | None = None) -> dict:
    """Child process: the whole run, loading included. Prints one JSON line. ``hukommelse``: a
    DuckDB memory_limit (e.g. '4GB'); the engine then spills to a temporary folder beside the data."""
    t0 = time.perf_counter()
    import duckdb
    from kontrol_lib.registre import indlaes
    from kontrol_lib.regler import samkoer
    t_import = time.perf_counter() - t0
    t1, c1 = time.perf_counter(), time.process_time()
    con = None
    if hukommelse:
        con = duckdb.connect(config={"memory_limit": hukommelse,
                                     "temp_directory": str(Path(data).resolve().parent / "duckdb_spill")})
    reg = indlaes(data, con=con)
    traade = int(reg.con.execute("SELECT current_setting('threads')").fetchone()[0])
    t_indlaes, c_indlaes = time.perf_counter() - t1, time.process_time() - c1
    c2 = time.process_time()
    df = samkoer(reg, dt.date.fromisoformat(dato), kommune)
    c_samkoer = time.process_time() - c2
    total = time.perf_counter() - t0
    ru = resource.getrusage(resource.RUSAGE_SELF)
    rss = ru.ru_maxrss / 1024
    return {"i_alt_s": total, "cpu_s": ru.ru_utime + ru.ru_stime, "import_s": t_import, "indlaes_og_valider_s": t_indlaes,
            "indlaes_og_valider_cpu_s": c_indlaes, "samkoering_s": df.attrs["tider"]["i_alt"], "samkoering_cpu_s": c_samkoer, "udfald": len(df),
            "ym": int(df["ym_cpr"].nunique()), "trin": df.attrs["tider"], "peak_rss_mb": rss, "traade": traade}


# The "two latest salary payments" core of ny_arbejdsgiver, three ways, on the raw Parquet file:
# how many people have a latest (CVR, date) group whose previous one is another CVR, > 60 days
# earlier, or missing. All three must give the same number.
SAMMENLIGN = {
    "duckdb_aggregat": """
        WITH l AS (SELECT cpr, indberetter_cvr AS cvr, udbetalingsdato AS dato FROM read_parquet('{f}')
                   WHERE indkomsttype IN (0, 4) AND udbetalingsdato <= DATE '2024-05-31'),
        s AS (SELECT cpr, max(dato) AS dato, arg_max(cvr, (dato, cvr)) AS cvr FROM l GROUP BY cpr),
        f AS (SELECT l.cpr, max(l.dato) AS dato, arg_max(l.cvr, (l.dato, l.cvr)) AS cvr FROM l JOIN s USING (cpr)
              WHERE l.dato < s.dato OR (l.dato = s.dato AND l.cvr < s.cvr) GROUP BY l.cpr)
        SELECT count(*) FROM s LEFT JOIN f USING (cpr)
        WHERE f.cpr IS NULL OR f.cvr <> s.cvr OR s.dato - f.dato > 60""",
    "duckdb_vindue": """
        WITH l AS (SELECT cpr, indberetter_cvr AS cvr, udbetalingsdato AS dato FROM read_parquet('{f}')
                   WHERE indkomsttype IN (0, 4) AND udbetalingsdato <= DATE '2024-05-31'
                   GROUP BY ALL),
        t AS (SELECT *, row_number() OVER (PARTITION BY cpr ORDER BY dato DESC, cvr DESC) AS nr FROM l QUALIFY nr <= 2),
        s AS (SELECT * FROM t WHERE nr = 1), f AS (SELECT * FROM t WHERE nr = 2)
        SELECT count(*) FROM s LEFT JOIN f USING (cpr)
        WHERE f.cpr IS NULL OR f.cvr <> s.cvr OR s.dato - f.dato > 60""",
}


def _sammenlign_en(navn: str, fil: str) -> dict:
    t0 = time.perf_counter()
    if navn == "pandas":
        import pandas as pd
        df = pd.read_parquet(fil, columns=["cpr", "indberetter_cvr", "indkomsttype", "udbetalingsdato"])
        df = df[df["indkomsttype"].isin([0, 4]) & (df["udbetalingsdato"] <= dt.date(2024, 5, 31))]
        df = df[["cpr", "indberetter_cvr", "udbetalingsdato"]].drop_duplicates()
        df = df.sort_values(["cpr", "udbetalingsdato", "indberetter_cvr"], ascending=[True, False, False])
        to = df.groupby("cpr", sort=False).head(2)
        s = to.groupby("cpr", sort=False).nth(0).set_index("cpr")
        f = to.groupby("cpr", sort=False).nth(1).set_index("cpr").reindex(s.index)
        gap = (pd.to_datetime(s["udbetalingsdato"]) - pd.to_datetime(f["udbetalingsdato"])).dt.days
        n = int((f["indberetter_cvr"].isna() | (f["indberetter_cvr"] != s["indberetter_cvr"]) | (gap > 60)).sum())
    else:
        import duckdb
        n = duckdb.connect().execute(SAMMENLIGN[navn].format(f=fil)).fetchone()[0]
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"variant": navn, "s": time.perf_counter() - t0, "cpu_s": ru.ru_utime + ru.ru_stime, "antal": n,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def maal(data: str, dato: str, kommune: int | None, gentag: int, ny: bool = False,
         hukommelse: str | None = None) -> list[dict]:
    out = []
    cmd = [sys.executable, __file__, "_barn", "--data", data, "--dato", dato]
    if kommune is not None:
        cmd += ["--kommune", str(kommune)]
    if hukommelse:
        cmd += ["--hukommelse", hukommelse]
    stempel = Path(data) / ".kontrol-valideret.json"
    if not ny and not stempel.exists():
        # "unchanged extract" needs the stamp of a passed validation: one unmeasured run makes it
        print("# ingen valideringsstempel: en første, umålt kørsel validerer mappen", flush=True)
        subprocess.run(cmd, capture_output=True, text=True, check=True)
    for _ in range(gentag):
        if ny:          # a new extract: no validation stamp, so every check runs
            stempel.unlink(missing_ok=True)
        load_foer = os.getloadavg()[0]
        t0 = time.perf_counter()
        res = subprocess.run(cmd, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - t0
        r = json.loads(res.stdout.strip().splitlines()[-1])
        r["wall_s_inkl_python_start"] = wall
        r["load_average"] = [round(x, 1) for x in os.getloadavg()]
        r["load_1min_foer_efter"] = [round(load_foer, 1), round(os.getloadavg()[0], 1)]
        out.append(r)
        print(json.dumps(r, ensure_ascii=False), flush=True)
    print(tabelraekke(out, "ny" if ny else "uændret"))
    return out


def tabelraekke(out: list[dict], slags: str) -> str:
    """The best run (by wall time from process start) as the row of the table in
    docs/performance.md, with the load average (1 min, before and after the run) beside it."""
    r = min(out, key=lambda x: x["wall_s_inkl_python_start"])
    t = r["trin"]
    foer, efter = r["load_1min_foer_efter"]
    return ("# bedste af {n}: | {slags} | {foer:.1f}–{efter:.1f} | {wall:.2f} s | {cpu:.1f} | "
            "{vw:.2f} / {vc:.2f} | {sw:.2f} / {sc:.2f} | {b:.2f} / {a:.2f} | {rss:,.0f} MB | {u:,} | "
            "(import {imp:.2f} s; DuckDB-tråde {tr})").format(
        n=len(out), slags=slags, foer=foer, efter=efter, wall=r["wall_s_inkl_python_start"], cpu=r["cpu_s"],
        vw=r["indlaes_og_valider_s"], vc=r["indlaes_og_valider_cpu_s"], sw=r["samkoering_s"], sc=r["samkoering_cpu_s"],
        b=t.get("bestand", 0.0), a=t.get("afgraensning", 0.0), rss=r["peak_rss_mb"], u=r["udfald"],
        imp=r["import_s"], tr=r.get("traade", "?"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("volumen")
    v.add_argument("--ud", type=Path, required=True)
    v.add_argument("--ym", type=int, default=150_000)
    v.add_argument("--linjer", type=int, default=15_000_000)
    for name in ("maal", "_barn"):
        m = sub.add_parser(name)
        m.add_argument("--data", required=True)
        m.add_argument("--dato", default="2024-05-15")
        m.add_argument("--kommune", type=int)
        m.add_argument("--gentag", type=int, default=3)
        m.add_argument("--ny", action="store_true", help="remove the validation stamp before each run")
        m.add_argument("--hukommelse", help="DuckDB memory_limit, e.g. 4GB (spills to disk beyond it)")
    c = sub.add_parser("sammenlign")
    c.add_argument("--data", required=True)
    c.add_argument("--variant")
    a = ap.parse_args(argv)
    if a.cmd == "volumen":
        volumen(a.ud, a.ym, a.linjer)
    elif a.cmd == "sammenlign":
        fil = str(Path(a.data) / "eindkomst.parquet")
        if a.variant:
            print(json.dumps(_sammenlign_en(a.variant, fil)))
        else:
            for navn in ("duckdb_aggregat", "duckdb_vindue", "pandas"):
                res = subprocess.run([sys.executable, __file__, "sammenlign", "--data", a.data, "--variant", navn],
                                     capture_output=True, text=True, check=True)
                print(res.stdout.strip())
    elif a.cmd == "_barn":
        print(json.dumps(_koer_en(a.data, a.dato, a.kommune, a.hukommelse)))
    else:
        print(f"# {platform.platform()}, {os.cpu_count()} kerner, Python {platform.python_version()}")
        maal(a.data, a.dato, a.kommune, a.gentag, a.ny, a.hukommelse)
    return 0


if __name__ == "__main__":
    sys.exit(main())
