"""The register contract of ``spec/registre.md``, declared once.

Every table of a data folder is described here: its columns, their kinds and domains, and the
row-level checks that span columns. The loader (:mod:`kontrol_lib.registre`), the validator
(``kontrol valider``), the synthetic generator and the docs all read this module; nothing else
lists the columns again.

Kinds (how a text cell is read):

========== ==================================================================================
kind       reading
========== ==================================================================================
cpr        10 digits, ``DDMMYY-SSSS`` accepted; the first six digits must be a real date
           (century from the 7th digit). Modulus 11 is not required.
cvr        8 digits
kle        ``NN.NN.NN``; where a domain is given, the number must be in it
kommune    1-4 digits, read as an integer (``0151`` is 151), must be a known municipality
date       ``YYYY-MM-DD``, ``DD-MM-YYYY`` or ``DD.MM.YYYY``, within a plausible range
amount     kroner with at most two decimals; decimal comma or point (see registre.md); within a
           plausible range
int        a whole number, optionally within a closed range
code       one of a fixed set of texts
digits     a fixed number of digits (branchekode: 6)
text       any non-empty text
========== ==================================================================================

Plausible ranges: a date or an amount outside its column's range (``domain``; default
:data:`DATO_INTERVAL` and :data:`BELOEB_INTERVAL`) is an error like any unparseable value, so a
``0001-01-01``, a ``9999-12-31`` or a 16-digit amount never reaches the rules or the KL export.
The ranges are part of the contract (like the ranges of whole numbers) and of its generated page;
a column that needs another range says so in its ``domain``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from kontrol_lib.vokabular.steder import known_kle

DATO_INTERVAL: tuple[dt.date, dt.date] = (dt.date(1900, 1, 1), dt.date(2099, 12, 31))
"""The plausible range of every date column without its own ``domain``."""
FOEDSELSDATO_INTERVAL: tuple[dt.date, dt.date] = (dt.date(1858, 1, 1), DATO_INTERVAL[1])
"""Birth dates go back to the oldest date a CPR number can carry (1858)."""
BELOEB_INTERVAL: tuple[Decimal, Decimal] = (Decimal("-999999999.99"), Decimal("999999999.99"))
"""The plausible range of every amount without its own ``domain``: under one milliard kroner."""

@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    description: str
    optional: bool = False          # the column must be present but a cell may be empty
    domain: tuple | None = None     # allowed values (code, kle) or (low, high) for int, date, amount
    nonnegative: bool = False       # amounts that can never be negative
    digits: int | None = None       # for kind "digits"

    def interval(self) -> tuple | None:
        """(low, high), both included: the ``domain`` of an int, date or amount column, with the
        contract's default range for dates and amounts."""
        if self.kind == "date":
            return self.domain or DATO_INTERVAL
        if self.kind == "amount":
            return self.domain or BELOEB_INTERVAL
        if self.kind == "int":
            return self.domain
        return None


@dataclass(frozen=True)
class RowCheck:
    """A check over several columns of one row. ``sql`` is true for a GOOD row."""
    name: str
    sql: str
    column: str          # the column the error is reported on
    message: str         # Danish


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()       # columns that must be unique together (besides full-row duplicates)
    row_checks: tuple[RowCheck, ...] = field(default=())
    # Identical rows are an error, except in payment tables where two equal lines (same payer,
    # date and amount) are two real payments and are added up by the rules.
    whole_row_unique: bool = True

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


KIND_TEXT = {  # Danish descriptions used in the docs and in error messages
    "cpr": "CPR-nummer (10 cifre, DDMMÅÅ-SSSS accepteres)",
    "cvr": "CVR-nummer (8 cifre)",
    "kle": "KLE-nummer (NN.NN.NN)",
    "kommune": "kommunekode (3 cifre)",
    "date": "dato (ÅÅÅÅ-MM-DD, DD-MM-ÅÅÅÅ eller DD.MM.ÅÅÅÅ)",
    "amount": "beløb i kr. (højst to decimaler)",
    "int": "heltal",
    "code": "kode",
    "digits": "cifre",
    "text": "tekst",
}


def _kle_domain() -> tuple:
    return tuple(known_kle()["kle"])


HAENDELSER = ("vielse", "skilsmisse", "separation", "enkestand")
STATUSER = ("udrejst", "groenland", "inaktiv", "forsvundet", "cpr_aendret", "cpr_annulleret",
            "cpr_slettet")


def _tables() -> dict[str, Table]:
    kle = _kle_domain()
    t = [
        Table("ydelsessager", "Ydelsesmodtagerens (YM) ydelsessager", (
            Column("cpr", "cpr", "Ydelsesmodtagerens CPR-nummer"),
            Column("kommunekode", "kommune", "Kommunen, der har sagen"),
            Column("kle", "kle", "Sagens KLE-nummer", domain=kle),
            Column("oprettet", "date", "Sagens oprettelsesdato"),
            Column("ophoert", "date", "Sagens ophørsdato; tom = aktiv", optional=True),
        ), row_checks=(
            RowCheck("ophoert_efter_oprettet", "ophoert IS NULL OR ophoert >= oprettet", "ophoert",
                     "ophørsdato ligger før oprettelsesdato"),
        )),
        Table("udbetalinger", "Udbetalinger på sagerne", (
            Column("cpr", "cpr", "Ydelsesmodtagerens CPR-nummer"),
            Column("kle", "kle", "KLE-nummer for udbetalingen", domain=kle),
            Column("udbetalingsdato", "date", "Udbetalingsdato"),
            Column("beloeb", "amount", "Udbetalt beløb (kan være negativt ved regulering)"),
        ), whole_row_unique=False),
        Table("personer", "CPR-persondata", (
            Column("cpr", "cpr", "CPR-nummer"),
            Column("foedselsdato", "date", "Fødselsdato", domain=FOEDSELSDATO_INTERVAL),
            Column("doedsdato", "date", "Dødsdato; tom = i live", optional=True),
        ), key=("cpr",), row_checks=(
            RowCheck("doed_efter_foedsel", "doedsdato IS NULL OR doedsdato >= foedselsdato", "doedsdato",
                     "dødsdato ligger før fødselsdato"),
        )),
        Table("relationer", "Forælder → barn", (
            Column("cpr", "cpr", "Forælderens CPR-nummer"),
            Column("barn_cpr", "cpr", "Barnets CPR-nummer"),
        ), row_checks=(
            RowCheck("ikke_eget_barn", "cpr <> barn_cpr", "barn_cpr", "en person kan ikke være sit eget barn"),
        )),
        Table("adresser", "Adressehistorik", (
            Column("cpr", "cpr", "CPR-nummer"),
            Column("adresse_id", "text", "Adressens nøgle"),
            Column("kommunekode", "kommune", "Adressens kommune"),
            Column("fra_dato", "date", "Første dag på adressen"),
            Column("til_dato", "date", "Sidste dag på adressen; tom = nuværende", optional=True),
        ), row_checks=(
            RowCheck("til_efter_fra", "til_dato IS NULL OR til_dato >= fra_dato", "til_dato",
                     "til_dato ligger før fra_dato"),
        )),
        Table("adressetekster", "Valgfri: adresserne som tekst, som DAR (Danmarks Adresseregister) giver dem; "
                                "kontrolarket viser adressen som tekst, hvor udtrækket har den, ellers adressens "
                                "nøgle", (
            Column("adresse_id", "text", "Adressens nøgle (som i adresser)"),
            Column("vejnavn", "text", "Vejnavn"),
            Column("husnr", "text", "Husnummer: 1-999, evt. med et stort bogstav (fx 17B)"),
            Column("etage", "text", "Etage (fx st, kl, 1, 2); tom = ingen etage", optional=True),
            Column("doer", "text", "Dør (fx th, tv, mf, 3); tom = ingen dør", optional=True),
            Column("postnr", "digits", "Postnummer (4 cifre)", digits=4),
            Column("postdistrikt", "text", "Postdistriktets navn"),
        ), key=("adresse_id",), row_checks=(
            RowCheck("husnr_form", "regexp_full_match(husnr, '[1-9][0-9]{0,2}[A-Z]?')", "husnr",
                     "husnummeret er ikke 1-999 med evt. et stort bogstav"),
        )),
        Table("civilstand", "Civilstandshændelser (hver ægtefælle har sine egne rækker)", (
            Column("cpr", "cpr", "CPR-nummer"),
            Column("haendelse", "code", "vielse, skilsmisse, separation eller enkestand", domain=HAENDELSER),
            Column("dato", "date", "Hændelsesdato"),
            Column("aegtefaelle_cpr", "cpr", "Ægtefællens CPR-nummer (krævet ved vielse og separation)",
                   optional=True),
        ), row_checks=(
            RowCheck("aegtefaelle_kraevet",
                     "NOT (haendelse IN ('vielse', 'separation') AND aegtefaelle_cpr IS NULL)",
                     "aegtefaelle_cpr", "ægtefællens CPR-nummer skal udfyldes ved vielse og separation"),
        )),
        Table("borgerstatus", "CPR-statusændringer", (
            Column("cpr", "cpr", "CPR-nummer"),
            Column("status", "code", ", ".join(STATUSER), domain=STATUSER),
            Column("dato", "date", "Dato for statusændringen"),
        )),
        Table("eindkomst", "eIndkomst-linjer", (
            Column("cpr", "cpr", "Indkomstmodtagerens CPR-nummer"),
            Column("indberetter_cvr", "cvr", "Indberetterens (arbejdsgiverens) CVR-nummer"),
            Column("branchekode", "digits", "Indberetterens branchekode (DB07, 6 cifre)", digits=6),
            Column("indkomsttype", "int", "0 løn, 1 offentlig ydelse, 4 anden personlig indkomst, 5 B-indkomst",
                   domain=(0, 99)),
            Column("udbetalingsdato", "date", "Udbetalingsdato"),
            Column("beloeb", "amount", "Beløb (negativt ved korrektion)"),
        ), whole_row_unique=False),
        Table("biler", "R75-biloplysninger", (
            Column("cpr", "cpr", "CPR-nummer"),
            Column("stelnummer", "text", "Stelnummer"),
            Column("handel", "code", "koeb eller salg", domain=("koeb", "salg")),
            Column("handelsdato", "date", "Dato for handlen"),
            Column("foerste_registrering", "date", "Bilens første registreringsdato"),
            Column("ejerbrugerkode", "int", "Ejer-/brugerkode", domain=(0, 99)),
            Column("r75_indeks", "int", "R75-indeks (7500100 = privatbil)", domain=(0, 99999999)),
        )),
        Table("virksomheder", "CVR: virksomheder stiftet/ejet af personen", (
            Column("cvr", "cvr", "Virksomhedens CVR-nummer"),
            Column("cpr", "cpr", "Stifterens/ejerens CPR-nummer"),
            Column("stiftelsesdato", "date", "Stiftelsesdato"),
        )),
        Table("moms", "R75-momsfelter pr. kvartal", (
            Column("cpr", "cpr", "CPR-nummer"),
            Column("cvr", "cvr", "Virksomhedens CVR-nummer"),
            Column("aar", "int", "Indkomstår", domain=(1900, 2100)),
            Column("r75_indeks", "int", "R75-indeks (4200501-4200504 = moms og afgifter i alt, kvartal 1-4)",
                   domain=(0, 99999999)),
            Column("beloeb", "amount", "Beløb (kan være negativt)"),
            Column("indberetningsdato", "date", "Indberetningsdato"),
        )),
        Table("bidragssager", "UDK-bidragssager", (
            Column("cpr", "cpr", "CPR-nummer"),
            Column("rolle", "code", "bidragsmodtager eller bidragsbetaler",
                   domain=("bidragsmodtager", "bidragsbetaler")),
            Column("kle", "kle", "Bidragssagens KLE-nummer", domain=kle),
            Column("oprettet", "date", "Oprettelsesdato"),
        )),
        Table("feriekonto", "Anmodninger om feriepenge (ATP Feriekonto)", (
            Column("cpr", "cpr", "CPR-nummer"),
            Column("anmodningsdato", "date", "Dato for anmodningen"),
            Column("foerste_feriedag", "date", "Første feriedag"),
            Column("beloeb", "amount", "Anmodet beløb", nonnegative=True),
            Column("forventet_udbetaling", "date", "Forventet udbetalingsdato"),
        )),
        Table("kommuner", "Valgfri: overstyrer den medfølgende liste over de 98 kommuner", (
            Column("kommunekode", "kommune", "Kommunekode"),
            Column("paragraf10_aktiveringsdato", "date", "Dato for aktivering af § 10-opfølgning",
                   optional=True),
            Column("cvr", "cvr", "Kommunens CVR-nummer", optional=True),
        ), key=("kommunekode",)),
    ]
    return {x.name: x for x in t}


TABLES: dict[str, Table] = _tables()


def table(name: str) -> Table:
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"Ukendt tabel: {name}") from None


def contract_markdown() -> str:
    """The contract as a Markdown page (docs/registre.md is generated from this)."""
    lines = ["# Registerkontrakten", "",
             "Genereret fra `kontrol_lib/registre/kontrakt.py` (`kontrol kontrakt`). Rediger ikke i hånden.", ""]
    for t in TABLES.values():
        lines += [f"## `{t.name}`", "", t.description, "",
                  "| kolonne | type | må være tom | betydning |", "|---|---|---|---|"]
        for c in t.columns:
            kind = KIND_TEXT[c.kind]
            if c.kind == "code" and c.domain:
                kind += ": " + ", ".join(c.domain)
            if c.kind == "int" and c.domain:
                kind += f" ({c.domain[0]}–{c.domain[1]})"
            if c.kind == "date":
                lo, hi = c.interval()
                kind += f", fra {lo.isoformat()} til {hi.isoformat()}"
            if c.kind == "amount":
                lo, hi = c.interval()
                kind += f", fra {kr_tekst(lo)} til {kr_tekst(hi)}"
            if c.kind == "kle" and c.domain:
                kind += " (kendt KLE, se `kontrol_lib/vokabular/data/kle.csv`)"
            if c.nonnegative:
                kind += ", ikke negativt"
            lines.append(f"| {c.name} | {kind} | {'ja' if c.optional else 'nej'} | {c.description} |")
        extra = []
        if t.key:
            extra.append(f"Unik nøgle: {', '.join(t.key)}.")
        for rc in t.row_checks:
            extra.append(f"Rækketjek: {rc.message} er en fejl.")
        if extra:
            lines += [""] + extra
        lines.append("")
    lines += ["Fuldstændigt ens rækker er en fejl (den anden forekomst rapporteres), undtagen i "
              "`udbetalinger` og `eindkomst`: dér er to ens linjer to betalinger, og reglerne lægger dem sammen.",
              ""]
    lines += LAESEREGLER
    return "\n".join(lines)


def kr_tekst(beloeb: Decimal) -> str:
    """An amount the Danish way: ``-999.999.999,99``."""
    tekst = f"{beloeb:,.2f}"
    return tekst.replace(",", "_").replace(".", ",").replace("_", ".")


LAESEREGLER = [
    "## Hvad der afvises ved indlæsningen",
    "",
    "Hver fejl nævner fil, række, kolonne og værdi (CPR-numre vises kun med de første seks cifre), "
    "og alle fejl i mappen vises på én gang; intet bliver stille til en tom værdi.",
    "",
    "- **Datoer og beløb uden for det plausible interval** (se kolonnerne ovenfor; som standard "
    f"datoer fra {DATO_INTERVAL[0].isoformat()} til {DATO_INTERVAL[1].isoformat()}, fødselsdatoer fra "
    f"{FOEDSELSDATO_INTERVAL[0].isoformat()}, og beløb fra {kr_tekst(BELOEB_INTERVAL[0])} til "
    f"{kr_tekst(BELOEB_INTERVAL[1])} kr.), fx 0001-01-01, 9999-12-31 eller et beløb med 16 cifre.",
    "- **Værdier, der ikke kan læses**: en kommunekode som `abc`, `=1+1` eller med et usynligt tegn "
    "(BOM) foran, et beløb med for mange cifre; usynlige tegn vises i fejlen som `\\ufeff`.",
    "- **Blandede tegnsæt**: en CSV-fil skal være enten UTF-8 eller Windows-1252 hele vejen igennem. "
    "En UTF-8-fil med et enkelt Windows-1252-tegn afvises med den linje, hvor tegnet står (filen "
    "læses ikke om i et andet tegnsæt). Et tegn, som ikke findes i Windows-1252, afvises også.",
    "- **Binære data**: en CSV-fil med NUL-byte (fx tilfældige bytes) afvises med linjen.",
    "- **Rækker, der ikke kan læses** (for mange eller for få felter, anførselstegn, en række over "
    "2 MB): hver række nævnes én gang, og de følgende rækker beholder deres rigtige rækkenummer.",
    "- **En overskriftslinje over 64 KB** (fx en fil på 200 MB uden linjeskift) afvises uden at filen "
    "læses ind i hukommelsen.",
    "- **Noget andet end en almindelig fil**: en mappe eller en særlig fil med et tabelnavn (fx en "
    "mappe, der hedder `personer.csv`), og en genvej (symbolsk link) til en fil uden for datamappen.",
    "",
    "## Valideringsstemplet",
    "",
    "En mappe, der har bestået valideringen, får filen `.kontrol-valideret.json`: kontraktens og "
    "hver fils SHA-256, underskrevet med en HMAC-nøgle, der ligger uden for datamappen (afledt af "
    "pseudonymnøglen, se `kontrol_lib/vokabular/pseudonym.py`). Så længe stemplet passer, køres "
    "kontrollerne ikke igen. Et stempel, som er skrevet eller rettet af andre (uden nøglen), passer "
    "aldrig: så kontrolleres hele mappen, og en mappe med fejl afvises. Kan nøglen ikke læses, "
    "bruges stemplet ikke, og mappen kontrolleres hver gang. `kontrol valider` kontrollerer altid alt. "
    "Stemplet nævner også de tekstkolonner (fx CPR-numre), hvis værdier allerede stod på normalform "
    "(10 cifre, små bogstaver); dem læser samkøringen, som de står, uden at fortolke dem igen.",
    "",
]
