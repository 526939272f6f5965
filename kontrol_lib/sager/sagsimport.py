"""Kontrolsager in the import format of ``spec/provenu.md`` (``kontrolsager.csv``): import into
the store and export of every case (workflow and imported), one row per (sag × ydelse).

- :func:`importer`: one transaction (nothing half-imported). A new sag_id lands as transitions
  (``import``) into its entry state and, if closed, on to its resultat. Re-importing an identical
  case changes nothing. A known sag_id with other amounts records a ``korrektion`` transition
  with the new amounts (nothing is rewritten). A changed kommunekode, kanal, kontroltrin, oprettet,
  afsluttet or resultat of a closed case is an error naming the row.
- :func:`kontrolsager`: every case with the amounts as FIRST closed.
- :func:`korrektioner`: each later correction as the delta of every amount column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt
from collections import defaultdict

import pandas as pd
from sqlalchemy import select

from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.sager import pg_adgang
from kontrol_lib.sager import schema as S
from kontrol_lib.sager.grundlag import ramme
from kontrol_lib.sager.roller import Aktoer, tjek_aktoer
from kontrol_lib.vokabular.koder import BESTILT, LUKKEDE, PARTSHOERING, RYTMER, UDSTILLET
from kontrol_lib.vokabular.penge import fra_oere, til_oere

# One vocabulary for the import format: the provenu module's declaration of kontrolsager.csv.
from kontrol_lib.sager.kontrolsagsfil import KANALER, MYNDIGHEDER, RESULTATER, YDELSER  # noqa: E402
from kontrol_lib.sager.grundlag import LAAS_KOERSEL
from kontrol_lib.sager.grundlag import Beloeb, beloeb_raekker as rows_of

if TYPE_CHECKING:                                     # the store hands itself in; no import cycle
    from kontrol_lib.sager.lager import SagsLager

# the state a case is in just before it gets this resultat
FORGAENGER = {"henlagt_i_visitering": BESTILT, "udloebet": UDSTILLET,
              "henlagt_efter_partshoering": PARTSHOERING, "aendret_tildeling": PARTSHOERING}

KOLONNER = ["sag_id", "kommunekode", "kanal", "kontroltrin", "ydelse", "myndighed", "paragraf11", "oprettet",
            "afsluttet", "resultat", "besparelse_rytme", "besparelse_beloeb", "tilbagebetalingskrav",
            "efterregulering", "skat", "politianmeldt", "videresendt_til"]
VALGFRI = ["sagstype", "selvstaendig_erhvervsdrivende", "virksomhedskontrol"]
"""The import format's optional KL columns (:mod:`.kontrolsagsfil`), kept on the case (revision 0006)."""
KRAEVET = ["sag_id", "kommunekode", "kanal", "kontroltrin", "ydelse", "myndighed", "paragraf11", "oprettet"]
BELOEB = [("besparelse_beloeb", "besparelse_oere"), ("tilbagebetalingskrav", "tilbagebetalingskrav_oere"),
          ("efterregulering", "efterregulering_oere"), ("skat", "skat_oere")]
KORREKTION_KOLONNER = ["sag_id", "ydelse", "registreret", "besparelse_rytme", "besparelse_beloeb",
                       "tilbagebetalingskrav", "efterregulering", "skat", "besparelse_rytme_foer",
                       "besparelse_beloeb_foer"]


def _tom(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and pd.isna(v)) or \
        (isinstance(v, str) and v.strip() == "")


def _v(v):
    return None if _tom(v) else v


def _dato(v):
    if _tom(v):
        return None
    if isinstance(v, pd.Timestamp) or isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


# --------------------------------------------------------------------------- import
def _laes(df: pd.DataFrame) -> tuple[dict[str, list[dict]], list[str]]:
    """Validate every row; returns the rows per sag_id and every error (Danish, with row)."""
    fejl = []
    mangler = [c for c in KRAEVET if c not in df.columns]
    if mangler:
        raise KontrolFejl(f"kontrolsager: kolonnen {', '.join(mangler)} mangler")
    sager: dict[str, list[dict]] = defaultdict(list)
    for i, rec in enumerate(df.to_dict("records")):
        nr = i + 2                                     # as in the file: header is row 1
        bad = lambda kol, val, why: fejl.append(  # noqa: E731
            f"kontrolsager: række {nr}, kolonne {kol}, værdi '{'' if _tom(val) else val}': {why}")
        r = {c: _v(rec.get(c)) for c in (*KOLONNER, *VALGFRI)}
        for c in KRAEVET:
            if r[c] is None:
                bad(c, None, "mangler værdi")
        for kol, dom in (("kanal", KANALER), ("ydelse", YDELSER), ("myndighed", MYNDIGHEDER),
                         ("paragraf11", ("ja", "nej")), ("resultat", RESULTATER),
                         ("selvstaendig_erhvervsdrivende", ("ja", "nej")), ("virksomhedskontrol", ("ja", "nej")),
                         ("besparelse_rytme", tuple(RYTMER)), ("politianmeldt", ("ja", "nej"))):
            if r[kol] is not None and str(r[kol]) not in dom:
                bad(kol, r[kol], f"ukendt værdi (tilladt: {', '.join(dom)})")
        try:
            if r["kontroltrin"] is not None and int(r["kontroltrin"]) not in (1, 2, 3):
                bad("kontroltrin", r["kontroltrin"], "skal være 1, 2 eller 3")
            if r["kommunekode"] is not None:
                r["kommunekode"] = int(r["kommunekode"])
        except (TypeError, ValueError):
            bad("kontroltrin/kommunekode", r["kontroltrin"], "ikke et heltal")
        for kol in ("oprettet", "afsluttet"):
            try:
                r[kol] = _dato(r[kol])
            except ValueError:
                bad(kol, r[kol], "ikke en dato")
                r[kol] = None
        if (r["afsluttet"] is None) != (r["resultat"] is None):
            bad("resultat", r["resultat"], "afsluttet og resultat skal udfyldes sammen")
        if r["afsluttet"] and r["oprettet"] and r["afsluttet"] < r["oprettet"]:
            bad("afsluttet", r["afsluttet"], "ligger før oprettet")
        if (r["besparelse_rytme"] is None) != (r["besparelse_beloeb"] is None):
            bad("besparelse_rytme", r["besparelse_rytme"], "rytme og beløb skal udfyldes sammen")
        for kol, _ in BELOEB:
            try:
                r[kol] = til_oere(r[kol], kol, ikke_negativ=kol in ("besparelse_beloeb", "tilbagebetalingskrav"))
            except KontrolFejl as e:
                bad(kol, r[kol], str(e).split(": ", 1)[-1])
        if r["sagstype"] is not None and len(str(r["sagstype"])) > 60:
            bad("sagstype", r["sagstype"], "højst 60 tegn")
        r["_raekke"] = nr
        sager[str(r["sag_id"])].append(r)
    for sag_id, rows in sager.items():
        for kol in ("kommunekode", "kanal", "kontroltrin", "oprettet", "afsluttet", "resultat", *VALGFRI):
            vals = {str(x[kol]) for x in rows}
            if len(vals) > 1:
                fejl.append(f"kontrolsager: sag {sag_id}, rækkerne {', '.join(str(x['_raekke']) for x in rows)}: "
                            f"kolonnen {kol} skal være ens for alle sagens rækker")
        ydelser = [x["ydelse"] for x in rows]
        for y in sorted({y for y in ydelser if ydelser.count(y) > 1 and y is not None}):
            fejl.append(f"kontrolsager: sag {sag_id}: ydelsen {y} står i flere rækker")
    return sager, fejl


def _saet(rows: list[dict], sag) -> dict[str, tuple]:
    """The comparable content of a case's ydelse rows (myndighed/paragraf11 default to the
    case's own)."""
    return {r["ydelse"]: (r.get("myndighed") or sag["myndighed"], r.get("paragraf11") or sag["paragraf11"],
                          r.get("besparelse_rytme"),
                          r.get("besparelse_oere", r.get("besparelse_beloeb")),
                          r.get("tilbagebetalingskrav_oere", r.get("tilbagebetalingskrav")),
                          r.get("efterregulering_oere", r.get("efterregulering")),
                          r.get("skat_oere", r.get("skat")), r.get("politianmeldt"), r.get("videresendt_til"))
            for r in rows}


def beloeb_raekker(rows: list[dict]) -> list[dict]:
    return [{"ydelse": r["ydelse"], "myndighed": r["myndighed"], "paragraf11": r["paragraf11"],
             "besparelse_rytme": r["besparelse_rytme"], "besparelse_oere": r["besparelse_beloeb"],
             "tilbagebetalingskrav_oere": r["tilbagebetalingskrav"], "efterregulering_oere": r["efterregulering"],
             "skat_oere": r["skat"], "politianmeldt": r["politianmeldt"], "videresendt_til": r["videresendt_til"]}
            for r in rows]


def _nuvaerende_beloeb(conn, sag_id: str) -> list[dict]:
    """The ydelse rows in force: those of the latest transition that registered any."""
    b, o = S.beloeb, S.overgange
    last = conn.execute(select(b.c.overgang_id).join_from(b, o, b.c.overgang_id == o.c.id)
                        .where(b.c.sag_id == sag_id).order_by(o.c.sekvens.desc()).limit(1)).scalar()
    if last is None:
        return []
    return [dict(r) for r in conn.execute(select(b).where(b.c.overgang_id == last)).mappings()]


def _tilfoej_beloeb(conn, oid: int, sag_id: str, rows: list[dict]) -> None:
    if rows:
        conn.execute(S.beloeb.insert(), [dict(r, overgang_id=oid, sag_id=sag_id) for r in rows])


def importer(lager: SagsLager, df: pd.DataFrame, aktoer: Aktoer, dato: dt.date | None = None) -> dict:
    """Import kontrolsager (see module doc). Returns counts: nye, afsluttede, korrektioner,
    uaendrede, and aabne_uden_cpr: the new cases left open, which carry no CPR number (the
    import format has no person) and so can never be matched in the duplicate check (same
    person and ydelse); a case of the file is matched only by its own sag_id (a re-import)."""
    tjek_aktoer(aktoer)
    dato = dato or dt.date.today()
    sager, fejl = _laes(df)
    if fejl:
        raise KontrolFejl(f"Importen er afvist ({len(fejl)} fejl); intet er importeret:\n" + "\n".join(fejl))
    ud = {"nye": 0, "afsluttede": 0, "korrektioner": 0, "uaendrede": 0, "aabne_uden_cpr": 0}
    with lager.skriv(LAAS_KOERSEL) as conn:
        fejl = []
        for sag_id, rows in sager.items():
            f = rows[0]
            ny = beloeb_raekker(rows)
            eksist = conn.execute(select(*pg_adgang.sagskolonner(conn))         # no CPR column (PostgreSQL)
                                  .where(S.sager.c.sag_id == sag_id)).mappings().first()
            if eksist is None:
                lager.ny_sag(conn, sag_id=sag_id, kommunekode=f["kommunekode"], kanal=f["kanal"],
                              kontroltrin=int(f["kontroltrin"]), myndighed=f["myndighed"],
                              paragraf11=f["paragraf11"], ydelse=f["ydelse"], oprettet=f["oprettet"],
                              **{k: None if f[k] is None else str(f[k]) for k in VALGFRI})
                start = FORGAENGER[f["resultat"]] if f["resultat"] else PARTSHOERING
                oid = lager.indsaet_overgang(conn, sag_id, 1, "import", None, start, aktoer, f["oprettet"],
                                              {"kilde": "import"})
                if f["resultat"] is None:
                    _tilfoej_beloeb(conn, oid, sag_id, ny)
                else:
                    oid = lager.indsaet_overgang(conn, sag_id, 2, "import", start, f["resultat"], aktoer,
                                                  f["afsluttet"], {"kilde": "import"})
                    _tilfoej_beloeb(conn, oid, sag_id, ny)
                ud["nye"] += 1
                ud["aabne_uden_cpr"] += f["resultat"] is None
                continue
            raekker = ", ".join(str(x["_raekke"]) for x in rows)
            for kol in VALGFRI:          # kept as first stored; a case stored before 0006 has none
                if eksist[kol] is not None and f[kol] is not None and str(eksist[kol]) != str(f[kol]):
                    fejl.append(f"kontrolsager: sag {sag_id} (række {raekker}): {kol} er '{f[kol]}', men sagen "
                                f"findes allerede med '{eksist[kol]}'")
            for kol in ("kommunekode", "kanal", "kontroltrin", "oprettet"):
                gammel = eksist[kol]
                if str(gammel) != str(f[kol] if kol != "kontroltrin" else int(f[kol])):
                    fejl.append(f"kontrolsager: sag {sag_id} (række {raekker}): {kol} er '{f[kol]}', men sagen "
                                f"findes allerede med '{gammel}'")
            last = lager.sidste_overgang(conn, sag_id)
            if last.til in LUKKEDE:
                foerste = _foerste_lukning(conn, sag_id)
                if f["resultat"] != last.til or f["afsluttet"] != foerste.dato:
                    fejl.append(f"kontrolsager: sag {sag_id} (række {raekker}): sagen er allerede afsluttet "
                                f"{foerste.dato.isoformat()} med resultatet {last.til}; det kan ikke ændres ved "
                                f"genimport")
                    continue
            elif f["resultat"] is not None:
                if FORGAENGER[f["resultat"]] != last.til:
                    fejl.append(f"kontrolsager: sag {sag_id} (række {raekker}): sagen har status {last.til} og "
                                f"kan ikke få resultatet {f['resultat']}")
                    continue
                oid = lager.overgang(conn, sag_id, "import", f["resultat"], aktoer, f["afsluttet"],
                                      {"kilde": "import"}, (last.til,), "afsluttes")
                _tilfoej_beloeb(conn, oid, sag_id, ny)
                ud["afsluttede"] += 1
                continue
            gammel = _nuvaerende_beloeb(conn, sag_id) or [{"ydelse": eksist["ydelse"]}]
            if _saet(gammel, eksist) == _saet(ny, eksist):
                ud["uaendrede"] += 1
                continue
            oid = lager.overgang(conn, sag_id, "korrektion", last.til, aktoer, dato, {"kilde": "import"},
                                  (last.til,), "korrigeres")
            _tilfoej_beloeb(conn, oid, sag_id, ny)
            ud["korrektioner"] += 1
        if fejl:
            raise KontrolFejl(f"Importen er afvist ({len(fejl)} fejl); intet er importeret:\n" + "\n".join(fejl))
    return ud


def _foerste_lukning(conn, sag_id: str):
    o = S.overgange
    return conn.execute(select(o.c.id, o.c.dato, o.c.til).where(o.c.sag_id == sag_id, o.c.til.in_(LUKKEDE))
                        .order_by(o.c.sekvens).limit(1)).first()


def korriger(lager: SagsLager, sag_id: str, aktoer: Aktoer, beloeb, dato: dt.date | None = None) -> None:
    """Correct the amounts of a closed case (a ``korrektion`` transition with the new amounts)."""
    liste = [beloeb] if isinstance(beloeb, Beloeb) else list(beloeb)
    with lager.skriv() as conn:
        sag = conn.execute(select(S.sager.c.ydelse).where(S.sager.c.sag_id == sag_id)).first()
        if sag is None:
            raise KontrolFejl(f"Sagen {sag_id} findes ikke i sagslageret")
        last = lager.sidste_overgang(conn, sag_id)
        rows = rows_of(liste, sag.ydelse)
        oid = lager.overgang(conn, sag_id, "korrektion", last.til, aktoer, dato or dt.date.today(),
                              {"kilde": "bruger"}, ("aendret_tildeling",), "korrigeres")
        _tilfoej_beloeb(conn, oid, sag_id, rows)


# --------------------------------------------------------------------------- export
def _alt(lager: SagsLager, kommune: int | None):
    o, b = S.overgange, S.beloeb
    with lager.laes() as conn:
        sager = lager.aktuelle(conn, None, kommune)
        ids = set(sager["sag_id"])
        trans = [dict(r) for r in conn.execute(select(o.c.id, o.c.sag_id, o.c.sekvens, o.c.dato, o.c.til,
                                                      o.c.haendelse).order_by(o.c.sag_id, o.c.sekvens)).mappings()
                 if r["sag_id"] in ids]
        bel = defaultdict(list)
        for r in conn.execute(select(b).order_by(b.c.id)).mappings():
            if r["sag_id"] in ids:
                bel[r["overgang_id"]].append(dict(r))
    pr_sag = defaultdict(list)
    for t in trans:
        pr_sag[t["sag_id"]].append(t)
    return sager, pr_sag, bel


def kontrolsager(lager: SagsLager, kommune: int | None = None) -> pd.DataFrame:
    """Every case as kontrolsager rows (amounts as first closed, Decimal kr.)."""
    sager, pr_sag, bel = _alt(lager, kommune)
    out = []
    for s in sager.sort_values(["oprettet", "sag_id"]).to_dict("records"):
        trans = pr_sag[s["sag_id"]]
        luk = next((t for t in trans if t["til"] in LUKKEDE), None)
        if luk is not None:
            rows = bel.get(luk["id"], [])
        else:
            med = [t for t in trans if t["id"] in bel]
            rows = bel[med[-1]["id"]] if med else []
        if not rows:
            rows = [{"ydelse": s["ydelse"]}]
        for r in rows:
            out.append({
                "sag_id": s["sag_id"], "kommunekode": int(s["kommunekode"]), "kanal": s["kanal"],
                "kontroltrin": int(s["kontroltrin"]), "ydelse": r["ydelse"],
                "myndighed": r.get("myndighed") or s["myndighed"], "paragraf11": r.get("paragraf11") or s["paragraf11"],
                "oprettet": s["oprettet"], "afsluttet": luk["dato"] if luk else None,
                "resultat": luk["til"] if luk else None, "besparelse_rytme": r.get("besparelse_rytme"),
                "besparelse_beloeb": fra_oere(r.get("besparelse_oere")),
                "tilbagebetalingskrav": fra_oere(r.get("tilbagebetalingskrav_oere")),
                "efterregulering": fra_oere(r.get("efterregulering_oere")), "skat": fra_oere(r.get("skat_oere")),
                "politianmeldt": r.get("politianmeldt"), "videresendt_til": r.get("videresendt_til"),
                **{k: s.get(k) for k in VALGFRI}})
    return ramme(out, [*KOLONNER, *VALGFRI])


def korrektioner(lager: SagsLager, kommune: int | None = None) -> pd.DataFrame:
    """Each correction of a closed case: sag_id, ydelse, registreret (the correction's date) and
    the DELTA of every amount column against the amounts in force before it (Decimal kr.)."""
    sager, pr_sag, bel = _alt(lager, kommune)
    out = []
    nul = lambda v: v or 0  # noqa: E731
    for sag_id in sorted(pr_sag):
        trans = pr_sag[sag_id]
        idx = next((i for i, t in enumerate(trans) if t["til"] in LUKKEDE), None)
        if idx is None:
            continue
        foer = {r["ydelse"]: r for r in bel.get(trans[idx]["id"], [])}
        for t in trans[idx + 1:]:
            if t["haendelse"] != "korrektion" and t["til"] not in LUKKEDE:
                continue             # a closing after a reopening (genaabn) is a correction too
            efter = {r["ydelse"]: r for r in bel.get(t["id"], [])}
            for y in sorted(set(foer) | set(efter)):
                a, b = foer.get(y, {}), efter.get(y, {})
                delta = {kol: fra_oere(nul(b.get(o)) - nul(a.get(o))) for kol, o in BELOEB}
                if all(v == 0 for v in delta.values()) and a.get("besparelse_rytme") == b.get("besparelse_rytme"):
                    continue
                out.append({"sag_id": sag_id, "ydelse": y, "registreret": t["dato"],
                            "besparelse_rytme": b.get("besparelse_rytme"), **delta,
                            "besparelse_rytme_foer": a.get("besparelse_rytme"),
                            "besparelse_beloeb_foer": fra_oere(a.get("besparelse_oere"))})
            foer = efter
    return ramme(out, KORREKTION_KOLONNER)
