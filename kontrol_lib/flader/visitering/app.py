"""The caseworker's visitation app: ipywidgets over :class:`~kontrol_lib.sager.SagsLager`.

``VisiteringsApp(db_url)`` builds four tabs — Bestillingsliste, Prioriteringsliste,
Kontrolark, Feedbackliste — whose buttons call exactly the store's workflow API
(``bestillingsliste``, ``bestil``, ``prioriteringsliste``, ``kontrolark``, ``visiter``,
``afgoer``, ``genbestil``, ``feedbackliste``). The app holds no workflow logic: which transition
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
from sqlalchemy.engine import make_url

from kontrol_lib.vokabular.steder import known_kle
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.format import dato as fmt_dato
from kontrol_lib.rapporter import visning
from kontrol_lib.sager import Beloeb, SagsLager
from kontrol_lib.sager.roller import AdgangNaegtet
from kontrol_lib.vokabular.koder import STATUSTEKST
from kontrol_lib.vokabular.koder import (AENDRING_TEKST, FORMAAL_TEKST, IDENTITET_TEKST, KONTROLTYPE_TEKST,
                                         KONTROLTYPER, ROLLER, RYTME_TEKST, YDELSESOMRAADE_TEKST as OMRAADE_TEKST)
from kontrol_lib.vokabular.html import makro

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
FEEDBACKLISTE_VIS = {"sag_id": "Sag", "cpr": "CPR-nummer", "ydelse": "Ydelse", "kontroltrin": "Kontroltrin",
                     "status": "Status", "siden": "Siden", "registreret_af": "Registreret af"}

FANER = ("Bestillingsliste", "Prioriteringsliste", "Kontrolark", "Feedbackliste")
FANE_BESTIL, FANE_PRIO, FANE_ARK, FANE_FEEDBACK = range(4)

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


def _tekst(v) -> str:
    if v is None or (not isinstance(v, (str, list, tuple, dict)) and pd.isna(v)):
        return ""
    if isinstance(v, dt.datetime):
        return fmt_dato(v.date())
    if isinstance(v, dt.date):
        return fmt_dato(v)
    return str(v)


def _tabel_data(df: pd.DataFrame, kolonner: dict[str, str], liste: str, tom: str) -> dict:
    return {"kolonner": list(kolonner.items()), "liste": liste, "tom": tom,
            "raekker": [{"sag": str(rec["sag_id"]), "celler": [(k, _tekst(rec.get(k))) for k in kolonner]}
                        for rec in df.to_dict("records")]}


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
        lager_navn = make_url(self.lager.url).render_as_string(hide_password=True)
        self.hoved = w.HTML(_html(
            "hoved", bruger=self.person.navn, identitet=IDENTITET_TEKST.get(self.person.kilde, self.person.kilde),
            roller=[r for r in ROLLER if r in self.roller], sagsbehandler=SAGSBEHANDLER in self.roller,
            sagslager=lager_navn))
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
        fane_bestil = w.VBox([
            w.HTML(_html("intro_bestillingsliste")),
            self.omraade,
            w.HTML(_html("fravalg")),
            w.HBox(list(self.fravalg.values()), layout=w.Layout(flex_flow="row wrap")),
            self.bestillings_tabel,
            w.HBox([self.antal, self.bestil_knap, self.opdater_bestil_knap]),
        ])

        # prioriteringsliste
        self.prio_tabel = w.HTML()
        self.prio_sider = Sider(self.opdater_prioriteringsliste, self._handling)
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
            self.prio_tabel,
            self.prio_sider.widget,
            w.HBox([self.prio_sag, self.prio_ark_knap, self.genbestil_knap, self.opdater_prio_knap]),
        ])

        # kontrolark + decisions
        self.ark_status = w.HTML(_html("intet_kontrolark"))
        self.ark_indhold = w.HTML()
        self._ark = None
        self.pdf_knap = w.Button(description="Dan PDF til journalisering")
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
        fane_ark = w.VBox([
            self.ark_status,
            self.ark_indhold,
            w.HBox([self.pdf_knap, self.pdf_link]),
            w.HTML(_html("intro_visitering")),
            self.fredning,
            w.HBox([self.henlaeg_knap, self.partshoering_knap]),
            w.HTML(_html("intro_afgoerelse")),
            self.resultat, self.rytme, self.besparelse, self.tilbagebetaling, self.efterregulering, self.skat,
            self.aendring, self.politianmeldt, self.videresendt,
            self.afgoer_knap,
        ])

        # feedbackliste
        self.feedback_alle = w.Checkbox(value=False, description="Vis også afsluttede sager", indent=False)
        self.feedback_tabel = w.HTML()
        self.feedback_sider = Sider(self.opdater_feedbackliste, self._handling)
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
            self.feedback_tabel,
            self.feedback_sider.widget,
            w.HBox([self.feedback_sag, self.feedback_ark_knap, self.opdater_feedback_knap]),
        ])

        self.faner = w.Tab(children=[fane_bestil, fane_prio, fane_ark, fane_feedback], titles=list(FANER))
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

    def opdater_bestillingsliste(self) -> pd.DataFrame:
        try:
            df = self.lager.bestillingsliste(bruger=self.bruger, **self._filtre())
        except AdgangNaegtet as e:
            self.bestillings_tabel.value = _html("afvist", tekst=str(e))
            raise
        vis = df.assign(ydelsesomraade=[OMRAADE_TEKST.get(o, o) for o in df["ydelsesomraade"]])
        self.bestillings_tabel.value = _html(
            "bestillingsliste", antal=len(df), svg_base64=_udloeb_svg_base64(df),
            tabel_data=_tabel_data(vis, BESTILLINGSLISTE_VIS, "bestillingsliste",
                                   "Ingen udstillede sager med de valgte filtre."))
        return df

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
        df = self._side(lambda n, f: self.lager.prioriteringsliste(self.bruger, formaal=f, side=n, pr_side=PR_SIDE),
                        self.prio_sider, side, self.prio_tabel, self.prio_sag, "prioriteringsliste")
        if df is None:
            return None
        self.prio_tabel.value = tabel(df, PRIORITERINGSLISTE_VIS, "prioriteringsliste",
                                      "Ingen bestilte sager på prioriteringslisten.")
        _saet_valg(self.prio_sag, [(f"{s} · {y}", s) for s, y in zip(df["sag_id"], df["ydelse"])])
        return df

    def opdater_feedbackliste(self, side: int | None = None) -> pd.DataFrame | None:
        """The page ``side`` (None: the current page) of the feedbackliste ("Vis også afsluttede
        sager": with every closed case), for the chosen purpose; only its rows are logged."""
        df = self._side(lambda n, f: self.lager.feedbackliste(self.bruger, alle=self.feedback_alle.value, formaal=f,
                                                              side=n, pr_side=PR_SIDE),
                        self.feedback_sider, side, self.feedback_tabel, self.feedback_sag, "feedbackliste")
        if df is None:
            return None
        vis = df.assign(status=[STATUSTEKST.get(s, s) for s in df["status"]])
        self.feedback_tabel.value = tabel(vis, FEEDBACKLISTE_VIS, "feedbackliste",
                                          "Ingen sager på feedbacklisten.")
        aabne = df[df["status"] == "partshoering"]
        _saet_valg(self.feedback_sag, [(f"{s} · {y}", s) for s, y in zip(aabne["sag_id"], aabne["ydelse"])])
        return df

    # ---- actions ---------------------------------------------------------------------------
    def bestil(self) -> list[str]:
        ids = self.lager.bestil(self.antal.value, self.bruger, dato=self.dato, **self._filtre())
        self.opdater_bestillingsliste()
        if ids:
            self._ok(f"{len(ids)} {'sag er' if len(ids) == 1 else 'sager er'} bestilt og står nu på "
                     f"prioriteringslisten: {', '.join(ids)}.")
        else:
            self._info("Ingen sager at bestille med de valgte filtre.")
        return ids

    def aabn_kontrolark(self, sag_id: str | None) -> None:
        if not sag_id:
            raise KontrolFejl("Vælg en sag på listen først")
        formaal = self._valgt_formaal()
        if formaal is None:
            raise KontrolFejl("Vælg formålet (feltet Formål øverst), før kontrolarket vises")
        ark = self.lager.kontrolark(sag_id, self.bruger, formaal=formaal)
        self.aktuel_sag = sag_id
        self._ark = ark
        self.ark_indhold.value = ark_ramme(sag_id, ark.html())
        self.pdf_link.value = ""
        self._vis_status()
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
        self._vis_status()
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
        self._vis_status()
        self._ok(f"Sag {sag}: {STATUSTEKST.get(resultat, resultat)}. Afgørelsen er registreret.")
