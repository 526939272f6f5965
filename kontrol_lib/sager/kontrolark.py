"""The kontrolark: one case's personal data sheet for journalisering (HTML and PDF, A4).

Sections, as in DFD's kontrolark: stamoplysninger (cpr, age, address, kommune, KLE/ydelser,
spouse, income over the three whole months before the run), "Nærmere oplysninger" (every udfald
sentence on the case), the data look-ups that were made and found no change, and the case's
history from the log. The content comes from the store alone (the stamoplysninger were
snapshotted when the case was made), so the sheet can be produced without the data folder.

Opening a kontrolark is logged (who, when, which case) by :meth:`SagsLager.kontrolark`.
The HTML is rendered from ``templates/kontrolark.html.j2`` (autoescaped) and is self-contained
(inline CSS, no external assets); the PDF is rendered from it by WeasyPrint, offline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.filer import skriv_privat
from kontrol_lib.vokabular.koder import KANAL_TEKST, brugertekst
from kontrol_lib.vokabular.format import dato as fdato
from kontrol_lib.vokabular.format import kr
from kontrol_lib.sager import schema as S
from kontrol_lib.sager.grundlag import fra_json
from kontrol_lib.vokabular.koder import STATUSTEKST
from kontrol_lib.sager.grundlag import WORKFLOW_KANAL
from kontrol_lib.vokabular.html import render
from kontrol_lib.vokabular.tid import lokal_tid

HAENDELSESTEKST = {
    "udstillet": "Udstillet på bestillingslisten", "nye_udfald": "Nye udfald tilføjet",
    "bestil": "Bestilt", "genbestil": "Genbestilt (lagt tilbage)", "visiter": "Visiteret",
    "afgoer": "Afgjort", "udloeb": "Udløbet – ikke behandlet", "import": "Importeret",
    "korrektion": "Beløb korrigeret", "genaabn": "Genåbnet", "opret": "Oprettet af sagsbehandler",
}
INDKOMSTTYPER = {0: "løn", 1: "offentlig ydelse", 4: "anden personlig indkomst", 5: "B-indkomst"}


@dataclass
class Kontrolark:
    sag: dict                                   # the case row (incl. ym_cpr) and its status
    stamdata: dict
    udfald: list[dict] = field(default_factory=list)
    kontrollerede: list[dict] = field(default_factory=list)
    ikke_koerte: list[dict] = field(default_factory=list)
    historik: list[dict] = field(default_factory=list)
    beloeb: list[dict] = field(default_factory=list)
    dannet: dt.datetime | None = None

    def html(self) -> str:
        return _html(self)

    def pdf(self) -> bytes:
        from weasyprint import HTML  # lazy: only this path needs WeasyPrint
        return HTML(string=self.html()).write_pdf()

    def gem(self, path: str | Path) -> Path:
        """Write ``.html`` or ``.pdf`` (chosen by the file name), readable by its owner only."""
        path = tjek_filtype(path)
        skriv_privat(path, self.html() if path.suffix.lower() == ".html" else self.pdf())
        return path


def tjek_filtype(path: str | Path) -> Path:
    """``path`` when it names a ``.html`` or ``.pdf`` file; else a Danish error."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".pdf"):
        raise KontrolFejl(f"Kontrolarket kan gemmes som .html eller .pdf, ikke '{path.suffix}'")
    return path


def saml(lager, conn, sag_id: str, personoplysninger: dict | None = None) -> Kontrolark:
    """Gather one case's kontrolark from the store (inside ``conn``'s transaction).
    ``personoplysninger``: the CPR-bearing parts (``ym_cpr``, ``stamdata`` and the ``udfald``
    rows), as PostgreSQL's ``kontrol_kontrolark`` returns them (:func:`.pg_adgang.saml_kontrolark`);
    None: read them from the tables (SQLite)."""
    fortrolige = ("ym_cpr", "stamdata")
    row = conn.execute(select(*[c for c in S.sager.c if c.name not in fortrolige])
                       .where(S.sager.c.sag_id == sag_id)).mappings().first()
    if row is None:
        raise KontrolFejl(f"Sagen {sag_id} findes ikke i sagslageret")
    sag = dict(row)
    if personoplysninger is None:
        personoplysninger = dict(conn.execute(select(*[S.sager.c[k] for k in fortrolige])
                                              .where(S.sager.c.sag_id == sag_id)).mappings().one())
        u = S.udfald
        personoplysninger["udfald"] = [dict(r) for r in conn.execute(
            select(u.c.regel, u.c.regel_titel, u.c.kontroltype, u.c.rolle, u.c.haendelsesdato, u.c.oplysninger,
                   u.c.koersdato).where(u.c.sag_id == sag_id).order_by(u.c.koersdato, u.c.regel,
                                                                       u.c.haendelsesdato, u.c.id)).mappings()]
    sag["ym_cpr"] = personoplysninger["ym_cpr"]
    stam = fra_json(personoplysninger["stamdata"])
    sag["status"] = lager.sidste_overgang(conn, sag_id).til
    udfald = list(personoplysninger["udfald"])
    ramt = {x["regel"] for x in udfald}
    o = S.overgange
    historik = []
    for r in conn.execute(select(o.c.id, o.c.tid, o.c.dato, o.c.bruger, o.c.haendelse, o.c.fra, o.c.til, o.c.data)
                          .where(o.c.sag_id == sag_id).order_by(o.c.sekvens)).mappings():
        historik.append(dict(r, data=fra_json(r["data"])))
    b = S.beloeb
    beloeb = [dict(r) for r in conn.execute(select(b).where(b.c.sag_id == sag_id).order_by(b.c.id)).mappings()]
    return Kontrolark(
        sag=sag, stamdata=stam, udfald=udfald,
        kontrollerede=[x for x in stam.get("kontrollerede_regler", []) if x["regel"] not in ramt],
        ikke_koerte=stam.get("ikke_koerte_regler", []), historik=historik, beloeb=beloeb,
        dannet=dt.datetime.now().replace(microsecond=0))


# --------------------------------------------------------------------------- rendering
# The markup (and the sheet's CSS) is templates/kontrolark.html.j2; here the case's values are
# only formatted (Danish dates and amounts) and handed over as plain data.
SKABELON = "kontrolark.html.j2"


def _d(v) -> str:
    if not v:
        return ""
    if isinstance(v, str):
        v = dt.date.fromisoformat(v)
    if isinstance(v, dt.datetime):
        return v.strftime("%d-%m-%Y %H:%M")
    return fdato(v)


def _cpr(c: str | None) -> str:
    return f"{c[:6]}-{c[6:]}" if c and len(c) == 10 else (c or "")


def _oere(v) -> str:
    return "" if v is None else kr(Decimal(int(v)) / 100, 2)


def _person(rolle: str) -> str:
    return "Ydelsesmodtager" if rolle == "YM" else "Ægtefælle"


def _data(a: Kontrolark) -> dict:
    """The kontrolark's content as plain data for the template: texts, formatted dates and
    amounts, and table rows as lists of cell texts."""
    s, st = a.sag, a.stamdata
    adr = st.get("adresse") or {}
    kom = st.get("kommune") or {}
    aef = st.get("aegtefaelle")
    ind = st.get("indkomst") or {}
    return {
        "overskrift": titel(s, st),
        "dannet": _d(a.dannet),
        "sag": {
            "sag_id": s["sag_id"], "status": STATUSTEKST.get(s["status"], s["status"]),
            "kanal": KANAL_TEKST.get(s["kanal"], s["kanal"]),
            "kontroltrin": s["kontroltrin"], "oprettet": _d(s["oprettet"]), "udloebsdato": _d(s.get("udloebsdato")),
            "kommunekode": s.get("kommunekode"), "ydelse": s.get("ydelse"), "kle": s.get("kle"),
        },
        "stamdata_dato": _d(st.get("dato")),
        "cpr": _cpr(s.get("ym_cpr") or st.get("cpr")),
        "foedselsdato": _d(st.get("foedselsdato")),
        "alder": st.get("alder"),
        "adresse": {"adresse_id": adr.get("adresse_id"), "tekst": adr.get("tekst"),
                    "kommune": adr.get("kommunenavn") or adr.get("kommunekode"),
                    "fra": _d(adr.get("fra_dato"))} if adr else None,
        "kommune": {"navn": kom.get("kommunenavn"), "kode": kom.get("kommunekode")} if kom else None,
        "aegtefaelle": {"cpr": _cpr(aef["cpr"]), "vielse": _d(aef["vielse"]),
                        "separation": _d(aef.get("separation"))} if aef else None,
        "doedsdato": _d(st.get("doedsdato")),
        "ydelser": [[y["kle"], y["titel"], y.get("kommunenavn") or y["kommunekode"], _d(y["oprettet"]),
                     _d(y.get("ophoert"))] for y in st.get("ydelser") or []],
        "indkomst": {"fra": _d(ind["fra"]), "til": _d(ind["til"]), "linjer": [
            [_person(x["rolle"]), x["maaned"], f"{x['indkomsttype']} ({INDKOMSTTYPER.get(x['indkomsttype'], 'anden')})",
             kr(Decimal(x["beloeb"]), 2)] for x in ind.get("linjer") or []]} if ind else None,
        "udfald": [[x["regel_titel"], _person(x["rolle"]), _d(x["haendelsesdato"]), x["oplysninger"],
                    _d(x["koersdato"])] for x in a.udfald],
        "kontrollerede": [x["titel"] for x in a.kontrollerede],
        "ikke_koerte": [x["titel"] for x in a.ikke_koerte],
        "historik": [[_d(h["dato"]), _d(lokal_tid(h["tid"])), brugertekst(h["bruger"]), HAENDELSESTEKST.get(h["haendelse"], h["haendelse"]),
                      STATUSTEKST.get(h["til"], h["til"]), _bemaerkning(h["data"])] for h in a.historik],
        # None: no amounts registered (no section); a registration without any amount is no row
        "beloeb": [[b["ydelse"], b["aendring"], b["besparelse_rytme"], _oere(b["besparelse_oere"]),
                    _oere(b["tilbagebetalingskrav_oere"]), _oere(b["efterregulering_oere"]), _oere(b["skat_oere"])]
                   for b in a.beloeb if any(b[k] is not None for k in ("besparelse_oere", "tilbagebetalingskrav_oere",
                                                                        "efterregulering_oere", "skat_oere"))]
                  if a.beloeb else None,
    }


def _html(a: Kontrolark) -> str:
    return render(__package__, SKABELON, **_data(a))


def titel(sag: dict, stamdata: dict) -> str:
    """The kontrolark's heading, after the case's kanal and kontroltrin: the registersamkøring's
    cases are § 10-opfølgning, a local list's case names the list, any other case its kontroltrin
    and kanal (e.g. "Kontrolark – kontroltrin 3 (Udbetaling Danmark)")."""
    kanal = sag.get("kanal")
    if kanal == WORKFLOW_KANAL:
        return "Kontrolark – § 10-opfølgning"
    if kanal == "lokal_kontrolliste":
        liste = stamdata.get("liste") or {}
        navn = liste.get("titel") or liste.get("navn")
        return f"Kontrolark – lokal kontrolliste: {navn}" if navn else "Kontrolark – lokal kontrolliste"
    navn = KANAL_TEKST.get(kanal, kanal).split(" (")[0]        # "Intern (egen kommune)" → "Intern"
    return f"Kontrolark – kontroltrin {sag.get('kontroltrin')} ({navn})"


def _bemaerkning(data: dict) -> str:
    dele = []
    if "antal_udfald" in data:
        dele.append(f"{data['antal_udfald']} udfald")
    if data.get("aarsag"):
        dele.append(f"ikke behandlet (udløbsdato {data.get('udloebsdato', '')})".strip())
    if data.get("fredningsperiode_maaneder"):
        dele.append(f"fredningsperiode {data['fredningsperiode_maaneder']} måneder")
    if data.get("kilde") == "import":
        dele.append("fra import")
    if data.get("grund"):
        dele.append(f"begrundelse: {data['grund']}")
    return ", ".join(dele)
