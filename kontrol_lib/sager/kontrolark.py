"""The kontrolark: one case's personal data sheet for journalisering (HTML and PDF, A4).

Sections, as in DFD's kontrolark: stamoplysninger (cpr, age, address, kommune, KLE/ydelser,
spouse, income over the three whole months before the run), "Nærmere oplysninger" (every udfald
sentence on the case), the data look-ups that were made and found no change, and the case's
history from the log. The content comes from the store alone (the stamoplysninger were
snapshotted when the case was made), so the sheet can be produced without the data folder.

Opening a kontrolark is logged (who, when, which case) by :meth:`SagsLager.kontrolark`.
The HTML is self-contained (inline CSS, no external assets); the PDF is rendered from it by
WeasyPrint, offline.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.koder import KANAL_TEKST
from kontrol_lib.vokabular.format import dato as fdato
from kontrol_lib.vokabular.format import kr
from kontrol_lib.sager import schema as S
from kontrol_lib.sager.grundlag import fra_json
from kontrol_lib.vokabular.koder import STATUSTEKST
from kontrol_lib.sager.grundlag import WORKFLOW_KANAL

HAENDELSESTEKST = {
    "udstillet": "Udstillet på bestillingslisten", "nye_udfald": "Nye udfald tilføjet",
    "bestil": "Bestilt", "genbestil": "Genbestilt (lagt tilbage)", "visiter": "Visiteret",
    "afgoer": "Afgjort", "udloeb": "Udløbet – ikke behandlet", "import": "Importeret",
    "korrektion": "Beløb korrigeret",
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
        """Write ``.html`` or ``.pdf`` (chosen by the file name)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix.lower() == ".html":
            path.write_text(self.html(), encoding="utf-8")
        elif path.suffix.lower() == ".pdf":
            path.write_bytes(self.pdf())
        else:
            raise KontrolFejl(f"Kontrolarket kan gemmes som .html eller .pdf, ikke '{path.suffix}'")
        return path


def saml(lager, conn, sag_id: str) -> Kontrolark:
    """Gather one case's kontrolark from the store (inside ``conn``'s transaction)."""
    row = conn.execute(select(S.sager).where(S.sager.c.sag_id == sag_id)).mappings().first()
    if row is None:
        raise KontrolFejl(f"Sagen {sag_id} findes ikke i sagslageret")
    sag = dict(row)
    stam = fra_json(sag.pop("stamdata"))
    sag["status"] = lager.sidste_overgang(conn, sag_id).til
    u = S.udfald
    udfald = [dict(r) for r in conn.execute(
        select(u.c.regel, u.c.regel_titel, u.c.kontroltype, u.c.rolle, u.c.haendelsesdato, u.c.oplysninger,
               u.c.koersdato).where(u.c.sag_id == sag_id).order_by(u.c.koersdato, u.c.regel, u.c.haendelsesdato,
                                                                   u.c.id)).mappings()]
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
CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
        @bottom-right { content: "Side " counter(page) " af " counter(pages); font-size: 8pt; color: #555; }
        @bottom-left { content: "Fortroligt – indeholder personoplysninger"; font-size: 8pt; color: #555; } }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 9.5pt; color: #111; margin: 0; }
h1 { font-size: 16pt; margin: 0 0 2mm 0; }
h2 { font-size: 11.5pt; margin: 6mm 0 2mm 0; border-bottom: 1px solid #888; padding-bottom: 1mm; }
.meta { color: #444; margin-bottom: 3mm; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2mm; }
th, td { text-align: left; vertical-align: top; padding: 1.2mm 2mm; border-bottom: 1px solid #ddd; }
th { background: #f0f0f0; font-weight: bold; }
table.kv th { width: 32%; background: none; font-weight: normal; color: #444; }
td.tal { text-align: right; white-space: nowrap; }
ul { margin: 0; padding-left: 5mm; }
.tom { color: #666; font-style: italic; }
"""


def _e(v) -> str:
    if v is None:
        return ""
    return html.escape(str(v))


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


def _kv(rows: list[tuple[str, str]]) -> str:
    return "<table class='kv'>" + "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"


def _tabel(head: list[str], rows: list[list[str]], tal: set[int] = frozenset()) -> str:
    h = "".join(f"<th>{_e(x)}</th>" for x in head)
    body = "".join("<tr>" + "".join(f"<td class='tal'>{c}</td>" if i in tal else f"<td>{c}</td>"
                                    for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>"


def _oere(v) -> str:
    return "" if v is None else kr(Decimal(int(v)) / 100, 2)


def _html(a: Kontrolark) -> str:
    s, st = a.sag, a.stamdata
    cpr = s.get("ym_cpr") or st.get("cpr")
    adr = st.get("adresse") or {}
    kom = st.get("kommune") or {}
    aef = st.get("aegtefaelle")
    stam = [
        ("CPR-nummer", _e(_cpr(cpr))),
        ("Fødselsdato og alder", f"{_d(st.get('foedselsdato'))}, {_e(st.get('alder'))} år" if st.get("foedselsdato")
         else "<span class='tom'>ikke oplyst</span>"),
        ("Adresse", f"{_e(adr.get('adresse_id'))} i {_e(adr.get('kommunenavn') or adr.get('kommunekode'))} "
                    f"(siden {_d(adr.get('fra_dato'))})" if adr else "<span class='tom'>ingen adresse på datoen</span>"),
        ("Kommune", f"{_e(kom.get('kommunenavn'))} ({_e(kom.get('kommunekode'))})" if kom
         else f"{_e(s.get('kommunekode'))}"),
        ("Ægtefælle", (f"{_e(_cpr(aef['cpr']))}, gift {_d(aef['vielse'])}"
                       + (f", separeret {_d(aef['separation'])}" if aef.get("separation") else "")) if aef
         else "ingen"),
    ]
    if st.get("doedsdato"):
        stam.append(("Dødsdato", _d(st["doedsdato"])))
    ydelser = st.get("ydelser") or []
    ydelser_html = (_tabel(["KLE", "Ydelse", "Kommune", "Oprettet", "Ophørt"],
                           [[_e(y["kle"]), _e(y["titel"]), _e(y.get("kommunenavn") or y["kommunekode"]),
                             _d(y["oprettet"]), _d(y.get("ophoert"))] for y in ydelser])
                    if ydelser else f"<p>{_e(s.get('ydelse'))}{' (KLE ' + _e(s['kle']) + ')' if s.get('kle') else ''}</p>")
    ind = st.get("indkomst") or {}
    if ind.get("linjer"):
        ind_html = _tabel(["Person", "Måned", "Indkomsttype", "Beløb"],
                          [[_e("Ydelsesmodtager" if x["rolle"] == "YM" else "Ægtefælle"), _e(x["maaned"]),
                            _e(f"{x['indkomsttype']} ({INDKOMSTTYPER.get(x['indkomsttype'], 'anden')})"),
                            _e(kr(Decimal(x["beloeb"]), 2))] for x in ind["linjer"]], {3})
    elif ind:
        ind_html = "<p class='tom'>Ingen indkomst i perioden.</p>"
    else:
        ind_html = "<p class='tom'>Ikke oplyst (sagen er ikke dannet af registersamkøringen).</p>"
    if ind:
        ind_html = f"<p>Perioden {_d(ind['fra'])} – {_d(ind['til'])}.</p>" + ind_html

    naermere = (_tabel(["Kontrol", "Person", "Hændelsesdato", "Oplysninger", "Udstillet"],
                       [[_e(x["regel_titel"]), _e("Ydelsesmodtager" if x["rolle"] == "YM" else "Ægtefælle"),
                         _d(x["haendelsesdato"]), _e(x["oplysninger"]), _d(x["koersdato"])] for x in a.udfald])
                if a.udfald else "<p class='tom'>Ingen udfald på sagen.</p>")
    if a.kontrollerede:
        opslag = ("<p>Dataopslag, der ikke fremgår under nærmere oplysninger, er kontrolleret, og der er ikke sket "
                  "ændringer i kontrolperioden:</p><ul>" + "".join(f"<li>{_e(x['titel'])}</li>"
                                                                    for x in a.kontrollerede) + "</ul>")
    else:
        opslag = "<p class='tom'>Ingen dataopslag uden ændringer er registreret for sagen.</p>"
    if a.ikke_koerte:
        opslag += ("<p>Kunne ikke kontrolleres (registeret manglede i udtrækket):</p><ul>"
                   + "".join(f"<li>{_e(x['titel'])}</li>" for x in a.ikke_koerte) + "</ul>")

    hist = _tabel(["Dato", "Registreret (UTC)", "Bruger", "Hændelse", "Status", "Bemærkning"],
                  [[_d(h["dato"]), _d(h["tid"]), _e(h["bruger"]), _e(HAENDELSESTEKST.get(h["haendelse"], h["haendelse"])),
                    _e(STATUSTEKST.get(h["til"], h["til"])), _e(_bemaerkning(h["data"]))] for h in a.historik])
    beloeb = ""
    if a.beloeb:
        beloeb = "<h2>Registrerede beløb</h2>" + _tabel(
            ["Ydelse", "Ændring", "Rytme", "Besparelse pr. rytme", "Tilbagebetalingskrav", "Efterregulering", "Skat"],
            [[_e(b["ydelse"]), _e(b["aendring"]), _e(b["besparelse_rytme"]), _oere(b["besparelse_oere"]),
              _oere(b["tilbagebetalingskrav_oere"]), _oere(b["efterregulering_oere"]), _oere(b["skat_oere"])]
             for b in a.beloeb if any(b[k] is not None for k in ("besparelse_oere", "tilbagebetalingskrav_oere",
                                                                  "efterregulering_oere", "skat_oere"))],
            {3, 4, 5, 6})

    sag_rows = [("Sags-id", _e(s["sag_id"])), ("Status", _e(STATUSTEKST.get(s["status"], s["status"]))),
                ("Kilde", f"{_e(s['kanal'])}, kontroltrin {_e(s['kontroltrin'])}"),
                ("Udstillet/oprettet", _d(s["oprettet"]))]
    if s.get("udloebsdato"):
        sag_rows.append(("Udløbsdato", _d(s["udloebsdato"])))
    if st.get("dato"):
        sag_rows.append(("Stamoplysninger pr.", _d(st["dato"])))
    return f"""<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><title>Kontrolark {_e(s['sag_id'])}</title>
<style>{CSS}</style></head>
<body>
<h1>{_e(titel(s, st))}</h1>
<div class="meta">Dannet {_d(a.dannet)}. Kontrolarket journaliseres på borgerens sag.</div>
{_kv(sag_rows)}
<h2>Stamoplysninger</h2>
{_kv(stam)}
<h3>Ydelser (KLE)</h3>
{ydelser_html}
<h3>Indkomst de seneste tre hele måneder</h3>
{ind_html}
<h2>Nærmere oplysninger</h2>
{naermere}
<h2>Dataopslag uden ændringer</h2>
{opslag}
{beloeb}
<h2>Sagens historik</h2>
{hist}
</body></html>
"""


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
    return ", ".join(dele)
