"""A short summary of one data folder on a run date: what was read, the bestand, the udfald.

This is what ``make demo`` prints after validation, and what an analyst reads first. No CPR
numbers: counts only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from kontrol_lib.registre import Registre, indlaes
from kontrol_lib.regler import REGLER, bestand, samkoer
from kontrol_lib.vokabular.tid import kontrolperiode


@dataclass
class Oversigt:
    dato: dt.date
    tabeller: pd.DataFrame          # tabel, fil, rækker
    fravaerende: list[str]
    ydelsesmodtagere: int
    aegtefaeller: int
    udfald: pd.DataFrame            # regel, titel, kontroltype, udfald, personer
    ym_med_udfald: int

    def tekst(self) -> str:
        start, slut = kontrolperiode(self.dato)
        lines = [f"Registersamkøring pr. {self.dato.isoformat()} (kontrolperiode {start.isoformat()} – {slut.isoformat()})",
                 "", "Indlæste tabeller:"]
        for r in self.tabeller.itertuples():
            lines.append(f"  {r.tabel:<14} {r.raekker:>12,} rækker".replace(",", "."))
        if self.fravaerende:
            lines.append(f"  Fraværende (behandlet som tomme): {', '.join(self.fravaerende)}")
        andel = (100 * self.ym_med_udfald / self.ydelsesmodtagere) if self.ydelsesmodtagere else 0
        lines += ["", f"Bestand: {self.ydelsesmodtagere:,} ydelsesmodtagere og {self.aegtefaeller:,} ægtefæller".replace(",", "."),
                  f"Udfald: {int(self.udfald['udfald'].sum()):,} i alt; {self.ym_med_udfald:,} ydelsesmodtagere "
                  f"({andel:.1f} %) har mindst ét".replace(",", "X").replace(".", ",").replace("X", "."), "",
                  f"  {'regel':<18} {'kontroltype':<11} {'udfald':>7}  titel"]
        for r in self.udfald.itertuples():
            lines.append(f"  {r.regel:<18} {r.kontroltype:<11} {r.udfald:>7}  {r.titel}")
        return "\n".join(lines)


def lav_oversigt(data: str | Registre, dato: dt.date, kommune: int | None = None) -> Oversigt:
    reg = data if isinstance(data, Registre) else indlaes(data)
    tabeller = pd.DataFrame([{"tabel": t, "fil": p.name, "raekker": reg.antal(t)} for t, p in sorted(reg.filer.items())],
                            columns=["tabel", "fil", "raekker"])
    b = bestand(reg, dato, kommune)
    u = samkoer(reg, dato, kommune)
    counts = u.groupby("regel").size() if len(u) else pd.Series(dtype="int64")
    rows = [{"regel": rid, "titel": r.titel, "kontroltype": r.kontroltype, "udfald": int(counts.get(rid, 0))}
            for rid, r in REGLER.items()]
    return Oversigt(dato=dato, tabeller=tabeller, fravaerende=list(reg.fravaerende),
                    ydelsesmodtagere=int(b["ym_cpr"].nunique()),
                    aegtefaeller=int(b["aef_cpr"].dropna().nunique()),
                    udfald=pd.DataFrame(rows), ym_med_udfald=int(u["ym_cpr"].nunique()) if len(u) else 0)
