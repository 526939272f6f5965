"""Per-municipality, per-period report parameters: ``parameters/kommuner/*.yaml``.

``standard.yaml`` holds the defaults every municipality gets; ``<kode>-<navn>.yaml`` (e.g.
``151-ballerup.yaml``) overrides them for one municipality. Both have the same keys. Values that
change from year to year go under ``perioder: {<år>: {...}}`` and override the rest for that
year (a deep merge: a ``tekster`` entry replaces only the texts it names).

Texts may use the placeholders of :data:`PLADSHOLDERE` (``{kommune}``, ``{aar}``, ...); they
are filled from the computed figures by :func:`udfyld`. Everything is checked when loaded and
every problem is reported at once, naming the file and the key.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from kontrol_lib.vokabular.steder import shipped_kommuner
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.parametre.daterede import parameter_dir
from kontrol_lib.vokabular.koder import YDELSER


TEKSTER = {
    "indledning": "årsrapportens indledning (afsnit adskilt af tom linje)",
    "sagsresume": "udvalgsorienteringens sagsresume",
    "sagsfremstilling": "udvalgsorienteringens sagsfremstilling (afsnit adskilt af tom linje)",
    "resultat": "tekst før resultattabellen i udvalgsorienteringen",
    "indstilling": "indstillingen (det udvalget bedes om)",
    "perspektivering": "årsrapportens afsluttende afsnit om det kommende år",
}

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
}

# key: (type, required, Danish description)
NOEGLER = {
    "kommunekode": (int, True, "kommunekoden (3 cifre)"),
    "kommunenavn": (str, True, "kommunens navn som i kommunelisten"),
    "enhed": (str, True, "kontrolenhedens navn, fx 'Team CPR og Kontrol'"),
    "forvaltning": (str, True, "forvaltning eller center, kontrolenheden hører til"),
    "udvalg": (str, True, "det udvalg, der orienteres"),
    "indstiller": (str, True, "den der indstiller, fx 'Direktøren for Borgerservice'"),
    "sagsbehandler": (str, False, "sagsbehandler på udvalgsorienteringen"),
    "sagsnummer": (str, False, "journalnummer på udvalgsorienteringen"),
    "moededato": (dt.date, False, "udvalgets mødedato"),
    "aarsvaerk": (Decimal, False, "årsværk i kontrolenheden i året"),
    "paragraf10_aktiveringsdato": (dt.date, False, "datoen kommunen aktiverede § 10-opfølgning"),
    "nettoprocent": (dict, False, "kommunens andel (procent) pr. ydelse efter statsrefusion"),
    "tekster": (dict, True, "tekster til rapporterne"),
    "perioder": (dict, False, "værdier der gælder for et bestemt år"),
}


class KommuneParameterFejl(KontrolFejl):
    pass


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


class _Loader(yaml.SafeLoader):
    """YAML without implicit dates: '2018-13-01' stays text and gets our Danish error."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _laes(path: Path) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as e:
        raise KommuneParameterFejl(f"{path}: ikke gyldig YAML ({e})") from None
    except OSError as e:
        raise KommuneParameterFejl(f"{path}: kan ikke læses ({e.strerror})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise KommuneParameterFejl(f"{path}: filen skal være en samling af nøgle: værdi")
    return data


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict) and k != "perioder":
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def _check_keys(data: dict, where: str, fejl: list[str], periode: bool = False) -> None:
    for k in data:
        if k not in NOEGLER or (periode and k in ("perioder", "kommunekode", "kommunenavn")):
            kendte = ", ".join(n for n in NOEGLER if not (periode and n in ("perioder", "kommunekode", "kommunenavn")))
            fejl.append(f"{where}: ukendt nøgle '{k}' (kendte nøgler: {kendte})")
    tekster = data.get("tekster")
    if tekster is not None:
        if not isinstance(tekster, dict):
            fejl.append(f"{where}: 'tekster' skal være en samling af navn: tekst")
        else:
            for k, v in tekster.items():
                if k not in TEKSTER:
                    fejl.append(f"{where}: ukendt tekst 'tekster.{k}' (kendte: {', '.join(TEKSTER)})")
                elif not isinstance(v, str) or not v.strip():
                    fejl.append(f"{where}: 'tekster.{k}' skal være en ikke-tom tekst")
                else:
                    try:
                        felter = [f for _, f, _, _ in string.Formatter().parse(v) if f is not None]
                    except ValueError as e:
                        fejl.append(f"{where}: 'tekster.{k}' har en ugyldig pladsholder ({e}); "
                                    "skriv {{ og }} for krøllede parenteser")
                        continue
                    for f in felter:
                        if f not in PLADSHOLDERE:
                            fejl.append(f"{where}: 'tekster.{k}' bruger den ukendte pladsholder "
                                        f"{{{f}}} (kendte: {', '.join('{' + p + '}' for p in PLADSHOLDERE)})")


def _convert(key: str, value, where: str, fejl: list[str]):
    typ = NOEGLER[key][0]
    if value is None:
        return None
    if typ is int:
        if isinstance(value, bool) or not isinstance(value, int):
            fejl.append(f"{where}: '{key}' skal være et helt tal, ikke {value!r}")
            return None
        return value
    if typ is str:
        if not isinstance(value, str) or not value.strip():
            fejl.append(f"{where}: '{key}' skal være en ikke-tom tekst, ikke {value!r}")
            return None
        return value.strip()
    if typ is dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            fejl.append(f"{where}: '{key}' skal være en dato (ÅÅÅÅ-MM-DD), ikke {value!r}")
            return None
    if typ is Decimal:
        try:
            d = Decimal(str(value)) if not isinstance(value, bool) else None
        except InvalidOperation:
            d = None
        if d is None or not d.is_finite() or d <= 0:
            fejl.append(f"{where}: '{key}' skal være et positivt tal (fx 4.5), ikke {value!r}")
            return None
        return d
    if key == "nettoprocent":
        if not isinstance(value, dict):
            fejl.append(f"{where}: 'nettoprocent' skal være en samling af ydelse: procent")
            return {}
        out = {}
        for y, p in value.items():
            if y not in YDELSER:
                fejl.append(f"{where}: 'nettoprocent.{y}': ukendt ydelse (kendte: {', '.join(YDELSER)})")
                continue
            try:
                d = Decimal(str(p)) if not isinstance(p, bool) else None
            except InvalidOperation:
                d = None
            if d is None or not d.is_finite() or not (0 <= d <= 100):
                fejl.append(f"{where}: 'nettoprocent.{y}' skal være en procent mellem 0 og 100, ikke {p!r}")
                continue
            out[y] = d
        return out
    return value


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
    fejl: list[str] = []
    data_std = _laes(std)
    _check_keys(data_std, str(std), fejl)
    filer = [str(std)]
    data = dict(data_std)
    own = _fil_for(kode, mappe)
    if own is not None:
        data_own = _laes(own)
        _check_keys(data_own, str(own), fejl)
        data = _merge(data, data_own)
        filer.append(str(own))
        if "kommunekode" in data_own and data_own["kommunekode"] != kode:
            fejl.append(f"{own}: 'kommunekode' er {data_own['kommunekode']!r}, men filnavnet siger {kode:03d}")
        if "kommunenavn" in data_own and data_own["kommunenavn"] != navn:
            fejl.append(f"{own}: 'kommunenavn' er {data_own['kommunenavn']!r}, men kommune {kode:03d} hedder {navn!r}")
    where = str(own or std)
    perioder = data.pop("perioder", None) or {}
    if not isinstance(perioder, dict):
        fejl.append(f"{where}: 'perioder' skal være en samling af år: værdier")
        perioder = {}
    for p_aar, p_data in perioder.items():
        if isinstance(p_aar, bool) or not isinstance(p_aar, int):
            fejl.append(f"{where}: 'perioder' har nøglen {p_aar!r}, som ikke er et årstal")
        elif not isinstance(p_data, dict):
            fejl.append(f"{where}: 'perioder.{p_aar}' skal være en samling af nøgle: værdi")
        else:
            _check_keys(p_data, f"{where} (perioder.{p_aar})", fejl, periode=True)
    if isinstance(perioder.get(aar), dict):
        data = _merge(data, perioder[aar])
    data["kommunekode"] = kode
    data["kommunenavn"] = navn
    values = {}
    for key, (_typ, required, beskrivelse) in NOEGLER.items():
        if key in ("perioder", "tekster"):
            continue
        v = _convert(key, data.get(key), where, fejl) if key in data else None
        if v is None and required:
            fejl.append(f"{where}: '{key}' mangler ({beskrivelse}) for {aar}")
        values[key] = v
    tekster = data.get("tekster") if isinstance(data.get("tekster"), dict) else {}
    for k in TEKSTER:
        if not isinstance(tekster.get(k), str) or not tekster.get(k, "").strip():
            fejl.append(f"{where}: teksten 'tekster.{k}' mangler ({TEKSTER[k]}) for {aar}")
    if fejl:
        raise KommuneParameterFejl("Fejl i kommuneparametrene:\n" + "\n".join(f"  - {f}" for f in dict.fromkeys(fejl)))
    values["nettoprocent"] = values.get("nettoprocent") or {}
    return KommuneParametre(aar=aar, tekster={k: str(tekster[k]).strip() for k in TEKSTER},
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
