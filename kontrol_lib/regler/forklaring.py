"""One hit explained (``kontrol forklar``): the rule and its source, the parameter values it read
(with unit and the date each value applies from), the evidence and the Danish sentence.

:func:`forklaringer` runs the samkøring on the date and returns every hit with the given
``haendelse_id`` (one event can be a hit for several rules or several ydelsesmodtagere: the key
of fredning is (ym_cpr, regel, haendelse_id)); :func:`forklar` returns the one hit, or says in
Danish why not. :func:`forklaring_tekst` is the text a caseworker reads; every CPR number in it
is masked (:func:`kontrol_lib.registre.mask_cpr`). The dicts hold the CPR numbers as they are.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

from kontrol_lib.parametre import daterede as parametre
from kontrol_lib.registre import mask_cpr
from kontrol_lib.regler.motor import samkoer
from kontrol_lib.regler.nationale import REGLER
from kontrol_lib.regler.regel import gaelder_fra, vaerdi_tekst
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.format import dato as dk_dato
from kontrol_lib.vokabular.format import kr

# Ten digits (or six, a dash and four) not part of a longer number: a CPR number.
CPR_MOENSTER = re.compile(r"(?<![\dA-Za-z])(\d{6})-?(\d{4})(?![\dA-Za-z])")
ISO_DATO = re.compile(r"\d{4}-\d{2}-\d{2}")


def masker(tekst: str) -> str:
    """Every CPR number in ``tekst`` masked: 0101801234 → 010180****."""
    return CPR_MOENSTER.sub(lambda m: mask_cpr(m.group(1) + m.group(2)), tekst)


def _parameter(navn: str, vaerdi, dato: dt.date) -> dict:
    p = parametre.alle()[navn]
    vaerdi = tuple(vaerdi) if isinstance(vaerdi, list) else vaerdi
    if isinstance(vaerdi, str) and isinstance(p.vaerdi(dato), Decimal):
        vaerdi = Decimal(vaerdi)                      # amounts travel as exact text in the evidence
    return {"navn": navn, "vaerdi": vaerdi, "enhed": p.enhed, "gaelder_fra": gaelder_fra(navn, dato),
            "beskrivelse": p.beskrivelse}


def forklaringer(data, dato: dt.date, haendelse_id: str, kommune: int | None = None,
                 regel: str | None = None) -> list[dict]:
    """Every hit on ``dato`` with this ``haendelse_id`` (only rule ``regel`` if given), explained:
    regel, titel, kilde_afsnit, kilde, semantik, fortolkning (rendered for ``dato``), the hit's
    columns, vindue (fra, til), parametre (navn, vaerdi, enhed, gaelder_fra, beskrivelse), fakta
    (the evidence as decoded JSON; amounts as exact text, '1500.01') and oplysninger. No such hit is
    a Danish error."""
    if regel is not None and regel not in REGLER:
        raise KontrolFejl(f"Ukendt regel: {regel}")
    df = samkoer(data, dato, kommune, regler=None if regel is None else [regel])
    ud = []
    for r in df[df["haendelse_id"] == haendelse_id].itertuples():
        rg = REGLER[r.regel]
        bevis = json.loads(r.bevis, parse_float=Decimal)
        ud.append({
            "regel": r.regel, "titel": rg.titel, "kilde_afsnit": rg.kilde_afsnit, "kilde": rg.kilde,
            "semantik": rg.tekst("semantik", dato), "fortolkning": rg.tekst("fortolkning", dato),
            "koerselsdato": dato, "haendelse_id": r.haendelse_id, "haendelsesdato": r.haendelsesdato,
            "ym_cpr": r.ym_cpr, "person_cpr": r.person_cpr, "rolle": r.rolle, "kle": r.kle,
            "kommunekode": int(r.kommunekode),
            "vindue": {k: dt.date.fromisoformat(v) for k, v in bevis["vindue"].items()},
            "parametre": [_parameter(n, v, dato) for n, v in bevis["parametre"].items()],
            "fakta": bevis["fakta"], "oplysninger": r.oplysninger,
        })
    if not ud:
        raise KontrolFejl(f"Der er intet udfald med hændelses-id '{masker(haendelse_id)}' på kørselsdatoen "
                          f"{dato.isoformat()}" + (f" for reglen {regel}" if regel else ""))
    return ud


def forklar(data, dato: dt.date, haendelse_id: str, kommune: int | None = None, regel: str | None = None) -> dict:
    """The one hit with this ``haendelse_id`` on ``dato`` (see :func:`forklaringer`). No hit, or
    several (name a rule with ``regel``), is a Danish error."""
    alle = forklaringer(data, dato, haendelse_id, kommune, regel)
    if len(alle) > 1:
        hvilke = ", ".join(f"{f['regel']} (ydelsesmodtager {mask_cpr(f['ym_cpr'])})" for f in alle)
        raise KontrolFejl(f"{len(alle)} udfald har hændelses-id '{masker(haendelse_id)}': {hvilke}")
    return alle[0]


# ------------------------------------------------------------------------------ the text
def _fakta_vaerdi(noegle: str, v) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "ja" if v else "nej"
    if isinstance(v, str) and ("beloeb" in noegle or noegle in ("sum", "i_alt_i_vinduet")):
        return kr(Decimal(v), 2)
    if isinstance(v, str) and ISO_DATO.fullmatch(v):
        return dk_dato(dt.date.fromisoformat(v))
    return str(v)


def _fakta_linjer(fakta: dict, indryk: str = "  ") -> list[str]:
    linjer = []
    for k, v in fakta.items():
        if isinstance(v, list) and v and isinstance(v[0], dict):
            linjer.append(f"{indryk}{k}:")
            for x in v:
                linjer.append(f"{indryk}  - " + ", ".join(f"{kk}: {_fakta_vaerdi(kk, vv)}" for kk, vv in x.items()))
        elif isinstance(v, list):
            linjer.append(f"{indryk}{k}: " + ", ".join(_fakta_vaerdi(k, x) for x in v))
        else:
            linjer.append(f"{indryk}{k}: {_fakta_vaerdi(k, v)}")
    return linjer


def forklaring_tekst(f: dict) -> str:
    """The explanation as Danish text; every CPR number masked."""
    linjer = [
        f"Udfald: {f['regel']} – {f['titel']}",
        f"Hændelses-id: {f['haendelse_id']}",
        f"Kørselsdato: {dk_dato(f['koerselsdato'])}. Hændelsesdato: {dk_dato(f['haendelsesdato'])}.",
        f"Ydelsesmodtager: {f['ym_cpr']}. Person: {f['person_cpr']} "
        f"({'ydelsesmodtageren' if f['rolle'] == 'YM' else 'ægtefællen'}).",
        f"Sag: KLE {f['kle']}, kommune {f['kommunekode']}; vindue {dk_dato(f['vindue']['fra'])}–"
        f"{dk_dato(f['vindue']['til'])}.",
        "",
        f"Kilde ({f['kilde_afsnit']}):",
        f"  \"{f['kilde']}\"",
        "",
        f"Produktets læsning: {f['semantik']}",
    ]
    if f["fortolkning"]:
        linjer.append(f"Fortolkning: {f['fortolkning']}")
    linjer += ["", f"Parametre, som reglen læste (værdien den {dk_dato(f['koerselsdato'])}):"]
    linjer += [f"  {p['navn']} = {vaerdi_tekst(p['vaerdi'])} ({p['enhed']}), gælder fra {dk_dato(p['gaelder_fra'])}"
               for p in f["parametre"]]
    linjer += ["", "Bevis (det, der afgjorde udfaldet):"] + _fakta_linjer(f["fakta"])
    linjer += ["", "Oplysninger:", f"  {f['oplysninger']}"]
    return masker("\n".join(linjer))
