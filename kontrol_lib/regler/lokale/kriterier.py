"""A local control list as data: ``parameters/lister/<navn>.yaml``, read and checked here.

A list file looks like::

    titel: Bopælssamlinger
    kilde: Ballerup Kommune, Årsrapport 2023, "Kontrolindsats i Hedeparken og Magleparken"
    begrundelse: Ydelsesmodtageren bor på en adresse med mange andre voksne.
    kontroltype: familie
    gaelder_fra: 2023-01-01
    befolkning:
      ydelser: [kontanthjaelp, integrationsydelse]
      kraev_udbetaling: ja
    kriterier:
      - type: voksne_paa_adressen
        min_antal:
          2023-01-01: 3          # a parameter may be dated, like parameters/<gruppe>/*.yaml
        undtag: [aegtefaelle, barn]

The file is checked by the pydantic model :class:`ListeFil` (each condition type by a model
generated from its declaration in :mod:`.betingelser`). Every problem in every file is reported
together, each naming the file, the key and the value
(``parameters/lister/x.yaml: kriterier[1].type: ukendt betingelse 'foo' (kendte: ...)``; see
:mod:`kontrol_lib.parametre.yamlmodel`). Nothing defaults silently except the documented defaults of
:mod:`.betingelser`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BeforeValidator, Field, create_model, field_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from kontrol_lib.parametre import parameter_dir
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.koder import MYNDIGHEDER, REGEL_KONTROLTYPER, YDELSER
from kontrol_lib.vokabular.steder import known_kle
from kontrol_lib.parametre.yamlmodel import (
    Dato,
    JaNej,
    Tekst,
    Valg,
    YamlFejl,
    YamlModel,
    afvis,
    fejl,
    laes_yaml,
    laes_yaml_tekst,
    som_dato,
    som_ja_nej,
    som_tekst,
    valider,
)
from kontrol_lib.regler.lokale.betingelser import BETINGELSER, EN_AF, RELATIONER, Betingelse

# kontroltyper a list may have: the national rules' (the bestillingsliste's minus UDK's bagudgående)
KONTROLTYPER = REGEL_KONTROLTYPER
ADRESSER = ("nuvaerende", "tilflyttet_i_perioden")
class ListeFejl(YamlFejl):
    """One or more problems in list files; ``fejl`` holds one line per problem, each naming the
    file, the key and the value."""
    overskrift = "Fejl i kontrollister"


@dataclass(frozen=True)
class Kriterium:
    """One condition of a list: its type, parameters (each a plain value or a dated tuple of
    (from-date, value)) and whether it is negated. ``en_af`` holds the alternatives of an
    ``en_af`` combinator (then ``betingelse`` is None)."""
    sti: str                                   # "kriterier[1]" (for messages)
    betingelse: Betingelse | None
    params: dict
    ikke: bool = False
    en_af: tuple["Kriterium", ...] = ()

    def vaerdier(self, dato: dt.date, fil: str) -> dict:
        """The parameter values in force on ``dato``."""
        out = {}
        for k, v in self.params.items():
            if isinstance(v, Dateret):
                out[k] = v.vaerdi(dato, f"{fil}: {self.sti}.{k}")
            else:
                out[k] = v
        return out

    def tekst(self, dato: dt.date, fil: str) -> str:
        """A Danish one-line description (for the funnel in :func:`afproev_kriterium`)."""
        if self.en_af:
            return "én af: " + " / ".join(k.tekst(dato, fil) for k in self.en_af)
        p = self.vaerdier(dato, fil)
        ps = ", ".join(f"{k}={'/'.join(v) if isinstance(v, tuple) else v}" for k, v in p.items())
        t = self.betingelse.titel + (f" ({ps})" if ps else "")
        return ("IKKE: " + t) if self.ikke else t


@dataclass(frozen=True)
class Dateret:
    """A dated parameter value: ascending (from-date, value); None ends it."""
    vaerdier: tuple

    def vaerdi(self, dato: dt.date, hvor: str):
        current, found = None, False
        for start, v in self.vaerdier:
            if start <= dato:
                current, found = v, True
        if not found or current is None:
            raise KontrolFejl(f"{hvor}: ingen værdi den {dato.isoformat()}")
        return current


@dataclass(frozen=True)
class Befolkning:
    kle: tuple[str, ...]               # empty with alle
    alle: bool
    alder_fra: int | None
    alder_til: int | None
    kraev_udbetaling: bool


@dataclass(frozen=True)
class Liste:
    navn: str
    titel: str
    beskrivelse: str
    kilde: str
    begrundelse: str
    kontroltype: str
    gaelder_fra: dt.date
    gaelder_til: dt.date | None
    befolkning: Befolkning
    adresse: str
    periode_maaneder: int | None
    sag_ydelse: str | None             # None: from the KLE of the person's case
    sag_myndighed: str | None          # None: from the KLE's ydelsesområde
    kriterier: tuple[Kriterium, ...]
    fil: str

    def gaelder(self, dato: dt.date) -> bool:
        return self.gaelder_fra <= dato and (self.gaelder_til is None or dato <= self.gaelder_til)


# --------------------------------------------------------------------------- the models
def _heltal(lav, hoej):
    def tjek(v):
        if isinstance(v, bool) or not isinstance(v, int):
            raise PydanticCustomError("heltal", "{vaerdi} er ikke et heltal")
        if (lav is not None and v < lav) or (hoej is not None and v > hoej):
            raise PydanticCustomError("interval", f"{{vaerdi}} skal ligge mellem {lav} og {hoej}")
        return v
    return tjek


def _relationer(v):
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list):
        raise PydanticCustomError("relationer", f"skal være en liste af {', '.join(RELATIONER)}, ikke {{vaerdi}}")
    bad = [x for x in v if x not in RELATIONER]
    if bad:
        raise PydanticCustomError("relation", f"ukendt relation {bad[0]!r} (kendte: {', '.join(RELATIONER)})")
    return tuple(sorted(set(v), key=RELATIONER.index))


def _tekster(v):
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not v or not all(isinstance(x, (str, int)) and str(x).strip() for x in v):
        raise PydanticCustomError("tekster", "skal være en liste af tekster (mindst én)")
    return tuple(str(x).strip() for x in v)


_SLAGS = {"int": None, "relationer": _relationer, "tekst": som_tekst, "tekster": _tekster}


def _param_type(p):
    """A condition parameter: its plain value, or values dated like ``parameters/<gruppe>/*.yaml``
    (``{2023-01-01: 3}``, kept as :class:`Dateret`)."""
    enkel = _heltal(p.lav, p.hoej) if p.kind == "int" else _SLAGS[p.kind]

    def tjek(v):
        if not isinstance(v, dict):
            return enkel(v)
        vals, probs = [], []
        for key, val in v.items():
            try:
                d = som_dato(key)
            except PydanticCustomError:
                probs.append(fejl((str(key),), f"{{vaerdi}} under '{p.navn}' er ikke en dato (ÅÅÅÅ-MM-DD)", key))
                continue
            try:
                vals.append((d, None if val is None else enkel(val)))
            except PydanticCustomError as e:
                probs.append(InitErrorDetails(type=e, loc=(str(key),), input=val))
        datoer = [d for d, _ in vals]
        if not v:
            probs.append(fejl((), "en dateret værdi skal have mindst én dato", v))
        elif datoer != sorted(datoer) or len(set(datoer)) != len(datoer):
            probs.append(fejl((), "datoerne skal stå i stigende orden uden gentagelser", v))
        if probs:
            raise afvis(probs)
        return Dateret(tuple(vals))
    return Annotated[Any, BeforeValidator(tjek)]


class _Betingelse(YamlModel):
    """Base of the generated model of each condition type (:func:`_betingelsesmodel`)."""
    ikke: JaNej = False


def _betingelsesmodel(b: Betingelse) -> type[_Betingelse]:
    """The model of one condition type: ``type``, ``ikke`` and its parameters (defaults and help
    from :data:`.betingelser.BETINGELSER`)."""
    felter = {"type": (Literal[b.type], ...)}
    for p in b.params:
        felter[p.navn] = (_param_type(p), Field(... if p.standard is None else p.standard, description=p.tekst))
    m = create_model(f"Betingelse_{b.type}", __base__=_Betingelse, **felter)
    m.TEKSTER = {"extra_forbidden": f"ukendt parameter for {b.type} "
                                    f"(kendte: {', '.join(p.navn for p in b.params) or 'ingen'})"}
    return m


_KENDTE_BETINGELSER = ", ".join([*BETINGELSER, EN_AF])
BETINGELSESMODELLER: dict[str, type[_Betingelse]] = {t: _betingelsesmodel(b) for t, b in BETINGELSER.items()}


def _vaelg(raw, indre: bool = False):
    """The model of a criterion, by its ``type``."""
    if not isinstance(raw, dict):
        raise afvis([fejl((), "skal være en nøgle-værdi-liste med mindst 'type'", raw)])
    typ = raw.get("type")
    if typ is None:
        raise afvis([fejl(("type",), f"mangler (kendte: {_KENDTE_BETINGELSER})", raw)])
    if typ == EN_AF:
        if indre:
            raise afvis([fejl(("type",), "en_af kan ikke stå inde i en_af", typ)])
        return EnAf
    if not isinstance(typ, str) or typ not in BETINGELSESMODELLER:
        raise afvis([fejl(("type",), f"ukendt betingelse {{vaerdi}} (kendte: {_KENDTE_BETINGELSER})", typ)])
    return BETINGELSESMODELLER[typ]


def _mindst_to(v):
    if not isinstance(v, list) or len(v) < 2:
        raise PydanticCustomError("en_af", "en_af skal have en liste med mindst to betingelser")
    return v


class EnAf(YamlModel):
    """``type: en_af``: at least two conditions (none of them ``en_af``), one of which must hold."""
    TEKSTER: ClassVar[dict[str, str]] = {"extra_forbidden": "ukendt nøgle for en_af (kendte: type, betingelser)"}
    ikke: JaNej = False
    type: Literal["en_af"]
    betingelser: Annotated[list[Annotated[Any, Valg(lambda raw: _vaelg(raw, indre=True))]] | None,
                           BeforeValidator(_mindst_to)] = Field(None, validate_default=True)

    @field_validator("ikke")
    @classmethod
    def _ikke_negeret(cls, v):
        if v:
            raise PydanticCustomError("en_af", "en_af kan ikke negeres; negér de enkelte betingelser")
        return v


def _liste_af_tekster(v):
    if v is None:
        return ()
    if isinstance(v, str):
        return (v,)
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise PydanticCustomError("tekster", "skal være en liste af tekster, ikke {vaerdi}")
    return tuple(v)


def _ydelser(v):
    kle_df = known_kle()
    kendte = sorted(set(kle_df["ydelse"]))
    ukendte = [fejl((), f"ukendt ydelse {y!r} (kendte: {', '.join(kendte)})", y) for y in v if y not in kendte]
    if ukendte:
        raise afvis(ukendte)
    return v


def _kle(v):
    kendte = set(known_kle()["kle"])
    ukendte = [fejl((), f"ukendt KLE-nummer {k!r} (se kontrol_lib/data/kle.csv)", k) for k in v if k not in kendte]
    if ukendte:
        raise afvis(ukendte)
    return v


def _ja(v) -> bool:
    try:
        return som_ja_nej(v)
    except PydanticCustomError:
        return False


class Alder(YamlModel):
    fra: Annotated[int, BeforeValidator(_heltal(0, 130))] | None = None
    til: Annotated[int, BeforeValidator(_heltal(0, 130))] | None = None

    @classmethod
    def krydstjek(cls, data, kontekst):
        if not data:
            return [fejl((), "skal have fra og/eller til (hele år)", data)]
        af, at = data.get("fra"), data.get("til")
        if all(isinstance(x, int) and not isinstance(x, bool) for x in (af, at)) and at < af:
            return [fejl((), f"til ({at}) er mindre end fra ({af})", data)]
        return []


Tekster = Annotated[tuple[str, ...], BeforeValidator(_liste_af_tekster)]


class BefolkningFil(YamlModel):
    """``befolkning``: who the list looks at."""
    ydelser: Annotated[Tekster, AfterValidator(_ydelser)] = ()
    kle: Annotated[Tekster, AfterValidator(_kle)] = ()
    alle: JaNej = False
    alder: Alder | None = None
    kraev_udbetaling: JaNej = False

    @classmethod
    def krydstjek(cls, data, kontekst):
        ud = []
        if _ja(data.get("alle")) and (data.get("ydelser") or data.get("kle")):
            ud.append(fejl(("alle",), "kan ikke kombineres med ydelser eller kle", data.get("alle")))
        if not _ja(data.get("alle")) and "ydelser" not in data and "kle" not in data:
            ud.append(fejl((), "angiv ydelser, kle eller alle: ja", data))
        if _ja(data.get("kraev_udbetaling")) and _ja(data.get("alle")):
            ud.append(fejl(("kraev_udbetaling",), "kræver ydelser eller kle", data.get("kraev_udbetaling")))
        return ud


class Periode(YamlModel):
    maaneder: Annotated[int, BeforeValidator(_heltal(1, 120))]


class Sag(YamlModel):
    """``sag``: the case a hit becomes (default: from the KLE of the person's case)."""
    ydelse: Literal[YDELSER] | None = None
    myndighed: Literal[MYNDIGHEDER] | None = None


def _kriterier(v):
    if not isinstance(v, list) or not v:
        raise PydanticCustomError("kriterier", "skal være en liste med mindst én betingelse")
    return v


class ListeFil(YamlModel):
    """``parameters/lister/<navn>.yaml``. Validated with the context ``navn``: the file's name."""
    TEKSTER: ClassVar[dict[str, str]] = {"dato": "er ikke en dato (ÅÅÅÅ-MM-DD)"}
    navn: str | None = Field(None, validate_default=True)
    titel: Tekst
    beskrivelse: Tekst | None = None
    kilde: Tekst
    begrundelse: Tekst
    kontroltype: Literal[KONTROLTYPER] = Field(description=f"kendte: {', '.join(KONTROLTYPER)}")
    gaelder_fra: Dato = Field(description="ÅÅÅÅ-MM-DD")
    gaelder_til: Dato | None = None
    befolkning: BefolkningFil = Field(description="angiv ydelser, kle eller alle: ja")
    adresse: Literal[ADRESSER] = "nuvaerende"
    periode: Periode | None = Field(None, validate_default=True)
    sag: Sag | None = Field(None, validate_default=True)
    kriterier: Annotated[list[Annotated[Any, Valg(_vaelg)]] | None, BeforeValidator(_kriterier)] = Field(
        None, validate_default=True)

    @field_validator("navn", mode="before")
    @classmethod
    def _filens_navn(cls, v, info):
        fil_navn = (info.context or {}).get("navn")
        probs = []
        if v is not None and fil_navn is not None and v != fil_navn:
            probs.append(fejl((), f"{{vaerdi}} skal være filens navn '{fil_navn}'", v))
        navn = fil_navn or v
        if not navn or not isinstance(navn, str) or not all(c.islower() or c.isdigit() or c == "_" for c in navn):
            probs.append(fejl((), "{vaerdi} skal bestå af små bogstaver a-z, cifre og _", navn))
        elif len(navn) > 50:
            probs.append(fejl((), "{vaerdi} er for langt (højst 50 tegn)", navn))
        if probs:
            raise afvis(probs)
        return navn

    @field_validator("gaelder_til")
    @classmethod
    def _efter_fra(cls, v, info):
        fra = info.data.get("gaelder_fra")
        if v is not None and fra is not None and v < fra:
            raise PydanticCustomError("gaelder_til", f"{{vaerdi}} ligger før gaelder_fra ({fra.isoformat()})")
        return v

    @field_validator("periode")
    @classmethod
    def _periode_til_tilflytning(cls, v, info):
        if v is None and info.data.get("adresse") == "tilflyttet_i_perioden":
            raise PydanticCustomError("periode", "mangler (adresse: tilflyttet_i_perioden kræver "
                                      "'periode: {maaneder: N}')")
        return v

    @field_validator("sag")
    @classmethod
    def _sag_for_alle(cls, v, info):
        bef = info.data.get("befolkning")
        if bef is not None and bef.alle and (v is None or v.ydelse is None):
            raise afvis([fejl(("ydelse",), "mangler (en liste over alle personer skal sige, hvilken ydelse "
                              "sagen gælder)", None)])
        return v


KENDTE = tuple(ListeFil.model_fields)
KRAEVEDE = tuple(n for n, f in ListeFil.model_fields.items() if f.is_required() or n == "kriterier")


# --------------------------------------------------------------------------- reading
def _kriterium(m, sti: str) -> Kriterium:
    if isinstance(m, EnAf):
        return Kriterium(sti, None, {}, False, tuple(_kriterium(k, f"{sti}.betingelser[{i}]")
                                                     for i, k in enumerate(m.betingelser, 1)))
    b = BETINGELSER[m.type]
    return Kriterium(sti, b, {p.navn: getattr(m, p.navn) for p in b.params}, m.ikke)


def laes_liste(data, fil: str, navn: str | None = None) -> Liste:
    """Check one list's parsed YAML (``data``) with :class:`ListeFil`; ``fil`` names it in
    messages, ``navn`` is the file stem. Raises :class:`ListeFejl` with every problem."""
    m = valider(ListeFil, data, fil, ListeFejl, {"navn": navn})
    kle_df = known_kle()
    kle = set(m.befolkning.kle)
    for y in m.befolkning.ydelser:
        kle |= set(kle_df.loc[kle_df["ydelse"] == y, "kle"])
    a = m.befolkning.alder
    befolkning = Befolkning(tuple(sorted(kle)), m.befolkning.alle, a.fra if a else None, a.til if a else None,
                            m.befolkning.kraev_udbetaling)
    sag = m.sag or Sag()
    return Liste(m.navn, m.titel, m.beskrivelse or "", m.kilde, m.begrundelse, m.kontroltype, m.gaelder_fra,
                 m.gaelder_til, befolkning, m.adresse, m.periode.maaneder if m.periode else None, sag.ydelse,
                 sag.myndighed, tuple(_kriterium(k, f"kriterier[{i}]") for i, k in enumerate(m.kriterier, 1)), fil)


def laes_tekst(tekst: str, fil: str = "<kriterium>", navn: str | None = None) -> Liste:
    """A list from YAML text (the notebook's trial criterion)."""
    return laes_liste(laes_yaml_tekst(tekst, fil, ListeFejl), fil, navn)


def liste_mappe(mappe: str | Path | None = None) -> Path:
    return Path(mappe) if mappe else parameter_dir() / "lister"


def indlaes_lister(mappe: str | Path | None = None) -> dict[str, Liste]:
    """Every list under ``parameters/lister`` (or ``mappe``), checked; all problems of all files
    are reported together."""
    root = liste_mappe(mappe)
    if not root.is_dir():
        raise ListeFejl([f"{root}: mappen med kontrollister findes ikke"])
    out, fejl_ = {}, []
    for path in sorted(root.glob("*.yaml")):
        try:
            out[path.stem] = laes_liste(laes_yaml(path, ListeFejl, fil=_vis_sti(path)), _vis_sti(path), path.stem)
        except ListeFejl as e:
            fejl_ += e.fejl
    if fejl_:
        raise ListeFejl(fejl_)
    return out


def _vis_sti(path: Path) -> str:
    """The path as the user knows it: relative to the working folder when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
