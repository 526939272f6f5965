"""Synthetic register extracts with planted events (``kontrol synth``).

``generer(kommune, dato, ud, skala, seed, fmt)`` writes every table of the register contract
(plus ``kommuner``) for one municipality or, with ``kommune=None``, for all 98 into ONE folder,
and beside it ``planlagte_haendelser.csv``: exactly the udfald rows the samkøring must produce
for run date ``dato`` over the whole folder, and ``planlagte_ikke_udfald.csv``: the boundary
cases planted to give NO udfald. See ``docs/synth.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from kontrol_lib.parametre import hent
from kontrol_lib.vokabular.steder import shipped_kommuner
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.jobs.syntetisk.adressetekster import adressetekster
from kontrol_lib.jobs.syntetisk import baggrund, scenarier
from kontrol_lib.jobs.syntetisk import kataloger as K
from kontrol_lib.jobs.syntetisk.model import INGEN, Perioder, dag, som_dato
from kontrol_lib.jobs.syntetisk.numre import cpr_numre
from kontrol_lib.jobs.syntetisk.skriv import skriv_tabeller
from kontrol_lib.jobs.syntetisk.verden import YM, Verden
from tqdm import tqdm

NATIONALT_ANTAL_YM = 150_000      # ydelsesmodtagere in the bestand nationally at skala 1
ANDEL_ANDRE = 0.35                # case holders outside the bestand, per YM
STOR = 20_000                     # show a progress bar from this many YM

__all__ = ["generer", "befolkning", "Resultat", "NATIONALT_ANTAL_YM"]


@dataclass(frozen=True)
class Resultat:
    mappe: Path
    antal_ym: int
    antal_udfald: int
    antal_ikke_udfald: int
    raekker: dict[str, int]


def befolkning() -> pd.DataFrame:
    """Approximate inhabitants and a relative benefit level per municipality (shipped data,
    approximate; see kontrol_lib/vokabular/data/befolkning.csv)."""
    with resources.files("kontrol_lib.vokabular.data").joinpath("befolkning.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f)


def _antal(kommuner: list[int], skala: float, national: bool) -> pd.DataFrame:
    b = befolkning()
    w = b["indbyggere_ca"] * b["ydelsesniveau_ca"]
    b = b.assign(forventet=NATIONALT_ANTAL_YM * w / w.sum())
    b = b[b["kommunekode"].isin(kommuner)].sort_values("kommunekode")
    mindst = 3 if national else 1
    n_ym = np.maximum(mindst, np.round(b["forventet"].to_numpy() * skala)).astype(np.int64)
    return pd.DataFrame({"kommunekode": b["kommunekode"].to_numpy(), "n_ym": n_ym,
                         "n_andre": np.round(n_ym * ANDEL_ANDRE).astype(np.int64)})


def _aktivering(rng, kommune: int | None, per: Perioder, fast: dt.date | None = None) -> dict[int, int]:
    """paragraf10_aktiveringsdato: nationally most municipalities activated long ago, some have
    no date, and about one in ten activated inside the kontrolperiode (cutting the vindue).
    For one municipality: an old date, so the whole kontrolperiode is checked. "Long ago" is
    never later than the day before the kontrolperiode."""
    koder = [int(x) for x in shipped_kommuner()["kommunekode"]]
    if kommune is not None:
        return {kommune: dag(fast) if fast is not None else min(dag("2018-10-01"), per.kp_start - 1)}
    u = rng.random(len(koder))
    old = np.minimum(dag("2018-05-08") + rng.integers(0, 1500, len(koder)), per.kp_start - 1)
    late = per.kp_start + rng.integers(7, 41, len(koder))
    out = {}
    for k, x, o, l in zip(koder, u, old, late):   # 98 municipalities
        if x < 0.1:
            out[k] = int(l)
        elif x < 0.8:
            out[k] = int(o)
    return out


def generer(kommune: int | None, dato: dt.date, ud: str | Path, skala: float = 1.0, seed: int = 1,
            fmt: str = "csv", vis_fremdrift: bool | None = None,
            aktiveringsdato: dt.date | None = None) -> Resultat:
    """Write a synthetic data folder (see the module docstring). ``kommune=None`` = national.
    ``aktiveringsdato`` sets the municipality's paragraf10_aktiveringsdato (one municipality only;
    a date inside the kontrolperiode cuts every vindue)."""
    if fmt not in ("csv", "parquet"):
        raise KontrolFejl(f"Ukendt format '{fmt}' (brug csv eller parquet)")
    if not skala > 0:
        raise KontrolFejl(f"--skala skal være større end 0 (fik {skala})")
    koder = [int(x) for x in shipped_kommuner()["kommunekode"]]
    if kommune is not None and int(kommune) not in koder:
        raise KontrolFejl(f"Ukendt kommunekode: {kommune}")
    if not (dt.date(1990, 1, 1) <= dato <= dt.date(2050, 12, 31)):
        raise KontrolFejl(f"Kørselsdatoen {dato.isoformat()} ligger uden for 1990-2050")
    national = kommune is None
    if aktiveringsdato is not None and national:
        raise KontrolFejl("--aktiveringsdato kan kun bruges sammen med --kommune")
    if aktiveringsdato is not None and aktiveringsdato > dato:
        raise KontrolFejl(f"Aktiveringsdatoen {aktiveringsdato.isoformat()} ligger efter kørselsdatoen")
    ud = Path(ud)
    rng = np.random.default_rng(seed)
    per = Perioder.for_dato(dato)
    antal = _antal(koder if national else [int(kommune)], skala, national)
    akt = _aktivering(rng, None if national else int(kommune), per, aktiveringsdato)
    stor = int(antal["n_ym"].sum()) >= STOR if vis_fremdrift is None else vis_fremdrift
    trin = ["befolkning", "sager", "baggrund", "hændelser", "CPR-numre", "kontrol", "skriver"]
    bar = None
    if stor:
        bar = tqdm(total=len(trin), desc="kontrol synth", unit="trin")

    def frem(navn):
        if bar is not None:
            bar.set_postfix_str(navn)
            bar.update(1)

    v = Verden(rng, per, antal, akt, national)
    v.byg_befolkning()
    frem(trin[0])
    v.byg_sager()
    frem(trin[1])
    tildeling = scenarier.tildel(v)
    ingen_loen, ingen_b = scenarier.ryd(v, tildeling)
    baggrund.byg(v, ingen_loen, ingen_b)
    frem(trin[2])
    scenarier.plant(v, tildeling)
    v.skriv_sager()
    frem(trin[3])
    foedsel = v.folk.foedsel()
    cpr = cpr_numre(rng, foedsel, v.folk.mand())
    v.T.tilfoej("personer", cpr=np.arange(v.folk.n), foedselsdato=foedsel, doedsdato=v.folk.doedsdatoer())
    a = v.adr
    v.T.tilfoej("adresser", cpr=a["pid"].to_numpy(), adresse_id=a["adr"].to_numpy(),
                kommunekode=a["kommune"].to_numpy(), fra_dato=a["fra"].to_numpy(), til_dato=a["til"].to_numpy())
    v.T.tilfoej("adressetekster", **adressetekster(a["adr"].to_numpy(), a["kommune"].to_numpy()))
    frem(trin[4])
    ym_designet = np.sort(v.h_pid[v.h_kind == YM])
    forventet, ikke = _forventet(v, ym_designet)
    frem(trin[5])
    ud.mkdir(parents=True, exist_ok=True)
    kom = pd.DataFrame({"kommunekode": koder})
    kom["paragraf10_aktiveringsdato"] = [akt.get(k, INGEN) for k in koder]
    kom["cvr"] = v.payer_cvr[v.kommune_payer_for(kom["kommunekode"].to_numpy())]
    v.T.tilfoej("kommuner", kommunekode=kom["kommunekode"].to_numpy(),
                paragraf10_aktiveringsdato=kom["paragraf10_aktiveringsdato"].to_numpy(), cvr=kom["cvr"].to_numpy())
    raekker = skriv_tabeller(v, cpr, ud, fmt)
    _skriv_plan(forventet, cpr, ud / "planlagte_haendelser.csv", med_sag=True)
    _skriv_plan(ikke, cpr, ud / "planlagte_ikke_udfald.csv", med_sag=False)
    frem(trin[6])
    if bar is not None:
        bar.close()
    return Resultat(ud, len(ym_designet), len(forventet), len(ikke), raekker)


def kvalificerende_sager(v: Verden) -> pd.DataFrame:
    """The qualifying cases of regler.md, computed from the written tables (not from the design):
    bestand KLE, active on D, a positive payment on that KLE in the seneste hele måned."""
    per = v.per
    s = v.T.samlet("ydelsessager", ["cpr", "kommunekode", "kle", "oprettet", "ophoert"])
    sager = pd.DataFrame(s)
    u = pd.DataFrame(v.T.samlet("udbetalinger", ["cpr", "kle", "udbetalingsdato", "beloeb"]))
    betalt = u[(u["beloeb"] > 0) & (u["udbetalingsdato"] >= per.lm_start) & (u["udbetalingsdato"] <= per.lm_end)]
    betalt = betalt[["cpr", "kle"]].drop_duplicates()
    aktiv = sager[sager["kle"].isin(hent("regler.bestand_kle", som_dato(per.D))) & (sager["oprettet"] <= per.D)
                  & ((sager["ophoert"] == INGEN) | (sager["ophoert"] >= per.D))]
    q = aktiv.merge(betalt, on=["cpr", "kle"])
    akt = v.aktivering_for(q["kommunekode"].to_numpy())
    return q.assign(S=np.maximum.reduce([np.full(len(q), per.kp_start), q["oprettet"].to_numpy(), akt]))


def _forventet(v: Verden, ym_designet: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Attach the hit's KLE and kommunekode (regler.md: the applicable case with the lowest
    KLE whose vindue holds the date, then the latest oprettet) and check the design."""
    q = kvalificerende_sager(v)
    ym_fundet = np.sort(q["cpr"].unique())
    if not np.array_equal(ym_fundet, ym_designet):
        raise RuntimeError("generatorfejl: bestanden svarer ikke til de planlagte ydelsesmodtagere")
    cols = ["ym", "person", "rolle", "regel", "dato", "beskrivelse"]
    f = pd.concat(v.forventet, ignore_index=True) if v.forventet else pd.DataFrame(columns=cols)
    ikke = pd.concat(v.ikke, ignore_index=True) if v.ikke else pd.DataFrame(columns=cols)
    f = f.reset_index(names="nr")
    m = f.merge(q.rename(columns={"cpr": "ym"}), on="ym")
    ok = np.zeros(len(m), dtype=bool)
    for regel, (ym_set, aef_set) in K.regel_kle(som_dato(v.per.D)).items():     # 17 rules, KLE sets on D
        for rolle, kset in (("YM", ym_set), ("ÆF", aef_set)):
            sel = (m["regel"] == regel) & (m["rolle"] == rolle) & m["kle"].isin(kset)
            ok |= sel.to_numpy()
    ok &= (m["S"] <= m["dato"]).to_numpy() & (m["dato"] <= v.per.E)
    m = m[ok].sort_values(["nr", "kle", "oprettet"], ascending=[True, True, False]).drop_duplicates("nr")
    mangler = sorted(set(f["nr"]) - set(m["nr"]))
    if mangler:
        bad = f[f["nr"].isin(mangler)]
        raise RuntimeError("generatorfejl: planlagte udfald uden gældende sag: "
                           + "; ".join(sorted(set(bad["regel"] + " / " + bad["beskrivelse"]))))
    m = m.sort_values("nr")
    return (m[["ym", "person", "rolle", "regel", "dato", "kle", "kommunekode", "beskrivelse"]], ikke)


def _skriv_plan(df: pd.DataFrame, cpr: np.ndarray, sti: Path, med_sag: bool) -> None:
    out = pd.DataFrame({
        "ym_cpr": cpr[df["ym"].to_numpy(dtype=np.int64)].astype(str),
        "person_cpr": cpr[df["person"].to_numpy(dtype=np.int64)].astype(str),
        "rolle": df["rolle"].to_numpy(), "regel": df["regel"].to_numpy(),
        "haendelsesdato": (np.datetime64("1970-01-01", "D")
                           + df["dato"].to_numpy(dtype=np.int64).astype("timedelta64[D]")).astype(str),
    })
    if med_sag:
        out["kle"] = df["kle"].to_numpy()
        out["kommunekode"] = df["kommunekode"].to_numpy(dtype=np.int64)
    out["beskrivelse"] = df["beskrivelse"].to_numpy()
    out = out.sort_values(["ym_cpr", "regel", "haendelsesdato", "person_cpr", "beskrivelse"], kind="stable")
    if out.duplicated(["ym_cpr", "person_cpr", "rolle", "regel", "haendelsesdato"]).any() and med_sag:
        raise RuntimeError("generatorfejl: to ens planlagte udfald")
    out.to_csv(sti, sep=";", index=False, encoding="utf-8", lineterminator="\n")
