"""List hits as cases: kontroltrin 3, kanal ``lokal_kontrolliste``, on the bestillingsliste.

:func:`til_sager` is the boundary: hits (:data:`~.motor.HIT_KOLONNER`) → one row per finding in
the shape the case store needs (:data:`SAG_KOLONNER`). :func:`til_lager` puts them in the store
in ONE transaction (a run killed half-way leaves nothing; running the same D twice adds nothing):

1. fredning by key: a finding whose (ym_cpr, regel, haendelse_id) is already on any case, open or
   closed, is dropped. ``regel`` is ``liste:<navn>``, ``haendelse_id`` is
   ``<adresse_id>|<fra_dato>``: the same person at the same address is not shown again;
2. fredningsperiode: a person whose kontroltrin 3 case was closed on day c with a
   fredningsperiode of N months is not exposed by a local list on a day in [c, c + N months),
   exactly as for UDK's kontroltrin 3 cases (:mod:`kontrol_lib.sagsstyring.trin3`);
3. the remaining findings of one person and one list join that person's ``udstillet`` case from
   the same list in the same municipality, or start a new case (udloebsdato = D + the dated
   parameter ``sagsstyring.udloeb_maaneder``) with the kontrolark's stamoplysninger.

The list's title is the case's rule name on the bestillingsliste, its kontroltype the filter,
and each finding's reason and evidence are the kontrolark's "nærmere oplysninger".

The store has no public entry for cases with their own kanal and reasons (``importer_trin3`` is
UDK's file format, kanal ``udk``); :func:`til_lager` therefore writes through the same store
helpers as :mod:`kontrol_lib.sagsstyring.trin3` and belongs in ``SagsLager`` as
``importer_lokale_fund(sager, bruger, dato)`` (see docs/lister.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import select, tuple_

from ..fejl import KontrolFejl
from ..parametre import hent
from ..sagsstyring import schema as S
from ..sagsstyring.lager import (_LAAS_KOERSEL, LUKKEDE, UDSTILLET, SagsLager, _dumps, _loads, _tjek_bruger,
                                 plus_maaneder)
from .motor import HIT_KOLONNER

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


def _fredede_personer(conn, cprs: list[str], dato: dt.date) -> set[str]:
    """Persons in a fredningsperiode on ``dato`` (a closed kontroltrin 3 case with N months)."""
    s, o = S.sager, S.overgange
    ud = set()
    for i in range(0, len(cprs), 500):
        rows = conn.execute(select(s.c.ym_cpr, o.c.dato, o.c.data).join_from(o, s, o.c.sag_id == s.c.sag_id)
                            .where(s.c.kontroltrin == 3, s.c.ym_cpr.in_(cprs[i:i + 500]),
                                   o.c.til.in_(LUKKEDE))).all()
        for cpr, fra, data in rows:
            n = _loads(data).get("fredningsperiode_maaneder")
            if n and fra <= dato < plus_maaneder(fra, int(n)):
                ud.add(cpr)
    return ud


def til_lager(lager: SagsLager, hits: pd.DataFrame, dato: dt.date, bruger: str = "lokal_kontrolliste",
              stamdata: dict[str, dict] | None = None) -> ListeKoersel:
    """Put list hits (or the rows of :func:`til_sager`) on the bestillingsliste as kontroltrin 3
    cases (see module doc). ``stamdata``: ym_cpr → the kontrolark's snapshot for new cases."""
    _tjek_bruger(bruger)
    sager = hits if "ym_cpr" in hits.columns else til_sager(hits)
    mangler = [c for c in SAG_KOLONNER if c not in sager.columns]
    if mangler:
        raise KontrolFejl(f"Sagstabellen mangler kolonnen {', '.join(mangler)}")
    sager = sager.drop_duplicates(["ym_cpr", "regel", "haendelse_id"])
    res = ListeKoersel(dato=dato, fund_i_alt=len(sager))
    stamdata = stamdata or {}
    maaneder = int(hent("sagsstyring.udloeb_maaneder", dato))
    with lager.skriv(_LAAS_KOERSEL) as conn:
        t = S.udfald
        noegler = list(sager[["ym_cpr", "regel", "haendelse_id"]].itertuples(index=False, name=None))
        kendte = set()
        for i in range(0, len(noegler), 300):
            kendte |= set(conn.execute(select(t.c.ym_cpr, t.c.regel, t.c.haendelse_id).where(
                tuple_(t.c.ym_cpr, t.c.regel, t.c.haendelse_id).in_(noegler[i:i + 300]))).all())
        ny = sager.loc[pd.Series([k not in kendte for k in noegler], index=sager.index, dtype=bool)]
        res.fredede_fund = len(sager) - len(ny)
        fredet = _fredede_personer(conn, sorted(set(ny["ym_cpr"])), dato)
        i_periode = ny["ym_cpr"].isin(fredet)
        res.fredningsperiode = int(i_periode.sum())
        ny = ny.loc[~i_periode]
        res.nye_fund = len(ny)
        if ny.empty:
            return res

        # the udstillet local-list cases: (cpr, kommune, regel) → sag_id
        aabne = lager._aktuelle(conn, [UDSTILLET])
        aabne = aabne[(aabne["kanal"] == KANAL)]
        aaben = {}
        if not aabne.empty:
            ids = list(aabne["sag_id"])
            regel_af = {}
            for i in range(0, len(ids), 500):
                for sid, regel in conn.execute(select(t.c.sag_id, t.c.regel).where(t.c.sag_id.in_(ids[i:i + 500]))):
                    regel_af.setdefault(sid, regel)
            for sid, cpr, kode, opr in sorted(zip(aabne["sag_id"], aabne["ym_cpr"], aabne["kommunekode"],
                                                  aabne["oprettet"]), key=lambda r: (r[3], r[0])):
                if sid in regel_af:
                    aaben.setdefault((cpr, int(kode), regel_af[sid]), sid)

        udloebsdato = plus_maaneder(dato, maaneder)
        rows = []
        for (ym, kode, regel), grp in ny.sort_values(["ym_cpr", "kommunekode", "regel", "haendelse_id"]).groupby(
                ["ym_cpr", "kommunekode", "regel"], sort=True):
            first = grp.iloc[0]
            data = {"koersel": dato.isoformat(), "kilde": KANAL, "liste": first["liste"],
                    "antal_udfald": len(grp)}
            sag_id = aaben.get((ym, int(kode), regel))
            if sag_id is None:
                snap = dict(stamdata.get(ym, {}))
                snap["liste"] = {"navn": first["liste"], "titel": first["regel_titel"]}
                sag_id = lager._ny_sag(
                    conn, kommunekode=int(kode), kanal=KANAL, kontroltrin=KONTROLTRIN, myndighed=first["myndighed"],
                    paragraf11=first["paragraf11"], ydelse=first["ydelse"], kle=first["kle"],
                    ydelsesomraade=first["ydelsesomraade"], ym_cpr=ym, oprettet=dato, udloebsdato=udloebsdato,
                    stamdata=_dumps(snap))
                oid = lager._indsaet_overgang(conn, sag_id, 1, "udstillet", None, UDSTILLET, bruger, dato, data)
                res.nye_sager.append(sag_id)
            else:
                oid = lager._overgang(conn, sag_id, "nye_udfald", UDSTILLET, bruger, dato, data, (UDSTILLET,),
                                      "få nye fund")
                res.udvidede_sager.append(sag_id)
            res.pr_liste[first["liste"]] = res.pr_liste.get(first["liste"], 0) + len(grp)
            for r in grp.itertuples(index=False):
                rows.append({"sag_id": sag_id, "overgang_id": oid, "ym_cpr": ym, "regel": regel,
                             "haendelse_id": r.haendelse_id, "person_cpr": ym, "rolle": "YM",
                             "haendelsesdato": r.haendelsesdato, "kle": r.kle, "kommunekode": int(kode),
                             "oplysninger": r.oplysninger, "regel_titel": r.regel_titel,
                             "kontroltype": r.kontroltype, "koersdato": dato})
        conn.execute(S.udfald.insert(), rows)
    return res


def koer(data, dato: dt.date, lager: SagsLager | None = None, lister=None, kommune: int | None = None,
         bruger: str = "lokal_kontrolliste") -> ListeKoersel:
    """Run the lists in force on ``dato`` on a data folder and put the hits on the
    bestillingsliste (with the kontrolark's stamoplysninger)."""
    from ..sagsstyring.stamdata import stamoplysninger
    from .motor import koer_lister, registre
    reg = registre(data)
    hits = koer_lister(reg, dato, lister, kommune)
    lager = lager or SagsLager()
    snap = stamoplysninger(reg, sorted(set(hits["cpr"])), dato) if not hits.empty else {}
    return til_lager(lager, hits, dato, bruger=bruger, stamdata=snap)
