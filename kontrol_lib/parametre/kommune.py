"""Per-municipality, per-period report parameters: ``parameters/kommuner/*.yaml``.

``standard.yaml`` holds the defaults every municipality gets; ``<kode>-<navn>.yaml`` (e.g.
``151-ballerup.yaml``) overrides them for one municipality. Both have the same keys. Values that
change from year to year go under ``perioder: {<år>: {...}}`` and override the rest for that
year (a deep merge: a ``tekster`` entry replaces only the texts it names).

Texts may use the placeholders of :data:`PLADSHOLDERE` (``{kommune}``, ``{aar}``, ...); they
are filled from the computed figures by :func:`udfyld`. Each file is checked by the pydantic model
:class:`KommuneFil` when loaded and every problem is reported at once, naming the file, the key and
the value (:mod:`kontrol_lib.parametre.yamlmodel`); what a year needs is checked on the merged files.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BeforeValidator, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from kontrol_lib.parametre.daterede import parameter_dir
from kontrol_lib.vokabular.koder import YDELSER
from kontrol_lib.vokabular.steder import shipped_kommuner
from kontrol_lib.parametre.yamlmodel import Dato, Problem, Tekst, YamlFejl, YamlModel, afvis, fejl, laes_yaml, linjer, problemer


TEKSTER = {
    "indledning": "årsrapportens indledning (afsnit adskilt af tom linje)",
    "sagsresume": "udvalgsorienteringens sagsresume",
    "sagsfremstilling": "udvalgsorienteringens sagsfremstilling (afsnit adskilt af tom linje)",
    "resultat": "tekst før resultattabellen i udvalgsorienteringen",
    "indstilling": "indstillingen (det udvalget bedes om)",
    "perspektivering": "årsrapportens afsluttende afsnit om det kommende år",
}

_HJAELP = TEKSTER        # (the name TEKSTER is the models' error wording inside their class bodies)

# The placeholders a text may use, and what they become.
PLADSHOLDERE = {
    "kommune": "kommunens navn, fx 'Ballerup Kommune'",
    "aar": "rapportåret",
    "forrige_aar": "året før rapportåret",
    "enhed": "kontrolenhedens navn",
    "udvalg": "udvalgets navn",
    "provenu_i_alt": "årets samlede provenu i kr. (brutto)",
    "provenu_forrige_aar": "det samlede provenu året før i kr. (brutto)",
    "antal_sager": "antal afsluttede sager med ændret tildeling",
    "aarsvaerk": "årsværk i kontrolenheden",
    "horisont": "den fremadrettede besparelses horisont (parameteren provenu.horisont_maaneder), fx '12 måneder'",
}


class KommuneParameterFejl(YamlFejl):
    overskrift = "Fejl i kommuneparametrene"


# --------------------------------------------------------------------------- the models
# The wording users of these files know (kept from the hand-written checks): the key in quotes.
_TEKSTER = {
    "extra_forbidden": "ukendt nøgle '{sti}' (kendte nøgler: {kendte})",
    "dict_type": "'{sti}' skal være en samling af nøgle: værdi, ikke {vaerdi}",
    "model_type": "'{sti}' skal være en samling af nøgle: værdi, ikke {vaerdi}",
    "model_attributes_type": "'{sti}' skal være en samling af nøgle: værdi, ikke {vaerdi}",
    "tekst": "'{sti}' skal være en ikke-tom tekst, ikke {vaerdi}",
    "dato": "'{sti}' skal være en dato (ÅÅÅÅ-MM-DD), ikke {vaerdi}",
}


def _heltal(v):
    if isinstance(v, bool) or not isinstance(v, int):
        raise PydanticCustomError("heltal", "'{sti}' skal være et helt tal, ikke {vaerdi}")
    return v


def _ikke_negativt(v):
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise PydanticCustomError("ikke_negativt", "'{sti}' skal være et helt tal, 0 eller derover, ikke {vaerdi}")
    return v


def _decimal(v) -> Decimal | None:
    try:
        d = Decimal(str(v)) if not isinstance(v, bool) else None
    except InvalidOperation:
        return None
    return d if d is not None and d.is_finite() else None


def _positivt(v):
    d = _decimal(v)
    if d is None or d <= 0:
        raise PydanticCustomError("positivt", "'{sti}' skal være et positivt tal (fx 4.5), ikke {vaerdi}")
    return d


def _procent(v):
    d = _decimal(v)
    if d is None or not (0 <= d <= 100):
        raise PydanticCustomError("procent", "'{sti}' skal være en procent mellem 0 og 100, ikke {vaerdi}")
    return d


def _ydelse(v):
    if v not in YDELSER:
        raise PydanticCustomError("ydelse", f"'{{sti}}': ukendt ydelse (kendte: {', '.join(YDELSER)})")
    return v


def _aarstal(v):
    if isinstance(v, bool) or not isinstance(v, int):
        raise PydanticCustomError("aarstal", "'{sti_over}' har nøglen {vaerdi}, som ikke er et årstal")
    return v


def _pladsholdere(v: str) -> str:
    try:
        felter = [f for _, f, _, _ in string.Formatter().parse(v) if f is not None]
    except ValueError:
        raise PydanticCustomError("pladsholder", "'{sti}' har en ugyldig pladsholder (en krøllet parentes "
                                  "uden sin partner); skriv {{ og }} for krøllede parenteser") from None
    kendte = ", ".join("{" + p + "}" for p in PLADSHOLDERE)
    ukendte = [f for f in felter if f not in PLADSHOLDERE]
    if ukendte:
        raise afvis([fejl((), f"'{{sti}}' bruger den ukendte pladsholder {{{f}}} (kendte: {kendte})", v)
                     for f in dict.fromkeys(ukendte)])
    return v


Kode = Annotated[int, BeforeValidator(_heltal)]
Aarsvaerk = Annotated[Decimal, BeforeValidator(_positivt)]
Procent = Annotated[Decimal, BeforeValidator(_procent)]
Ydelse = Annotated[str, BeforeValidator(_ydelse)]
Aarstal = Annotated[int, BeforeValidator(_aarstal)]
RapportTekst = Annotated[Tekst, AfterValidator(_pladsholdere)]


class KommuneTekster(YamlModel):
    """``tekster``: the report texts (each may be left to ``standard.yaml``)."""
    TEKSTER: ClassVar[dict[str, str]] = {**_TEKSTER, "extra_forbidden": "ukendt tekst '{sti}' (kendte: {kendte})"}
    indledning: RapportTekst | None = Field(None, description=_HJAELP["indledning"])
    sagsresume: RapportTekst | None = Field(None, description=_HJAELP["sagsresume"])
    sagsfremstilling: RapportTekst | None = Field(None, description=_HJAELP["sagsfremstilling"])
    resultat: RapportTekst | None = Field(None, description=_HJAELP["resultat"])
    indstilling: RapportTekst | None = Field(None, description=_HJAELP["indstilling"])
    perspektivering: RapportTekst | None = Field(None, description=_HJAELP["perspektivering"])


# Where a municipality's own narrative section may stand: after one of the computed sections of the
# report (the view-model's section names; ``start`` is right after the title block). The report
# module checks that each name is one of its sections (tests/test_rapporter_fortaelling.py).
PLACERINGER = {
    "aarsrapport": ("start", "indledning", "provenu_kategorier", "udvikling", "provenu_ydelser", "udk_status",
                    "paragraf11", "kanaler", "kontroltrin", "registersamkoeringer", "pr_aarsvaerk",
                    "benchmark_placering", "planlagte_indsatser", "om_opgoerelsen"),
    "udvalgsorientering": ("start", "udvalg_sagsresume", "udvalg_sagsfremstilling", "udvalg_resultat",
                           "udvalg_sammenligning", "udvalg_indstilling"),
}


def _placering_tekst(rapport: str) -> str:
    return ", ".join(PLACERINGER[rapport])


def _rapport(v):
    if v not in PLACERINGER:
        raise PydanticCustomError("rapport", "'{sti}' skal være aarsrapport eller udvalgsorientering, ikke {vaerdi}")
    return v


def _niveau(v):
    if isinstance(v, bool) or v not in (2, 3):
        raise PydanticCustomError("niveau", "'{sti}' skal være 2 (afsnit) eller 3 (underafsnit), ikke {vaerdi}")
    return v


class Fortaelling(YamlModel):
    """One narrative section of the municipality's own (``afsnit: [...]`` under a year): a heading,
    Markdown text (lists, sub-headings, emphasis; raw HTML is printed as text), optional case
    examples, and where it stands: after which computed section of which report."""
    TEKSTER: ClassVar[dict[str, str]] = _TEKSTER
    overskrift: RapportTekst = Field(description="afsnittets overskrift (pladsholdere som i tekster)")
    tekst: RapportTekst = Field(description="afsnittets tekst (Markdown; pladsholdere som i tekster)")
    rapport: Annotated[str, BeforeValidator(_rapport)] = Field(
        "aarsrapport", description="aarsrapport (standard) eller udvalgsorientering")
    efter: Tekst = Field(description="det beregnede afsnit, teksten står efter (se PLACERINGER), fx provenu_kategorier")
    niveau: Annotated[int, BeforeValidator(_niveau)] = Field(2, description="2: afsnit, 3: underafsnit")
    eksempler: list[RapportTekst] | None = Field(None, description="sagseksempler, hvert vist som en boks")

    @field_validator("efter")
    @classmethod
    def _kendt_placering(cls, v, info):
        rapport = info.data.get("rapport")          # absent: the report itself was wrong (named already)
        if rapport in PLACERINGER and v not in PLACERINGER[rapport]:
            raise PydanticCustomError(
                "placering", f"'{{sti}}': {{vaerdi}} er ikke et afsnit i {rapport} (kendte: {_placering_tekst(rapport)})")
        return v


class Moede(YamlModel):
    """The committee meeting a year's briefing is for (``moede:`` under a year): the agenda item's head
    and, once the committee has met, its decision."""
    TEKSTER: ClassVar[dict[str, str]] = _TEKSTER
    udvalg: Tekst | None = Field(None, description="udvalget (ellers nøglen udvalg)")
    moededato: Dato | None = Field(None, description="mødedatoen")
    moedested: Tekst | None = Field(None, description="mødestedet, fx 'Mødelokale 1, Rådhuset'")
    punkt: Kode | None = Field(None, description="punktets nummer på dagsordenen")
    sagsnummer: Tekst | None = Field(None, description="journalnummeret")
    sagsbehandlere: list[Tekst] | None = Field(None, description="sagsbehandlerne (personer), den første er ansvarlig")
    indstilling: RapportTekst | None = Field(None, description="indstillingen (ellers tekster.indstilling)")
    beslutning: RapportTekst | None = Field(None, description="udvalgets beslutning, når mødet er holdt")


class KommunePeriode(YamlModel):
    """The values of one year (``perioder: {2024: ...}``), and the keys every file may set.
    Every key is optional here: what a year needs is checked on the merged files."""
    TEKSTER: ClassVar[dict[str, str]] = _TEKSTER
    enhed: Tekst | None = Field(None, description="kontrolenhedens navn, fx 'Team CPR og Kontrol'")
    forvaltning: Tekst | None = Field(None, description="forvaltning eller center, kontrolenheden hører til")
    udvalg: Tekst | None = Field(None, description="det udvalg, der orienteres")
    indstiller: Tekst | None = Field(None, description="den der indstiller, fx 'Direktøren for Borgerservice'")
    sagsbehandler: Tekst | None = Field(None, description="sagsbehandler på udvalgsorienteringen")
    sagsnummer: Tekst | None = Field(None, description="journalnummer på udvalgsorienteringen")
    moededato: Dato | None = Field(None, description="udvalgets mødedato")
    aarsvaerk: Aarsvaerk | None = Field(None, description="årsværk i kontrolenheden i året")
    paragraf10_aktiveringsdato: Dato | None = Field(None, description="datoen kommunen aktiverede § 10-opfølgning")
    nettoprocent: dict[Ydelse, Procent] | None = Field(
        None, description="kommunens andel (procent) pr. ydelse efter statsrefusion")
    tekster: KommuneTekster | None = Field(None, description="tekster til rapporterne")
    moede: Moede | None = Field(None, description="udvalgsmødet, orienteringen er til (hoved og beslutning)")
    afsnit: list[Fortaelling] | None = Field(None, description="kommunens egne afsnit i rapporterne (Markdown)")
    kategori_raekkefoelge: list[Tekst] | None = Field(
        None, description="provenukategorierne i kommunens egen rækkefølge (navnene som i rapporten)")
    kategori_forklaringer: dict[str, Tekst] | None = Field(
        None, description="én linje under hver kategori: kategoriens navn → forklaringen")
    personale: RapportTekst | None = Field(None, description="bemandingen i året (én linje, Markdown)")
    paragraf11_retur: Annotated[int, BeforeValidator(_ikke_negativt)] | None = Field(
        None, description="antal § 11-anmodninger, Udbetaling Danmark har modtaget retur fra kommunen i året "
                          "(fra UDK's statusopgørelse)")


class _Kommune(YamlModel):
    """The municipality a file is for, checked against the file name (the context ``kode`` and
    ``navn``; none for ``standard.yaml``)."""
    TEKSTER: ClassVar[dict[str, str]] = _TEKSTER
    kommunekode: Kode | None = Field(None, description="kommunekoden (3 cifre)")
    kommunenavn: Tekst | None = Field(None, description="kommunens navn som i kommunelisten")

    @field_validator("kommunekode")
    @classmethod
    def _kode_som_filnavnet(cls, v, info):
        kode = (info.context or {}).get("kode")
        if v is not None and kode is not None and v != kode:
            raise PydanticCustomError("kommunekode", f"'{{sti}}' er {{vaerdi}}, men filnavnet siger {kode:03d}")
        return v

    @field_validator("kommunenavn")
    @classmethod
    def _navn_som_kommunelisten(cls, v, info):
        kode, navn = (info.context or {}).get("kode"), (info.context or {}).get("navn")
        if v is not None and navn is not None and v != navn:
            raise PydanticCustomError("kommunenavn",
                                      f"'{{sti}}' er {{vaerdi}}, men kommune {kode:03d} hedder {navn!r}")
        return v


class KommuneFil(KommunePeriode, _Kommune):
    """``standard.yaml`` or ``<kode>-<navn>.yaml``: the municipality, its values and its years."""
    perioder: dict[Aarstal, KommunePeriode] | None = Field(None, description="værdier der gælder for et bestemt år")


# Required for every year (after merging standard, the municipality's file and its period).
KRAEVEDE = ("enhed", "forvaltning", "udvalg", "indstiller")
# key: (type, required, Danish description), from the models (kept for readers of the old table)
NOEGLER = {n: (f.annotation, n in KRAEVEDE or n in ("kommunekode", "kommunenavn", "tekster"), f.description)
           for n, f in KommuneFil.model_fields.items()}


@dataclass(frozen=True)
class KommuneParametre:
    """The checked parameters of one municipality for one year."""
    kommunekode: int
    kommunenavn: str
    aar: int
    enhed: str
    forvaltning: str
    udvalg: str
    indstiller: str
    tekster: dict[str, str]
    sagsbehandler: str | None = None
    sagsnummer: str | None = None
    moededato: dt.date | None = None
    aarsvaerk: Decimal | None = None
    paragraf10_aktiveringsdato: dt.date | None = None
    nettoprocent: dict[str, Decimal] = field(default_factory=dict)
    filer: tuple[str, ...] = ()
    moede: Moede | None = None
    afsnit: tuple[Fortaelling, ...] = ()
    kategori_raekkefoelge: tuple[str, ...] = ()
    kategori_forklaringer: dict[str, str] = field(default_factory=dict)
    personale: str | None = None
    paragraf11_retur: int | None = None

    @property
    def kommune(self) -> str:
        """'Ballerup Kommune'."""
        return f"{self.kommunenavn} Kommune"

    @property
    def mappe_navn(self) -> str:
        """'151-ballerup': the folder name under reports/."""
        return f"{self.kommunekode:03d}-{slug(self.kommunenavn)}"


def slug(navn: str) -> str:
    s = navn.lower()
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("ü", "u")):
        s = s.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def kommune_mappe() -> Path:
    return parameter_dir() / "kommuner"


def _fil_for(kode: int, mappe: Path) -> Path | None:
    hits = sorted(mappe.glob(f"{kode:03d}-*.yaml"))
    return hits[0] if hits else None


def _laes(path: Path, kontekst: dict, fejl_: list[str]) -> dict:
    """The file's mapping (unquoted dates stay text: '2018-13-01' gets its Danish error with the
    key), checked by :class:`KommuneFil`; its problems are added to ``fejl_``."""
    data = laes_yaml(path, KommuneParameterFejl, datoer=False)
    data = {} if data is None else data
    try:
        KommuneFil.model_validate(data, context=kontekst)
    except ValidationError as e:
        fejl_ += linjer(str(path), problemer(e, data, KommuneFil))
    return data if isinstance(data, dict) else {}


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict) and k != "perioder":
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def hent_kommune(kommune: int | str, aar: int, mappe: Path | None = None) -> KommuneParametre:
    """The checked parameters of ``kommune`` (code or name) for ``aar``.

    Raises :class:`KommuneParameterFejl` listing every problem, with file and key."""
    mappe = Path(mappe) if mappe else kommune_mappe()
    kode = find_kommunekode(kommune)
    navn = _kommunenavn(kode)
    if isinstance(aar, bool) or not isinstance(aar, int) or not (2000 <= aar <= 2100):
        raise KommuneParameterFejl(f"Året skal være et årstal som 2024, ikke {aar!r}")
    std = mappe / "standard.yaml"
    if not std.exists():
        raise KommuneParameterFejl(f"{std}: filen med standardværdier for kommunerne mangler")
    fejl_: list[str] = []
    data = _laes(std, {}, fejl_)
    filer = [str(std)]
    own = _fil_for(kode, mappe)
    if own is not None:
        data = _merge(data, _laes(own, {"kode": kode, "navn": navn}, fejl_))
        filer.append(str(own))
    where = str(own or std)
    perioder = data.pop("perioder", None)
    if isinstance(perioder, dict) and isinstance(perioder.get(aar), dict):
        data = _merge(data, perioder[aar])
    data["kommunekode"], data["kommunenavn"] = kode, navn
    # What the year needs, once the files are merged: reported against the municipality's file.
    mangler = [Problem(k, f"'{k}' mangler ({KommuneFil.model_fields[k].description}) for {aar}", True)
               for k in KRAEVEDE if data.get(k) is None]
    tekster = data.get("tekster") if isinstance(data.get("tekster"), dict) else {}
    mangler += [Problem(f"tekster.{k}", f"teksten 'tekster.{k}' mangler ({TEKSTER[k]}) for {aar}", True)
                for k in TEKSTER if tekster.get(k) is None]
    fejl_ += linjer(where, mangler)
    if fejl_:
        raise KommuneParameterFejl(fejl_)
    m = KommuneFil.model_validate(data)        # every part was valid above
    values = {k: getattr(m, k) for k in KommuneFil.model_fields if k not in ("perioder", "tekster")}
    values["nettoprocent"] = values["nettoprocent"] or {}
    values["afsnit"] = tuple(values["afsnit"] or ())
    values["kategori_raekkefoelge"] = tuple(values["kategori_raekkefoelge"] or ())
    values["kategori_forklaringer"] = dict(values["kategori_forklaringer"] or {})
    return KommuneParametre(aar=aar, tekster={k: getattr(m.tekster, k) for k in TEKSTER},
                            filer=tuple(filer), **values)


def _kommunenavn(kode: int) -> str:
    df = shipped_kommuner()
    hit = df.loc[df["kommunekode"] == kode, "kommunenavn"]
    return str(hit.iloc[0])


def find_kommunekode(kommune: int | str) -> int:
    """A municipality given as code (151, '151', '0151') or name ('Ballerup') → its code."""
    df = shipped_kommuner()
    s = str(kommune).strip()
    if s.isdigit():
        kode = int(s)
        if kode in set(df["kommunekode"]):
            return kode
        raise KommuneParameterFejl(f"Ukendt kommunekode: {s}. Se listen over de 98 kommuner med 'kontrol kontrakt'.")
    s_norm = s.lower().removesuffix(" kommune").strip()
    for kode, navn in zip(df["kommunekode"], df["kommunenavn"]):
        if navn.lower() == s_norm or slug(navn) == slug(s_norm):
            return int(kode)
    raise KommuneParameterFejl(f"Ukendt kommune: {s!r}. Angiv kommunekoden (fx 151) eller navnet (fx Ballerup).")


def alle_kommunekoder() -> list[int]:
    return [int(k) for k in shipped_kommuner()["kommunekode"]]


def udfyld(tekst: str, vaerdier: dict) -> str:
    """Fill a parameter text's placeholders. Every placeholder must have a value."""
    return tekst.format_map(vaerdier).replace("kr..", "kr.")
