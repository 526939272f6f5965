"""List hits as cases: kontroltrin 3, kanal ``lokal_kontrolliste``, on the bestillingsliste.

:func:`til_sager` is the boundary: hits (:data:`~.motor.HIT_KOLONNER`) → one row per finding in
the shape the case store needs (:data:`SAG_KOLONNER`). :func:`til_lager` puts them in the store
through the store's one mechanism for findings,
:func:`kontrol_lib.sager.udstilling.udstil_fund`, with the :class:`Kilde`
:data:`LOKAL_KONTROLLISTE` (one transaction; a run killed half-way leaves nothing; running the
same D twice adds nothing):

1. fredning by key: a finding whose (ym_cpr, regel, haendelse_id) is already on any case, open or
   closed, is dropped. ``regel`` is ``liste:<navn>``, ``haendelse_id`` is
   ``<adresse_id>|<fra_dato>``: the same person at the same address is not shown again;
2. fredningsperiode: a person whose kontroltrin 3 case was closed on day c with a
   fredningsperiode of N months is not exposed by a local list on a day in [c, c + N months),
   exactly as for UDK's kontroltrin 3 cases (:mod:`kontrol_lib.sager.trin3`);
3. the remaining findings of one person and one list join that person's ``udstillet`` case from
   the same list in the same municipality, or start a new case (udloebsdato = D + the dated
   parameter ``sagsstyring.udloeb_maaneder``) with the kontrolark's stamoplysninger and the list
   (name, title) in its snapshot.

The list's title is the case's rule name on the bestillingsliste, its kontroltype the filter,
and each finding's reason and evidence are the kontrolark's "nærmere oplysninger".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.sager.lager import SagsLager
from kontrol_lib.sager.udstilling import Kilde
from kontrol_lib.regler.lokale.listemotor import HIT_KOLONNER
from kontrol_lib.sager.stamdata import stamoplysninger
from kontrol_lib.regler.lokale.listemotor import koer_lister, registre

KANAL = "lokal_kontrolliste"
KONTROLTRIN = 3
REGEL_PRAEFIKS = "liste:"
SAG_KOLONNER = ["ym_cpr", "kommunekode", "kanal", "kontroltrin", "myndighed", "paragraf11", "ydelse", "kle",
                "ydelsesomraade", "liste", "regel", "regel_titel", "kontroltype", "haendelse_id", "haendelsesdato",
                "oplysninger"]


def til_sager(hits: pd.DataFrame) -> pd.DataFrame:
    """Hits of :func:`~.motor.koer_lister` as case rows (one per finding), columns
    :data:`SAG_KOLONNER`. ``oplysninger`` = the evidence, then the list's reason."""
    mangler = [c for c in HIT_KOLONNER if c not in hits.columns]
    if mangler:
        raise KontrolFejl(f"Fundtabellen mangler kolonnen {', '.join(mangler)}")
    rows = []
    for h in hits.itertuples(index=False):
        rows.append({
            "ym_cpr": str(h.cpr), "kommunekode": int(h.kommunekode), "kanal": KANAL, "kontroltrin": KONTROLTRIN,
            "myndighed": h.myndighed, "paragraf11": h.paragraf11, "ydelse": h.ydelse,
            "kle": None if pd.isna(h.kle) else h.kle,
            "ydelsesomraade": None if pd.isna(h.ydelsesomraade) else h.ydelsesomraade,
            "liste": h.liste, "regel": REGEL_PRAEFIKS + h.liste, "regel_titel": h.liste_titel,
            "kontroltype": h.kontroltype, "haendelse_id": h.haendelse_id, "haendelsesdato": h.haendelsesdato,
            "oplysninger": f"{h.oplysninger}. {h.begrundelse}"})
    # object columns keep None as None (pandas would turn it into NaN in a string column)
    df = pd.DataFrame({c: pd.Series([r[c] for r in rows], dtype=object) for c in SAG_KOLONNER}, columns=SAG_KOLONNER)
    df["kommunekode"] = df["kommunekode"].astype("int64")
    df["kontroltrin"] = df["kontroltrin"].astype("int64")
    return df


@dataclass
class ListeKoersel:
    """What putting list hits into the store did (no cpr numbers)."""
    dato: dt.date
    fund_i_alt: int = 0
    fredede_fund: int = 0
    fredningsperiode: int = 0
    nye_fund: int = 0
    nye_sager: list[str] = field(default_factory=list)
    udvidede_sager: list[str] = field(default_factory=list)
    pr_liste: dict[str, int] = field(default_factory=dict)      # new findings per list

    def tekst(self) -> str:
        linjer = [
            f"Lokale kontrollister {self.dato.isoformat()}:",
            f"  fund på listerne:                        {self.fund_i_alt}",
            f"  heraf fredede (allerede på en sag):      {self.fredede_fund}",
            f"  heraf i en fredningsperiode:             {self.fredningsperiode}",
            f"  nye fund:                                {self.nye_fund}",
            f"  nye sager på bestillingslisten:          {len(self.nye_sager)}",
            f"  udstillede sager med nye fund:           {len(self.udvidede_sager)}",
        ]
        for navn, n in sorted(self.pr_liste.items()):
            linjer.append(f"    {navn}: {n} nye fund")
        if not (self.nye_sager or self.udvidede_sager):
            linjer.append("  Intet ændret i sagslageret.")
        return "\n".join(linjer)


def _liste_attributter(foerste: pd.Series) -> dict:
    """A new list case takes the list's myndighed, paragraf11 and the hit's ydelse, kle, ydelsesomraade."""
    return {k: foerste[k] for k in ("myndighed", "paragraf11", "ydelse", "kle", "ydelsesomraade")}


def _liste_data(grp: pd.DataFrame) -> dict:
    return {"kilde": KANAL, "liste": grp.iloc[0]["liste"]}


def _liste_stamdata(snap: dict, foerste: pd.Series) -> dict:
    return {**snap, "liste": {"navn": foerste["liste"], "titel": foerste["regel_titel"]}}


# one case per person, municipality and list, joining that person's udstillet case from the same list
LOKAL_KONTROLLISTE = Kilde(kanal=KANAL, kontroltrin=KONTROLTRIN, gruppering=("ym_cpr", "kommunekode", "regel"),
                           orden=("haendelse_id",), tilslutning=("ym_cpr", "kommunekode", "regel"),
                           sagsattributter=_liste_attributter, fredningsperiode=True, overgangsdata=_liste_data,
                           stamdata=_liste_stamdata, fund_ord="fund")


def til_lager(lager: SagsLager, hits: pd.DataFrame, dato: dt.date, bruger: str | None = None,
              stamdata: dict[str, dict] | None = None) -> ListeKoersel:
    """Put list hits (or the rows of :func:`til_sager`) on the bestillingsliste as kontroltrin 3
    cases (see module doc). ``stamdata``: ym_cpr → the kontrolark's snapshot for new cases."""
    sager = hits if "ym_cpr" in hits.columns else til_sager(hits)
    mangler = [c for c in SAG_KOLONNER if c not in sager.columns]
    if mangler:
        raise KontrolFejl(f"Sagstabellen mangler kolonnen {', '.join(mangler)}")
    fund = sager.assign(person_cpr=sager["ym_cpr"], rolle="YM")
    ud = lager.udstil_fund(fund, dato, bruger, LOKAL_KONTROLLISTE, stamdata)
    res = ListeKoersel(dato=dato, fund_i_alt=ud.fund, fredede_fund=ud.fredede, fredningsperiode=ud.i_fredningsperiode,
                       nye_fund=ud.antal_nye, nye_sager=ud.nye_sager, udvidede_sager=ud.udvidede_sager)
    for navn in ud.nye["liste"]:
        res.pr_liste[navn] = res.pr_liste.get(navn, 0) + 1
    return res


def koer(data, dato: dt.date, lager: SagsLager | None = None, lister=None, kommune: int | None = None,
         bruger: str | None = None) -> ListeKoersel:
    """Run the lists in force on ``dato`` on a data folder and put the hits on the
    bestillingsliste (with the kontrolark's stamoplysninger)."""
    reg = registre(data)
    hits = koer_lister(reg, dato, lister, kommune)
    lager = lager or SagsLager()
    snap = stamoplysninger(reg, sorted(set(hits["cpr"])), dato) if not hits.empty else {}
    return til_lager(lager, hits, dato, bruger=bruger, stamdata=snap)
