"""The caseworker's visitation app: ipywidgets over :class:`~kontrol_lib.sager.SagsLager`.

``VisiteringsApp(db_url)`` builds five tabs — Bestillingsliste, Prioriteringsliste,
Kontrolark, Feedbackliste, Personsøgning — whose buttons call exactly the store's workflow API
(``bestillingsliste``, ``bestil``, ``prioriteringsliste``, ``kontrolark``, ``visiter``,
``afgoer``, ``genbestil``, ``feedbackliste``) and the caseworker's tools (``find_person``,
``skriv_note``/``noter``, ``genaabn``, ``tilknyt``/``relationer``, ``opret_virksomhedssag``).
After every registration the kontrolark is read again, so status line, sheet and form agree, and
a summary of what was stored (read back from the store) is shown. The app holds no workflow logic: which transition
is legal, how an amount is read and what is logged is decided by the store; the app only turns
widget values into arguments and results (or the store's Danish error) into HTML.

Identity and roles (``spec/sikkerhed.md``): the person is the store's (``SagsLager(db)``: the
hub's user or the OS login), never a header or a text field; ``bruger`` is only a name given,
passed down to the store, which refuses it on a real store unless it is the login (on a test
store it is the test identity). The header shows the person and their roles; an action the
roles do not allow is still sent to the store, which refuses it in Danish naming the role and
logs the attempt, and the app shows that refusal instead of the list.

Personal data: the bestillingsliste tab never shows a cpr number (the API returns none). The
prioriteringsliste, the feedbackliste and a kontrolark are shown only for a chosen purpose
(``formaal``; no default), fetched through the API only when their tab is opened, a page is
turned or "Opdater" is clicked, one page of :data:`PR_SIDE` rows at a time, so the store logs
exactly the rows shown.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Callable

import altair as alt
import ipywidgets as w
import pandas as pd

from kontrol_lib.vokabular.steder import known_kle
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.format import dato as fmt_dato
from kontrol_lib.vokabular.tid import lokal_tid as dansk_tid
from kontrol_lib.rapporter import visning
from kontrol_lib.sager import Beloeb, SagsLager
from kontrol_lib.sager.roller import AdgangNaegtet
from kontrol_lib.sager.lager import SORTERING
from kontrol_lib.vokabular.koder import (AENDRING_TEKST, FORMAAL_TEKST, IDENTITET_TEKST, KANAL_TEKST,
                                         KONTROLTYPE_TEKST, KONTROLTYPER, RESULTAT_TEKST, ROLLER, RYTME_TEKST,
                                         STATUSTEKST, YDELSE_TEKST, YDELSESOMRAADE_TEKST as OMRAADE_TEKST,
                                         brugertekst)
from kontrol_lib.vokabular.html import makro

AABNE_STATUS = ("udstillet", "bestilt", "partshoering")

PR_SIDE = 50
"""Rows per page of the prioriteringsliste and the feedbackliste (only the page shown is logged)."""
SAGSBEHANDLER = "sagsbehandler"
"""The role the lists with cpr, the kontrolark and every registration need (``spec/sikkerhed.md``)."""
FORMAAL_VALG = [(t, k) for k, t in FORMAAL_TEKST.items()]

RYTME_VALG = [("(ingen)", "")] + [(t, k) for k, t in RYTME_TEKST.items()]
AENDRING_VALG = [("(ikke angivet)", "")] + [(t, k) for k, t in AENDRING_TEKST.items()]
POLITI_VALG = [("(ikke angivet)", ""), ("nej", "nej"), ("ja", "ja")]
RESULTAT_VALG = [("Ændret tildeling", "aendret_tildeling"),
                 ("Henlagt efter partshøring", "henlagt_efter_partshoering")]

BESTILLINGSLISTE_VIS = {"sag_id": "Sag", "ydelsesomraade": "Ydelsesområde", "kontroltrin": "Kontroltrin",
                        "kontroltyper": "Kontroltyper", "regler": "Regler", "antal_udfald": "Udfald",
                        "udstillet": "Udstillet", "udloebsdato": "Udløbsdato"}
PRIORITERINGSLISTE_VIS = {"sag_id": "Sag", "cpr": "CPR-nummer", "ydelse": "Ydelse", "kontroltrin": "Kontroltrin",
                          "regler": "Regler", "bestilt_af": "Bestilt af", "bestilt": "Bestilt",
                          "udloebsdato": "Udløbsdato"}
FEEDBACKLISTE_VIS = {"sag_id": "Sag", "cpr": "CPR-nummer", "ydelse": "Ydelse", "kanal": "Kanal",
                     "kontroltrin": "Kontroltrin", "status": "Status", "siden": "Siden",
                     "registreret_af": "Registreret af", "besparelse": "Besparelse",
                     "tilbagebetalingskrav": "Tilbagebetalingskrav"}
SOEGNING_VIS = {"sag_id": "Sag", "cpr": "CPR-nummer", "cvr": "CVR-nummer", "ydelse": "Ydelse", "kanal": "Kanal",
                "kontroltrin": "Kontroltrin", "status": "Status", "status_dato": "Siden", "oprettet": "Oprettet"}
NOTER_VIS = {"tid": "Skrevet", "bruger": "Af", "tekst": "Notat"}
RELATIONER_VIS = {"sag_id": "Sag", "grund": "Begrundelse", "tid": "Kædet sammen", "bruger": "Af"}

BESTILLING_SORTERING = {"udloebsdato": "Udløbsdato", "udstillet": "Udstillet", "ydelsesomraade": "Ydelsesområde",
                        "antal_udfald": "Antal udfald", "sag_id": "Sag"}
"""The bestillingsliste's sort keys (it has no cpr: sorted and paged in the app)."""

FANER = ("Bestillingsliste", "Prioriteringsliste", "Kontrolark", "Feedbackliste", "Personsøgning")
FANE_BESTIL, FANE_PRIO, FANE_ARK, FANE_FEEDBACK, FANE_SOEG = range(5)

YDELSE_VALG = [(t, k) for k, t in YDELSE_TEKST.items()]
STATUS_VALG = [("Alle", "")] + [(STATUSTEKST[k], k) for k in ("partshoering", "henlagt_i_visitering",
                                                                 "henlagt_efter_partshoering", "aendret_tildeling")]

_LANGE_TAL = re.compile(r"\d{6}-?\d{4}")

# Every HTML value of the app is a macro of templates/app.html.j2 (autoescaped); Python passes data.
SKABELON = "app.html.j2"


def _html(navn: str, **data) -> str:
    """The markup of the macro ``navn`` of :data:`SKABELON`."""
    return makro(__package__, SKABELON, navn, **data)


class Sider:
    """Paging of one list: the page to fetch, previous/next buttons and "Side X af Y (N sager)"."""

    def __init__(self, hent: Callable[[], None], handling: Callable[[Callable[[], None]], None]):
        self.side = 1
        self.sider = 1
        self.forrige = w.Button(description="Forrige side", tooltip="Vis de forrige sager på listen")
        self.naeste = w.Button(description="Næste side", tooltip="Vis de næste sager på listen")
        self.tekst = w.HTML()
        self.forrige.on_click(lambda _b: handling(lambda: self._gaa(-1, hent)))
        self.naeste.on_click(lambda _b: handling(lambda: self._gaa(+1, hent)))
        self.widget = w.HBox([self.forrige, self.tekst, self.naeste])

    def _gaa(self, skridt: int, hent: Callable[[], None]) -> None:
        ny = self.side + skridt
        if not 1 <= ny <= self.sider:
            raise KontrolFejl("Der er ingen forrige side" if skridt < 0 else "Der er ingen næste side")
        self.side = ny
        hent()

    def vis(self, df: pd.DataFrame) -> None:
        """Record and show the page the store returned (its ``attrs``: i_alt, side, sider)."""
        self.side, self.sider = int(df.attrs.get("side", 1)), int(df.attrs.get("sider", 1))
        self.tekst.value = _html("side_tekst", side=self.side, sider=self.sider,
                                 i_alt=int(df.attrs.get("i_alt", len(df))))

    def nulstil(self) -> None:
        self.side, self.sider = 1, 1
        self.tekst.value = ""


def lokal_tid(v: dt.datetime) -> str:
    """A stored time (naive UTC) as Danish local time, 'dd-mm-åååå tt:mm'."""
    return dansk_tid(v).strftime("%d-%m-%Y %H:%M")


def _tekst(v) -> str:
    if v is None or (not isinstance(v, (str, list, tuple, dict)) and pd.isna(v)):
        return ""
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, dt.datetime):
        return lokal_tid(v)
    if isinstance(v, dt.date):
        return fmt_dato(v)
    return str(v)


def _tabel_data(df: pd.DataFrame, kolonner: dict[str, str], liste: str, tom: str,
                udloebne: set[str] = frozenset()) -> dict:
    return {"kolonner": list(kolonner.items()), "liste": liste, "tom": tom,
            "raekker": [{"sag": str(rec["sag_id"]), "celler": [(k, _tekst(rec.get(k))) for k in kolonner],
                         "udloebet": str(rec["sag_id"]) in udloebne}
                        for rec in df.to_dict("records")]}


def danske_navne(df: pd.DataFrame) -> pd.DataFrame:
    """The codes of a list (ydelse, kanal, status) replaced by their Danish names, a run's user
    name by its description (:func:`brugertekst`), and the decided amounts (øre) as Danish
    kroner with øre (``besparelse`` with its rhythm, ``tilbagebetalingskrav``)."""
    ud = df.copy()
    for kol, navne in (("ydelse", YDELSE_TEKST), ("kanal", KANAL_TEKST), ("status", STATUSTEKST)):
        if kol in ud.columns:
            ud[kol] = [navne.get(v, v) for v in ud[kol]]
    for kol in ("registreret_af", "bestilt_af", "bruger"):
        if kol in ud.columns:
            ud[kol] = [brugertekst(v) for v in ud[kol]]
    if "besparelse_oere" in ud.columns:
        ud["besparelse"] = [_beloeb_tekst(o, r) for o, r in zip(ud["besparelse_oere"], ud["besparelse_rytme"])]
    if "tilbagebetalingskrav_oere" in ud.columns:
        ud["tilbagebetalingskrav"] = [_beloeb_tekst(o) for o in ud["tilbagebetalingskrav_oere"]]
    return ud


def _beloeb_tekst(oere, rytme=None) -> str:
    """'1.234,56 kr.' (with the rhythm's Danish name: '1.234,56 kr. pr. måned'); '' for none."""
    if oere is None or (isinstance(oere, float) and pd.isna(oere)):
        return ""
    rytmer = [RYTME_TEKST.get(r, r) for r in str(rytme).split(", ")] if isinstance(rytme, str) and rytme else []
    return " ".join([kr_tekst(int(oere)), *([", ".join(rytmer)] if rytmer else [])])


def sorter_valg(liste: str) -> list[tuple[str, str]]:
    kolonner = BESTILLING_SORTERING if liste == "bestillingsliste" else SORTERING[liste]
    return [(f"{t}, stigende", f"{k}:op") for k, t in kolonner.items()] + \
        [(f"{t}, faldende", f"{k}:ned") for k, t in kolonner.items()]


def tabel(df: pd.DataFrame, kolonner: dict[str, str], liste: str, tom: str) -> str:
    """A list as an HTML table with Danish headings; every row carries its ``data-sag``."""
    return _html("tabel", **_tabel_data(df, kolonner, liste, tom))


def udloeb_uger(df: pd.DataFrame) -> pd.DataFrame:
    """The number of listed cases per week of udloebsdato (weeks start on Monday), oldest first:
    columns uge ("uge 32 (05-08)": ISO week and its Monday) and sager."""
    mandage = pd.Series([d - dt.timedelta(days=d.weekday()) for d in df["udloebsdato"]], dtype=object)
    antal = mandage.value_counts().sort_index()
    return pd.DataFrame({"uge": [f"uge {m.isocalendar().week} ({fmt_dato(m)[:5]})" for m in antal.index],
                         "sager": pd.Series([int(n) for n in antal], dtype="int64")})


def _udloeb_svg_base64(df: pd.DataFrame) -> str | None:
    if df.empty:
        return None
    data = udloeb_uger(df)
    chart = alt.Chart(data, width=max(160, 46 * len(data)), height=120,
                      title="Sager efter udløbsuge").mark_bar(color=visning.FARVER[0]).encode(
        x=alt.X("uge:N", sort=None, title="Udløber i ugen (mandag)", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sager:Q", title="Sager", axis=alt.Axis(format="d", tickMinStep=1)))
    return base64.b64encode(visning.svg(chart).encode("utf-8")).decode("ascii")


def udloeb_graf(df: pd.DataFrame) -> str:
    """A small bar chart of the listed cases per week of their udloebsdato (Monday's date), as an
    SVG image rendered locally by vl-convert (no JavaScript, no network). Empty list: no chart."""
    return _html("udloeb_graf", svg_base64=_udloeb_svg_base64(df))


def _saet_valg(dropdown: w.Dropdown, valg: list[tuple[str, str]]) -> None:
    """New options for a case dropdown, keeping the chosen case if it is still there."""
    foer = dropdown.value
    dropdown.options = valg
    vaerdier = [v for _t, v in valg]
    dropdown.value = foer if foer in vaerdier else (vaerdier[0] if vaerdier else None)


def kr_tekst(oere: int) -> str:
    """Whole øre as Danish kroner: 123456 → '1.234,56 kr.'."""
    fortegn = "-" if oere < 0 else ""
    k, o = divmod(abs(int(oere)), 100)
    return f"{fortegn}{k:,}".replace(",", ".") + f",{o:02d} kr."


def _besked(tekst: str, art: str) -> str:
    return _html("besked", linjer=tekst.split("\n"), art=art)


def ark_ramme(sag_id: str, dokument: str) -> str:
    """The kontrolark's own HTML document in a sandboxed frame (its CSS stays inside), with a
    download link for journalisering."""
    return _html("ark_ramme", sag_id=sag_id, dokument=dokument,
                 dokument_base64=base64.b64encode(dokument.encode("utf-8")).decode("ascii"))


class VisiteringsApp:
    """The visitation app for the logged-in person on one case store.

    ``db_url``: the store (``sqlite:///sti.sqlite``, ``postgresql://...``, a SQLite file path, or
    None/"" for ``$KONTROL_DB`` or ``kontrol.sqlite``). The person is the store's
    (:meth:`SagsLager.identitet`: the hub's user or the OS login). ``bruger``: only a name given,
    passed to every store call: a real store refuses it unless it is the login; a test store
    takes it as the test identity. ``dato``: the business date of the registrations (None: today,
    each time). Display the app (``app`` as a cell's last line, or ``display(app.widget)``).
    """

    def __init__(self, db_url: str | None = None, bruger: str | None = None, *,
                 dato: dt.date | None = None):
        self.dato = dato
        self.lager: SagsLager | None = None
        self.aktuel_sag: str | None = None
        self.fejl: str | None = None
        self.besked = w.HTML(layout=w.Layout(width="100%"))
        self.bruger = str(bruger).strip() if bruger is not None and str(bruger).strip() else None
        self.roller: set[str] = set()
        try:
            self.lager = SagsLager(db_url or None)
            self.person = self.lager.identitet(self.bruger)
            self.roller = self.lager.mine_roller(self.bruger)
        except KontrolFejl as e:
            self.fejl = str(e)
            self.besked.value = _besked(f"Visiteringen kan ikke startes: {e}", "fejl")
            self.widget = w.VBox([w.HTML(_html("ikke_startet")), self.besked])
            self.widget.add_class("kontrol-visitering")
            return
        self._byg()
        self._handling(self.opdater_bestillingsliste)

    # ---- display ---------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _ipython_display_(self):
        from IPython.display import display  # lazy: only this path needs IPython
        display(self.widget)

    # ---- building --------------------------------------------------------------------------
    def _byg(self) -> None:
        self.hoved = w.HTML(_html(
            "hoved", bruger=self.person.navn, identitet=IDENTITET_TEKST.get(self.person.kilde, self.person.kilde),
            roller=[r for r in ROLLER if r in self.roller], sagsbehandler=SAGSBEHANDLER in self.roller))
        # the purpose of showing personal data: required, no default (spec/sikkerhed.md)
        self.formaal = w.Dropdown(description="Formål", options=FORMAAL_VALG, value=None,
                                  tooltip="Formålet logges med hver visning af CPR-numre og kontrolark",
                                  style={"description_width": "initial"}, layout=w.Layout(width="320px"))
        self.formaal.observe(self._formaal_valgt, names="value")

        # bestillingsliste
        omraader = sorted(set(known_kle()["ydelsesomraade"]))
        self.omraade = w.Dropdown(
            description="Ydelsesområde", value="",
            options=[("Alle", "")] + [(OMRAADE_TEKST.get(o, o), o) for o in omraader],
            style={"description_width": "initial"})
        self.fravalg = {k: w.Checkbox(value=False, description=KONTROLTYPE_TEKST.get(k, k), indent=False,
                                      layout=w.Layout(width="auto"))
                        for k in KONTROLTYPER}
        self.bestillings_tabel = w.HTML()
        self.bestil_resultat = w.HTML()
        self._bestillingsliste: pd.DataFrame | None = None
        self.bestil_sider = Sider(self._vis_bestillingsside, self._handling)
        self.bestil_sortering = w.Dropdown(description="Sortér efter", options=sorter_valg("bestillingsliste"),
                                           value="udloebsdato:op", style={"description_width": "initial"})
        self.bestil_sortering.observe(lambda _c: self._handling(lambda: self._vis_bestillingsside(1)), names="value")
        self.antal = w.BoundedIntText(value=5, min=1, max=1000, description="Antal sager",
                                      style={"description_width": "initial"}, layout=w.Layout(width="180px"))
        self.bestil_knap = w.Button(description="Bestil", button_style="primary",
                                    tooltip="Flyt de ældste sager (efter filtrene) til prioriteringslisten")
        self.opdater_bestil_knap = w.Button(description="Opdater listen")
        self.omraade.observe(lambda _c: self._handling(self.opdater_bestillingsliste), names="value")
        for cb in self.fravalg.values():
            cb.observe(lambda _c: self._handling(self.opdater_bestillingsliste), names="value")
        self.bestil_knap.on_click(lambda _b: self._handling(self.bestil))
        self.opdater_bestil_knap.on_click(lambda _b: self._handling(self.opdater_bestillingsliste))
        # the order controls and their result first, where the eye is; the long list below
        fane_bestil = w.VBox([
            w.HTML(_html("intro_bestillingsliste")),
            self.omraade,
            w.HTML(_html("fravalg")),
            w.HBox(list(self.fravalg.values()), layout=w.Layout(flex_flow="row wrap")),
            w.HBox([self.antal, self.bestil_knap, self.opdater_bestil_knap]),
            self.bestil_resultat,
            w.HBox([self.bestil_sortering, self.bestil_sider.widget]),
            self.bestillings_tabel,
        ])

        # prioriteringsliste
        self.prio_tabel = w.HTML()
        self.prio_sider = Sider(self.opdater_prioriteringsliste, self._handling)
        self.prio_sortering = w.Dropdown(description="Sortér efter", options=sorter_valg("prioriteringsliste"),
                                         value="udloebsdato:op", style={"description_width": "initial"})
        self.prio_sortering.observe(lambda _c: self._handling(lambda: self.opdater_prioriteringsliste(side=1)),
                                    names="value")
        self.prio_sag = w.Dropdown(description="Sag", options=[], style={"description_width": "initial"},
                                   layout=w.Layout(width="420px"))
        self.prio_ark_knap = w.Button(description="Åbn kontrolark", button_style="primary")
        self.genbestil_knap = w.Button(description="Genbestil",
                                       tooltip="Læg sagen tilbage på bestillingslisten (ikke behandlet)")
        self.opdater_prio_knap = w.Button(description="Opdater listen")
        self.prio_ark_knap.on_click(lambda _b: self._handling(lambda: self.aabn_kontrolark(self.prio_sag.value)))
        self.genbestil_knap.on_click(lambda _b: self._handling(self.genbestil))
        self.opdater_prio_knap.on_click(lambda _b: self._handling(self.opdater_prioriteringsliste))
        fane_prio = w.VBox([
            w.HTML(_html("intro_prioriteringsliste")),
            w.HBox([self.prio_sag, self.prio_ark_knap, self.genbestil_knap, self.opdater_prio_knap]),
            w.HBox([self.prio_sortering, self.prio_sider.widget]),
            self.prio_tabel,
        ])

        # kontrolark + decisions
        self.ark_status = w.HTML(_html("intet_kontrolark"))
        self.ark_indhold = w.HTML()
        self._ark = None
        self._ark_formaal: str | None = None
        self.pdf_knap = w.Button(description="Dan PDF til journalisering", layout=w.Layout(width="auto"))
        self.pdf_link = w.HTML()
        self.pdf_knap.on_click(lambda _b: self._handling(self.dan_pdf))
        self.fredning = w.Text(description="Fredningsperiode (måneder, kun kontroltrin 3)", value="",
                               style={"description_width": "initial"}, layout=w.Layout(width="380px"))
        self.henlaeg_knap = w.Button(description="Henlæg i visitering")
        self.partshoering_knap = w.Button(description="Send i partshøring", button_style="primary")
        self.henlaeg_knap.on_click(lambda _b: self._handling(lambda: self.visiter("henlaeg")))
        self.partshoering_knap.on_click(lambda _b: self._handling(lambda: self.visiter("partshoering")))
        stil = {"description_width": "220px"}
        bred = w.Layout(width="420px")
        self.resultat = w.Dropdown(description="Resultat", options=RESULTAT_VALG, style=stil, layout=bred)
        self.rytme = w.Dropdown(description="Besparelsens rytme", options=RYTME_VALG, value="", style=stil,
                                layout=bred)
        self.besparelse = w.Text(description="Besparelse (kr.)", placeholder="fx 1.234,56", style=stil,
                                 layout=bred)
        self.tilbagebetaling = w.Text(description="Tilbagebetalingskrav (kr.)", style=stil, layout=bred)
        self.efterregulering = w.Text(description="Efterregulering (kr.)", style=stil, layout=bred)
        self.skat = w.Text(description="Skat (kr.)", style=stil, layout=bred)
        self.aendring = w.Dropdown(description="Ændring af ydelsen", options=AENDRING_VALG, value="", style=stil,
                                   layout=bred)
        self.politianmeldt = w.Dropdown(description="Politianmeldt", options=POLITI_VALG, value="", style=stil,
                                        layout=bred)
        self.videresendt = w.Text(description="Videresendt til", style=stil, layout=bred)
        self.afgoer_knap = w.Button(description="Registrér afgørelse", button_style="primary")
        self.afgoer_knap.on_click(lambda _b: self._handling(self.afgoer))
        self._beloebsfelter = (self.besparelse, self.tilbagebetaling, self.efterregulering, self.skat,
                               self.videresendt)
        # notes, reopening and links of the open case
        self.ark_grund = w.HTML()                 # "Nærmere oplysninger": why the case is here, first
        self.ark_gemt = w.HTML()                  # what the last action stored
        self.noter_html = w.HTML()
        self.note_tekst = w.Textarea(description="Nyt notat", placeholder="Skriv ikke CPR-numre i notater",
                                     style={"description_width": "initial"}, layout=w.Layout(width="640px"))
        self.note_knap = w.Button(description="Gem notat", tooltip="Notatet gemmes og kan ikke ændres bagefter")
        self.note_knap.on_click(lambda _b: self._handling(self.skriv_note))
        self.genaabn_grund = w.Text(description="Begrundelse for genåbning", style={"description_width": "initial"},
                                    layout=w.Layout(width="520px"))
        self.genaabn_knap = w.Button(description="Genåbn sagen", tooltip="En afsluttet sag genåbnes med en begrundelse")
        self.genaabn_knap.on_click(lambda _b: self._handling(self.genaabn))
        self.relationer_html = w.HTML()
        self.tilknyt_sag = w.Text(description="Sag at kæde sammen med", placeholder="fx ABCD-1234",
                                  style={"description_width": "initial"}, layout=w.Layout(width="320px"))
        self.tilknyt_grund = w.Text(description="Begrundelse for sammenkædning", style={"description_width": "initial"},
                                    layout=w.Layout(width="420px"))
        self.tilknyt_knap = w.Button(description="Kæd sammen")
        self.tilknyt_knap.on_click(lambda _b: self._handling(self.tilknyt))
        fane_ark = w.VBox([
            self.ark_status,
            self.ark_gemt,
            self.ark_grund,
            w.HTML(_html("intro_visitering")),
            self.fredning,
            w.HBox([self.henlaeg_knap, self.partshoering_knap]),
            w.HTML(_html("intro_afgoerelse")),
            self.resultat, self.rytme, self.besparelse, self.tilbagebetaling, self.efterregulering, self.skat,
            self.aendring, self.politianmeldt, self.videresendt,
            self.afgoer_knap,
            w.HTML(_html("intro_noter")), self.noter_html, self.note_tekst, self.note_knap,
            w.HTML(_html("intro_genaabn")), w.HBox([self.genaabn_grund, self.genaabn_knap]),
            w.HTML(_html("intro_relationer")), self.relationer_html,
            w.HBox([self.tilknyt_sag, self.tilknyt_grund, self.tilknyt_knap]),
            w.HBox([self.pdf_knap, self.pdf_link], layout=w.Layout(flex_flow="row wrap")),
            self.ark_indhold,
        ])

        # feedbackliste
        self.feedback_alle = w.Checkbox(value=False, description="Vis også afsluttede sager", indent=False)
        self.feedback_tabel = w.HTML()
        self.feedback_sider = Sider(self.opdater_feedbackliste, self._handling)
        fstil = {"description_width": "initial"}
        self.feedback_sortering = w.Dropdown(description="Sortér efter", options=sorter_valg("feedbackliste"),
                                             value="siden:ned", style=fstil)
        self.feedback_sagsbehandler = w.Text(description="Sagsbehandler", placeholder="alle", style=fstil,
                                             layout=w.Layout(width="220px"))
        self.feedback_ydelse = w.Dropdown(description="Ydelse", options=[("Alle", "")] + YDELSE_VALG, value="",
                                          style=fstil)
        self.feedback_status = w.Dropdown(description="Status", options=STATUS_VALG, value="", style=fstil)
        self.feedback_fra = w.DatePicker(description="Fra", style=fstil)
        self.feedback_til = w.DatePicker(description="Til", style=fstil)
        self.feedback_filtrer_knap = w.Button(description="Filtrér")
        self.feedback_filtrer_knap.on_click(lambda _b: self._handling(lambda: self.opdater_feedbackliste(side=1)))
        for f in (self.feedback_sortering, self.feedback_ydelse, self.feedback_status):
            f.observe(lambda _c: self._handling(lambda: self.opdater_feedbackliste(side=1)), names="value")
        self.feedback_sag = w.Dropdown(description="Sag i partshøring", options=[],
                                       style={"description_width": "initial"}, layout=w.Layout(width="420px"))
        self.feedback_ark_knap = w.Button(description="Åbn kontrolark", button_style="primary")
        self.opdater_feedback_knap = w.Button(description="Opdater listen")
        self.feedback_alle.observe(lambda _c: self._handling(lambda: self.opdater_feedbackliste(side=1)),
                                   names="value")
        self.feedback_ark_knap.on_click(
            lambda _b: self._handling(lambda: self.aabn_kontrolark(self.feedback_sag.value)))
        self.opdater_feedback_knap.on_click(lambda _b: self._handling(self.opdater_feedbackliste))
        fane_feedback = w.VBox([
            w.HTML(_html("intro_feedbackliste")),
            self.feedback_alle,
            w.HBox([self.feedback_sagsbehandler, self.feedback_ydelse, self.feedback_status],
                   layout=w.Layout(flex_flow="row wrap")),
            w.HBox([self.feedback_fra, self.feedback_til, self.feedback_filtrer_knap],
                   layout=w.Layout(flex_flow="row wrap")),
            w.HBox([self.feedback_sag, self.feedback_ark_knap, self.opdater_feedback_knap]),
            w.HBox([self.feedback_sortering, self.feedback_sider.widget]),
            self.feedback_tabel,
        ])

        # person search and company cases
        self.soeg_felt = w.Text(description="CPR- eller CVR-nummer", placeholder="DDMMÅÅ-XXXX eller 8 cifre",
                                style=fstil, layout=w.Layout(width="420px"))
        self.soeg_knap = w.Button(description="Søg", button_style="primary")
        self.soeg_knap.on_click(lambda _b: self._handling(self.soeg))
        self.soeg_tabel = w.HTML()
        self.soeg_sag = w.Dropdown(description="Fundet sag", options=[], style=fstil, layout=w.Layout(width="420px"))
        self.soeg_ark_knap = w.Button(description="Åbn kontrolark", button_style="primary")
        self.soeg_ark_knap.on_click(lambda _b: self._handling(lambda: self.aabn_kontrolark(self.soeg_sag.value)))
        self.cvr = w.Text(description="CVR-nummer", style=fstil, layout=w.Layout(width="260px"))
        self.cvr_kommune = w.BoundedIntText(value=101, min=100, max=999, description="Kommunekode", style=fstil,
                                            layout=w.Layout(width="200px"))
        self.cvr_ydelse = w.Dropdown(description="Ydelse", options=YDELSE_VALG, value="kontanthjaelp", style=fstil)
        self.cvr_grund = w.Text(description="Begrundelse for kontrollen", style=fstil, layout=w.Layout(width="520px"))
        self.cvr_knap = w.Button(description="Opret virksomhedskontrol")
        self.cvr_knap.layout.width = "auto"
        self.cvr_knap.on_click(lambda _b: self._handling(self.opret_virksomhedssag))
        fane_soeg = w.VBox([
            w.HTML(_html("intro_soegning")),
            w.HBox([self.soeg_felt, self.soeg_knap]),
            self.soeg_tabel,
            w.HBox([self.soeg_sag, self.soeg_ark_knap]),
            w.HTML(_html("intro_virksomhed")),
            w.HBox([self.cvr, self.cvr_kommune, self.cvr_ydelse], layout=w.Layout(flex_flow="row wrap")),
            w.HBox([self.cvr_grund, self.cvr_knap]),
        ])

        self.faner = w.Tab(children=[fane_bestil, fane_prio, fane_ark, fane_feedback, fane_soeg], titles=list(FANER))
        self.faner.observe(self._fane_skiftet, names="selected_index")
        self.widget = w.VBox([self.hoved, self.formaal, self.besked, self.faner])
        self.widget.add_class("kontrol-visitering")

    # ---- messages --------------------------------------------------------------------------
    def _ok(self, tekst: str) -> None:
        self.fejl = None
        self.besked.value = _besked(tekst, "ok")

    def _info(self, tekst: str) -> None:
        self.fejl = None
        self.besked.value = _besked(tekst, "info")

    def _vis_fejl(self, tekst: str) -> None:
        self.fejl = tekst
        self.besked.value = _besked(tekst, "fejl")

    def _handling(self, fn: Callable[[], None]) -> None:
        """Run one user action; the store's Danish error is shown instead of a traceback."""
        try:
            fn()
        except KontrolFejl as e:
            self._vis_fejl(str(e))
            self._genlaes_status()
        except Exception as e:  # noqa: BLE001 - shown to the user, never as a traceback
            detalje = _LANGE_TAL.sub("**********", str(e).splitlines()[0] if str(e) else "")
            self._vis_fejl(f"Uventet fejl ({type(e).__name__}): {detalje}. Handlingen er muligvis ikke "
                           f"gennemført; opdater listen og kontrollér sagen.")

    def _genlaes_status(self) -> None:
        """After a refused step the open case may have been changed by someone else: show its
        current state (reading the state shows no personal data and is not logged)."""
        if self.aktuel_sag is None:
            return
        try:
            self._vis_status()
        except Exception:  # noqa: BLE001 - the error message already on screen is what matters
            pass

    def _fane_skiftet(self, change) -> None:
        if change["new"] == FANE_PRIO:
            self._handling(lambda: self.opdater_prioriteringsliste(side=1))
        elif change["new"] == FANE_FEEDBACK:
            self._handling(lambda: self.opdater_feedbackliste(side=1))
        elif change["new"] == FANE_BESTIL:
            self._handling(self.opdater_bestillingsliste)

    def _formaal_valgt(self, change) -> None:
        """A purpose chosen while a list tab is open shows that list (a showing for that purpose)."""
        if change["new"] is None:
            return
        self._info(f"Formål: {FORMAAL_TEKST.get(change['new'], change['new'])}. Det logges med hver visning.")
        if self.faner.selected_index in (FANE_PRIO, FANE_FEEDBACK):
            self._fane_skiftet({"new": self.faner.selected_index})

    # ---- purpose and refusals -----------------------------------------------------------------
    def _valgt_formaal(self) -> str | None:
        """The chosen purpose, or None: then nothing with personal data may be shown. A person
        without the role sagsbehandler is sent on to the store anyway, so that the attempt is
        refused there naming the role, and logged."""
        if self.formaal.value is None and SAGSBEHANDLER in self.roller:
            return None
        return self.formaal.value or ""

    def _vis_afvisning(self, tabel: w.HTML, dropdown: w.Dropdown, sider: Sider, fejl: KontrolFejl) -> None:
        """Nothing of the list stays on screen after a refusal (role or purpose)."""
        tabel.value = _html("afvist", tekst=str(fejl))
        _saet_valg(dropdown, [])
        sider.nulstil()

    # ---- the lists -------------------------------------------------------------------------
    def _filtre(self) -> dict:
        return {"ydelsesomraade": self.omraade.value or None,
                "fravaelg": [k for k, cb in self.fravalg.items() if cb.value]}

    def _idag(self) -> dt.date:
        """The business date of the registrations: ``dato``, else today (each time)."""
        return self.dato or dt.date.today()

    def opdater_bestillingsliste(self) -> pd.DataFrame:
        try:
            df = self.lager.bestillingsliste(bruger=self.bruger, **self._filtre())
        except AdgangNaegtet as e:
            self.bestillings_tabel.value = _html("afvist", tekst=str(e))
            raise
        self._bestillingsliste = df
        self._vis_bestillingsside(self.bestil_sider.side)
        return df

    def _vis_bestillingsside(self, side: int | None = None) -> None:
        """One page of the bestillingsliste, sorted as chosen; a case past its udloebsdato is
        marked expired (it cannot be ordered)."""
        df = self._bestillingsliste
        if df is None:
            return
        noegle, retning = self.bestil_sortering.value.split(":")
        idag = self._idag()
        udloebet = [d is not None and not pd.isna(d) and d < idag for d in df["udloebsdato"]]
        vis = df.assign(ydelsesomraade=[OMRAADE_TEKST.get(o, o) for o in df["ydelsesomraade"]],
                        udloebsdato=[f"{fmt_dato(d)} (udløbet)" if u else d for d, u in zip(df["udloebsdato"], udloebet)],
                        _udloebet=udloebet, _noegle=df[noegle])
        vis = vis.sort_values(["_noegle", "sag_id"] if noegle != "sag_id" else ["sag_id"], kind="stable",
                              ascending=[retning == "op"] + ([True] if noegle != "sag_id" else []))
        sider = max(1, -(-len(vis) // PR_SIDE))
        side = min(max(1, side or self.bestil_sider.side), sider)
        side_df = vis.iloc[(side - 1) * PR_SIDE: side * PR_SIDE]
        side_df.attrs.update(i_alt=len(vis), side=side, sider=sider)
        self.bestil_sider.vis(side_df)
        self.bestillings_tabel.value = _html(
            "bestillingsliste", antal=len(df), udloebne=sum(udloebet), svg_base64=_udloeb_svg_base64(df),
            tabel_data=_tabel_data(side_df, BESTILLINGSLISTE_VIS, "bestillingsliste",
                                   "Ingen udstillede sager med de valgte filtre.",
                                   udloebne={s for s, u in zip(side_df["sag_id"], side_df["_udloebet"]) if u}))

    def _side(self, hent: Callable[[int], pd.DataFrame], sider: Sider, side: int | None,
              tabel: w.HTML, dropdown: w.Dropdown, liste: str) -> pd.DataFrame | None:
        """One page of a list with cpr from the store (``side`` None: the page shown now). No
        purpose: nothing is fetched or shown. A refusal replaces the list. A page that no longer
        exists (the list got shorter) gives the first page."""
        formaal = self._valgt_formaal()
        if formaal is None:
            tabel.value = _html("vaelg_formaal", liste=liste)
            _saet_valg(dropdown, [])
            sider.nulstil()
            self._info(f"Vælg formålet (feltet Formål øverst), før {liste}n vises.")
            return None
        side = sider.side if side is None else side
        try:
            try:
                df = hent(side, formaal)
            except AdgangNaegtet:
                raise
            except KontrolFejl:
                if side == 1:
                    raise
                df = hent(1, formaal)             # the store refused the page before logging anything
        except KontrolFejl as e:
            self._vis_afvisning(tabel, dropdown, sider, e)
            raise
        sider.vis(df)
        return df

    def opdater_prioriteringsliste(self, side: int | None = None) -> pd.DataFrame | None:
        """The page ``side`` (None: the current page) of the prioriteringsliste, for the chosen
        purpose; only its rows are logged."""
        noegle, retning = self.prio_sortering.value.split(":")
        df = self._side(lambda n, f: self.lager.prioriteringsliste(self.bruger, formaal=f, side=n, pr_side=PR_SIDE,
                                                                   sorter=noegle, faldende=retning == "ned"),
                        self.prio_sider, side, self.prio_tabel, self.prio_sag, "prioriteringsliste")
        if df is None:
            return None
        self.prio_tabel.value = tabel(df.assign(bestilt_af=[brugertekst(v) for v in df["bestilt_af"]]),
                                      PRIORITERINGSLISTE_VIS, "prioriteringsliste",
                                      "Ingen bestilte sager på prioriteringslisten.")
        _saet_valg(self.prio_sag, [(f"{s} · {y}", s) for s, y in zip(df["sag_id"], df["ydelse"])])
        return df

    def opdater_feedbackliste(self, side: int | None = None) -> pd.DataFrame | None:
        """The page ``side`` (None: the current page) of the feedbackliste ("Vis også afsluttede
        sager": with every closed case), for the chosen purpose; only its rows are logged."""
        noegle, retning = self.feedback_sortering.value.split(":")
        filtre = {"sagsbehandler": self.feedback_sagsbehandler.value.strip() or None,
                  "ydelse": self.feedback_ydelse.value or None, "status": self.feedback_status.value or None,
                  "fra_dato": self.feedback_fra.value, "til_dato": self.feedback_til.value}
        if filtre["status"] and filtre["status"] != "partshoering" and not self.feedback_alle.value:
            self.feedback_alle.value = True        # a closed status is among the closed cases (observer refetches)
            return None
        df = self._side(lambda n, f: self.lager.feedbackliste(self.bruger, alle=self.feedback_alle.value, formaal=f,
                                                              side=n, pr_side=PR_SIDE, sorter=noegle,
                                                              faldende=retning == "ned", **filtre),
                        self.feedback_sider, side, self.feedback_tabel, self.feedback_sag, "feedbackliste")
        if df is None:
            return None
        vis = danske_navne(df)
        self.feedback_tabel.value = tabel(vis, FEEDBACKLISTE_VIS, "feedbackliste",
                                          "Ingen sager på feedbacklisten.")
        aabne = df[df["status"] == "partshoering"]
        _saet_valg(self.feedback_sag, [(f"{s} · {YDELSE_TEKST.get(y, y)}", s)
                                       for s, y in zip(aabne["sag_id"], aabne["ydelse"])])
        return df

    # ---- actions ---------------------------------------------------------------------------
    def bestil(self) -> list[str]:
        """Order the oldest cases (never an expired one: the store gets today's date); the result
        is shown next to the button and in the message line."""
        ids = self.lager.bestil(self.antal.value, self.bruger, dato=self._idag(), **self._filtre())
        self.opdater_bestillingsliste()
        if ids:
            tekst = (f"{len(ids)} {'sag er' if len(ids) == 1 else 'sager er'} bestilt og står nu på "
                     f"prioriteringslisten: {', '.join(ids)}.")
            self._ok(tekst)
            self.bestil_resultat.value = _html("resultat", linjer=[tekst], art="ok")
        else:
            tekst = "Ingen sager at bestille med de valgte filtre."
            df = self._bestillingsliste
            if df is not None and len(df) and all(d < self._idag() for d in df["udloebsdato"] if d is not None):
                tekst += " Sagerne på listen er udløbet og kan ikke bestilles."
            self._info(tekst)
            self.bestil_resultat.value = _html("resultat", linjer=[tekst], art="info")
        return ids

    def aabn_kontrolark(self, sag_id: str | None) -> None:
        if not sag_id:
            raise KontrolFejl("Vælg en sag på listen først")
        formaal = self._valgt_formaal()
        if formaal is None:
            raise KontrolFejl("Vælg formålet (feltet Formål øverst), før kontrolarket vises")
        self._vis_ark(sag_id, formaal)
        self.ark_gemt.value = ""
        self.faner.selected_index = FANE_ARK
        self._info(f"Kontrolark for sag {sag_id} er åbnet (visningen er logget med formålet "
                   f"{FORMAAL_TEKST.get(formaal, formaal).lower()}).")

    def dan_pdf(self) -> bytes:
        """The open kontrolark as PDF (WeasyPrint, offline), offered as a download link."""
        if self._ark is None:
            raise KontrolFejl("Åbn et kontrolark først (fra prioriteringslisten eller feedbacklisten)")
        pdf = self._ark.pdf()
        self.pdf_link.value = _html("pdf_link", sag_id=self.aktuel_sag,
                                    pdf_base64=base64.b64encode(pdf).decode("ascii"))
        return pdf

    def _vis_ark(self, sag_id: str | None = None, formaal: str | None = None) -> None:
        """(Re)read a case's kontrolark through the store (a showing, logged with the purpose;
        default: the open case and the purpose it was opened for) and show it with its reason
        first, its notes and its links: status line, history and form always show the same state."""
        sag_id = sag_id or self.aktuel_sag
        formaal = formaal or self._ark_formaal
        ark = self.lager.kontrolark(sag_id, self.bruger, formaal=formaal)
        self.aktuel_sag, self._ark_formaal, self._ark = sag_id, formaal, ark
        self.ark_grund.value = _html("naermere_oplysninger", udfald=[
            {"titel": u.get("regel_titel"), "tekst": u.get("oplysninger"), "dato": _tekst(u.get("haendelsesdato"))}
            for u in ark.udfald])
        self.ark_indhold.value = ark_ramme(sag_id, ark.html())
        self.pdf_link.value = ""
        status = ark.sag["status"]
        self.ark_status.value = _html("status", sag_id=sag_id, status=status, tekst=STATUSTEKST.get(status, status))
        self._vis_noter()
        self._vis_relationer()

    def _vis_noter(self) -> None:
        noter = self.lager.noter(self.aktuel_sag, self.bruger, formaal=self._ark_formaal)
        self.noter_html.value = tabel(danske_navne(noter.assign(sag_id=self.aktuel_sag)), NOTER_VIS, "noter",
                                      "Ingen notater på sagen.")

    def _vis_relationer(self) -> None:
        rel = self.lager.relationer(self.aktuel_sag, self.bruger)
        self.relationer_html.value = tabel(danske_navne(rel), RELATIONER_VIS, "relationer", "Ingen sammenkædede sager.")

    def _vis_gemt(self, overskrift: str) -> None:
        """What the last action stored, read back from the store: the case's newest history
        row and, for a decision, its amounts."""
        h = self._ark.historik[-1]
        beloeb = [b for b in self._ark.beloeb if b["overgang_id"] == h["id"]]
        linjer = [f"{STATUSTEKST.get(h['til'], h['til'])} den {fmt_dato(h['dato'])} af {brugertekst(h['bruger'])} "
                  f"(registreret {lokal_tid(h['tid'])})."]
        for b in beloeb:
            dele = [f"{navn} {kr_tekst(b[k])}" for k, navn in (
                ("besparelse_oere", "besparelse"), ("tilbagebetalingskrav_oere", "tilbagebetalingskrav"),
                ("efterregulering_oere", "efterregulering"), ("skat_oere", "skat")) if b[k] is not None]
            if b["besparelse_rytme"]:
                dele.append(f"rytme {RYTME_TEKST.get(b['besparelse_rytme'], b['besparelse_rytme'])}")
            if b["aendring"]:
                dele.append(AENDRING_TEKST.get(b["aendring"], b["aendring"]))
            if dele:
                linjer.append(f"{YDELSE_TEKST.get(b['ydelse'], b['ydelse'])}: {', '.join(dele)}.")
        self.ark_gemt.value = _html("gemt", overskrift=overskrift, linjer=linjer)

    def _vis_status(self) -> None:
        status = self.lager.status(self.aktuel_sag)
        self.ark_status.value = _html("status", sag_id=self.aktuel_sag, status=status,
                                      tekst=STATUSTEKST.get(status, status))

    def _kraev_sag(self) -> str:
        if not self.aktuel_sag:
            raise KontrolFejl("Åbn et kontrolark først (fra prioriteringslisten eller feedbacklisten)")
        return self.aktuel_sag

    def _fredning(self) -> int | None:
        v = self.fredning.value.strip()
        if not v:
            return None
        if not v.isdigit():
            raise KontrolFejl(f"Fredningsperioden skal være et helt antal måneder, ikke '{v}'")
        return int(v)

    def visiter(self, beslutning: str) -> None:
        sag = self._kraev_sag()
        til = self.lager.visiter(sag, self.bruger, beslutning, dato=self.dato, fredningsperiode=self._fredning())
        self.fredning.value = ""
        self._vis_ark()
        self._vis_gemt(f"Gemt: sag {sag} er {STATUSTEKST.get(til, til)}")
        self._ok(f"Sag {sag}: {STATUSTEKST.get(til, til)}.")

    def genbestil(self) -> None:
        sag = self.prio_sag.value
        if not sag:
            raise KontrolFejl("Vælg en sag på prioriteringslisten først")
        self.lager.genbestil(sag, self.bruger, dato=self.dato)
        self.opdater_prioriteringsliste()
        self._ok(f"Sag {sag} er lagt tilbage på bestillingslisten.")

    def _beloeb(self) -> Beloeb | None:
        felter = {"besparelse_rytme": self.rytme.value, "besparelse_beloeb": self.besparelse.value,
                  "tilbagebetalingskrav": self.tilbagebetaling.value, "efterregulering": self.efterregulering.value,
                  "skat": self.skat.value, "aendring": self.aendring.value,
                  "politianmeldt": self.politianmeldt.value, "videresendt_til": self.videresendt.value}
        felter = {k: (v.strip() or None) for k, v in felter.items()}
        if all(v is None for v in felter.values()):
            return None
        return Beloeb(**felter)

    def afgoer(self) -> None:
        sag = self._kraev_sag()
        resultat = self.resultat.value
        self.lager.afgoer(sag, self.bruger, resultat, self._beloeb(), dato=self.dato,
                          fredningsperiode=self._fredning())
        for f in self._beloebsfelter:
            f.value = ""
        self.rytme.value = self.aendring.value = self.politianmeldt.value = ""
        self.fredning.value = ""
        self._vis_ark()
        self._vis_gemt(f"Gemt: sag {sag} er {STATUSTEKST.get(resultat, resultat)}")
        self._ok(f"Sag {sag}: {STATUSTEKST.get(resultat, resultat)}. Afgørelsen er registreret.")

    # ---- notes, reopening, links (the open case) ------------------------------------------------
    def skriv_note(self) -> None:
        sag = self._kraev_sag()
        self.lager.skriv_note(sag, self.note_tekst.value, self.bruger)
        self.note_tekst.value = ""
        self._vis_noter()
        self._ok(f"Notatet er gemt på sag {sag}.")

    def genaabn(self) -> None:
        sag = self._kraev_sag()
        til = self.lager.genaabn(sag, self.genaabn_grund.value, self.bruger, dato=self.dato)
        self.genaabn_grund.value = ""
        self._vis_ark()
        self._vis_gemt(f"Gemt: sag {sag} er genåbnet og er nu {STATUSTEKST.get(til, til)}")
        self._ok(f"Sag {sag} er genåbnet: {STATUSTEKST.get(til, til)}.")

    def tilknyt(self) -> None:
        sag = self._kraev_sag()
        anden = self.tilknyt_sag.value.strip().upper()
        if not anden:
            raise KontrolFejl("Skriv sagsnummeret på den sag, der skal kædes sammen med denne")
        self.lager.tilknyt(sag, anden, self.tilknyt_grund.value, self.bruger)
        self.tilknyt_sag.value = self.tilknyt_grund.value = ""
        self._vis_relationer()
        self._ok(f"Sag {sag} er kædet sammen med sag {anden}.")

    # ---- person search and company cases -----------------------------------------------------------
    def soeg(self) -> pd.DataFrame | None:
        """Every case of the person (CPR) or company (CVR) typed, for the chosen purpose; the
        cases shown are logged by the store."""
        formaal = self._valgt_formaal()
        if formaal is None:
            self.soeg_tabel.value = _html("vaelg_formaal", liste="personsøgning")
            _saet_valg(self.soeg_sag, [])
            raise KontrolFejl("Vælg formålet (feltet Formål øverst), før der søges")
        try:
            df = self.lager.find_person(self.soeg_felt.value, self.bruger, formaal=formaal)
        except KontrolFejl as e:
            self.soeg_tabel.value = _html("afvist", tekst=str(e))
            _saet_valg(self.soeg_sag, [])
            raise
        vis = danske_navne(df)
        self.soeg_tabel.value = _html("soegeresultat", antal=len(df), aabne=int(df["status"].isin(AABNE_STATUS).sum()),
                                      tabel_data=_tabel_data(vis, SOEGNING_VIS, "personsoegning",
                                                             "Ingen sager for dette nummer."))
        _saet_valg(self.soeg_sag, [(f"{s} · {YDELSE_TEKST.get(y, y)} · {STATUSTEKST.get(t, t)}", s)
                                   for s, y, t in zip(df["sag_id"], df["ydelse"], df["status"])])
        self._info(f"{len(df)} {'sag' if len(df) == 1 else 'sager'} fundet (visningen er logget med formålet "
                   f"{FORMAAL_TEKST.get(formaal, formaal).lower()}).")
        return df

    def opret_virksomhedssag(self) -> str:
        sag, dubletter = self.lager.opret_virksomhedssag(self.cvr.value, self.cvr_kommune.value, self.cvr_ydelse.value,
                                                         self.cvr_grund.value, self.bruger, dato=self.dato)
        self.cvr.value = self.cvr_grund.value = ""
        tekst = f"Virksomhedskontrol oprettet som sag {sag} og lagt på prioriteringslisten."
        if dubletter:
            tekst += " Advarsel: " + " ".join(f"samme virksomhed og ydelse har allerede en åben sag "
                                              f"({', '.join(d['aabne'])})." for d in dubletter)
            self._info(tekst)
        else:
            self._ok(tekst)
        return sag
