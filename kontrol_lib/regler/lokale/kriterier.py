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

Every problem in a file is collected and reported together, each naming the file and the key
(``parameters/lister/x.yaml: kriterier[1].type: ukendt betingelse 'foo' (kendte: ...)``).
Nothing defaults silently except the documented defaults of :mod:`.betingelser`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from kontrol_lib.vokabular.steder import known_kle
from kontrol_lib.vokabular.fejl import KontrolFejl
from kontrol_lib.vokabular.koder import MYNDIGHEDER, REGEL_KONTROLTYPER, YDELSER
from kontrol_lib.parametre import parameter_dir
from kontrol_lib.regler.lokale.betingelser import BETINGELSER, EN_AF, RELATIONER, Betingelse

ADRESSER = ("nuvaerende", "tilflyttet_i_perioden")
KRAEVEDE = ("titel", "kilde", "begrundelse", "kontroltype", "gaelder_fra", "befolkning", "kriterier")
KENDTE = ("navn", "titel", "beskrivelse", "kilde", "begrundelse", "kontroltype", "gaelder_fra", "gaelder_til",
          "befolkning", "adresse", "periode", "sag", "kriterier")


class ListeFejl(KontrolFejl):
    """One or more problems in list files; the message names every file and key."""

    def __init__(self, fejl: list[str]):
        self.fejl = fejl
        super().__init__("Fejl i kontrollister:\n" + "\n".join(f"  {f}" for f in fejl))


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


# --------------------------------------------------------------------------- reading
def _er_ja(v) -> bool | None:
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip().lower() in ("ja", "nej"):
        return v.strip().lower() == "ja"
    return None


def _dato(v) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return None
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        return None


def _tekst(data: dict, key: str, fejl: list, fil: str, kraevet: bool = True) -> str | None:
    v = data.get(key)
    if v is None:
        if kraevet:
            fejl.append(f"{fil}: {key}: mangler")
        return None
    if not isinstance(v, str) or not v.strip():
        fejl.append(f"{fil}: {key}: skal være en tekst")
        return None
    return v.strip()


def _heltal(v, sti: str, lav, hoej, fejl: list) -> int | None:
    if isinstance(v, bool) or not isinstance(v, int):
        fejl.append(f"{sti}: '{v}' er ikke et heltal")
        return None
    if (lav is not None and v < lav) or (hoej is not None and v > hoej):
        fejl.append(f"{sti}: {v} skal ligge mellem {lav} og {hoej}")
        return None
    return v


def _param_vaerdi(p, v, sti: str, fejl: list):
    if p.kind == "int":
        return _heltal(v, sti, p.lav, p.hoej, fejl)
    if p.kind == "relationer":
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list):
            fejl.append(f"{sti}: skal være en liste af {', '.join(RELATIONER)}")
            return None
        bad = [x for x in v if x not in RELATIONER]
        if bad:
            fejl.append(f"{sti}: ukendt relation '{bad[0]}' (kendte: {', '.join(RELATIONER)})")
            return None
        return tuple(sorted(set(v), key=RELATIONER.index))
    if p.kind == "tekst":
        if not isinstance(v, str) or not v.strip():
            fejl.append(f"{sti}: skal være en tekst")
            return None
        return v.strip()
    if p.kind == "tekster":
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list) or not v or not all(isinstance(x, (str, int)) and str(x).strip() for x in v):
            fejl.append(f"{sti}: skal være en liste af tekster (mindst én)")
            return None
        return tuple(str(x).strip() for x in v)
    raise AssertionError(p.kind)  # pragma: no cover


def _kriterium(raw, sti: str, fil: str, fejl: list) -> Kriterium | None:
    here = f"{fil}: {sti}"
    if not isinstance(raw, dict):
        fejl.append(f"{here}: skal være en nøgle-værdi-liste med mindst 'type'")
        return None
    typ = raw.get("type")
    ikke = False
    if "ikke" in raw:
        ikke = _er_ja(raw["ikke"])
        if ikke is None:
            fejl.append(f"{here}.ikke: skal være ja eller nej, ikke '{raw['ikke']}'")
            ikke = False
    if typ is None:
        fejl.append(f"{here}.type: mangler (kendte: {', '.join([*BETINGELSER, EN_AF])})")
        return None
    if typ == EN_AF:
        ukendte = sorted(set(raw) - {"type", "betingelser", "ikke"})
        for u in ukendte:
            fejl.append(f"{here}.{u}: ukendt nøgle for en_af (kendte: type, betingelser)")
        if ikke:
            fejl.append(f"{here}.ikke: en_af kan ikke negeres; negér de enkelte betingelser")
        alt = raw.get("betingelser")
        if not isinstance(alt, list) or len(alt) < 2:
            fejl.append(f"{here}.betingelser: en_af skal have en liste med mindst to betingelser")
            return None
        subs = []
        for i, a in enumerate(alt, 1):
            if isinstance(a, dict) and a.get("type") == EN_AF:
                fejl.append(f"{here}.betingelser[{i}].type: en_af kan ikke stå inde i en_af")
                continue
            k = _kriterium(a, f"{sti}.betingelser[{i}]", fil, fejl)
            if k is not None:
                subs.append(k)
        return Kriterium(sti, None, {}, False, tuple(subs))
    b = BETINGELSER.get(typ)
    if b is None:
        fejl.append(f"{here}.type: ukendt betingelse '{typ}' (kendte: {', '.join([*BETINGELSER, EN_AF])})")
        return None
    kendte = {p.navn for p in b.params}
    for u in sorted(set(raw) - kendte - {"type", "ikke"}, key=str):
        fejl.append(f"{here}.{u}: ukendt parameter for {typ} "
                    f"(kendte: {', '.join(p.navn for p in b.params) or 'ingen'})")
    params = {}
    for p in b.params:
        psti = f"{here}.{p.navn}"
        if p.navn not in raw:
            if p.standard is None:
                fejl.append(f"{psti}: mangler ({p.tekst})")
            else:
                params[p.navn] = p.standard
            continue
        v = raw[p.navn]
        if isinstance(v, dict):
            vals = []
            for key, val in v.items():
                d = _dato(key)
                if d is None:
                    fejl.append(f"{psti}: '{key}' er ikke en dato (ÅÅÅÅ-MM-DD)")
                    continue
                vals.append((d, None if val is None else _param_vaerdi(p, val, f"{psti}[{key}]", fejl)))
            datoer = [d for d, _ in vals]
            if not vals:
                fejl.append(f"{psti}: en dateret værdi skal have mindst én dato")
            elif datoer != sorted(datoer) or len(set(datoer)) != len(datoer):
                fejl.append(f"{psti}: datoerne skal stå i stigende orden uden gentagelser")
            params[p.navn] = Dateret(tuple(vals))
        else:
            params[p.navn] = _param_vaerdi(p, v, psti, fejl)
    return Kriterium(sti, b, params, bool(ikke))


def laes_liste(data, fil: str, navn: str | None = None) -> Liste:
    """Check one list's parsed YAML (``data``); ``fil`` names it in messages, ``navn`` is the
    file stem. Raises :class:`ListeFejl` with every problem."""
    fejl: list[str] = []
    if not isinstance(data, dict):
        raise ListeFejl([f"{fil}: filen skal indeholde nøglerne {', '.join(KRAEVEDE)}"])
    for u in sorted(set(data) - set(KENDTE), key=str):
        fejl.append(f"{fil}: {u}: ukendt nøgle (kendte: {', '.join(KENDTE)})")
    if "navn" in data and navn is not None and data["navn"] != navn:
        fejl.append(f"{fil}: navn: '{data['navn']}' skal være filens navn '{navn}'")
    navn = navn or data.get("navn")
    if not navn or not isinstance(navn, str) or not all(c.islower() or c.isdigit() or c == "_" for c in navn):
        fejl.append(f"{fil}: navn: '{navn}' skal bestå af små bogstaver a-z, cifre og _")
    elif len(navn) > 50:
        fejl.append(f"{fil}: navn: '{navn}' er for langt (højst 50 tegn)")
    titel = _tekst(data, "titel", fejl, fil)
    kilde = _tekst(data, "kilde", fejl, fil)
    begrundelse = _tekst(data, "begrundelse", fejl, fil)
    beskrivelse = _tekst(data, "beskrivelse", fejl, fil, kraevet=False) or ""
    kt = data.get("kontroltype")
    if kt not in REGEL_KONTROLTYPER:
        fejl.append(f"{fil}: kontroltype: {'mangler' if kt is None else repr(kt) + ' er ukendt'} "
                    f"(kendte: {', '.join(REGEL_KONTROLTYPER)})")
    gf = _dato(data.get("gaelder_fra")) if "gaelder_fra" in data else None
    if gf is None:
        fejl.append(f"{fil}: gaelder_fra: {'mangler' if 'gaelder_fra' not in data else 'er ikke en dato'} "
                    "(ÅÅÅÅ-MM-DD)")
    gt = None
    if data.get("gaelder_til") is not None:
        gt = _dato(data["gaelder_til"])
        if gt is None:
            fejl.append(f"{fil}: gaelder_til: er ikke en dato (ÅÅÅÅ-MM-DD)")
        elif gf is not None and gt < gf:
            fejl.append(f"{fil}: gaelder_til: ligger før gaelder_fra")

    # befolkning
    bef = data.get("befolkning")
    befolkning = None
    kle_df = known_kle()
    if not isinstance(bef, dict):
        fejl.append(f"{fil}: befolkning: mangler (angiv ydelser, kle eller alle: ja)")
    else:
        for u in sorted(set(bef) - {"ydelser", "kle", "alle", "alder", "kraev_udbetaling"}, key=str):
            fejl.append(f"{fil}: befolkning.{u}: ukendt nøgle (kendte: ydelser, kle, alle, alder, kraev_udbetaling)")
        kle: set[str] = set()
        for y in _liste(bef.get("ydelser"), f"{fil}: befolkning.ydelser", fejl):
            hit = kle_df.loc[kle_df["ydelse"] == y, "kle"]
            if hit.empty:
                fejl.append(f"{fil}: befolkning.ydelser: ukendt ydelse '{y}' "
                            f"(kendte: {', '.join(sorted(set(kle_df['ydelse'])))})")
            kle |= set(hit)
        for k in _liste(bef.get("kle"), f"{fil}: befolkning.kle", fejl):
            if k not in set(kle_df["kle"]):
                fejl.append(f"{fil}: befolkning.kle: ukendt KLE-nummer '{k}' (se kontrol_lib/vokabular/data/kle.csv)")
            kle.add(str(k))
        alle = False
        if "alle" in bef:
            alle = _er_ja(bef["alle"])
            if alle is None:
                fejl.append(f"{fil}: befolkning.alle: skal være ja eller nej")
                alle = False
        if alle and kle:
            fejl.append(f"{fil}: befolkning.alle: kan ikke kombineres med ydelser eller kle")
        if not alle and not kle and "ydelser" not in bef and "kle" not in bef:
            fejl.append(f"{fil}: befolkning: angiv ydelser, kle eller alle: ja")
        af = at = None
        if "alder" in bef:
            a = bef["alder"]
            if not isinstance(a, dict) or not set(a) <= {"fra", "til"} or not a:
                fejl.append(f"{fil}: befolkning.alder: skal have fra og/eller til (hele år)")
            else:
                af = _heltal(a["fra"], f"{fil}: befolkning.alder.fra", 0, 130, fejl) if "fra" in a else None
                at = _heltal(a["til"], f"{fil}: befolkning.alder.til", 0, 130, fejl) if "til" in a else None
                if af is not None and at is not None and at < af:
                    fejl.append(f"{fil}: befolkning.alder: til ({at}) er mindre end fra ({af})")
        ku = False
        if "kraev_udbetaling" in bef:
            ku = _er_ja(bef["kraev_udbetaling"])
            if ku is None:
                fejl.append(f"{fil}: befolkning.kraev_udbetaling: skal være ja eller nej")
                ku = False
            if ku and alle:
                fejl.append(f"{fil}: befolkning.kraev_udbetaling: kræver ydelser eller kle")
        befolkning = Befolkning(tuple(sorted(kle)), bool(alle), af, at, bool(ku))

    adresse = data.get("adresse", "nuvaerende")
    if adresse not in ADRESSER:
        fejl.append(f"{fil}: adresse: '{adresse}' er ukendt (kendte: {', '.join(ADRESSER)})")
    periode = None
    if "periode" in data:
        p = data["periode"]
        if not isinstance(p, dict) or set(p) != {"maaneder"}:
            fejl.append(f"{fil}: periode: skal være 'maaneder: N'")
        else:
            periode = _heltal(p["maaneder"], f"{fil}: periode.maaneder", 1, 120, fejl)
    if adresse == "tilflyttet_i_perioden" and "periode" not in data:
        fejl.append(f"{fil}: periode: mangler (adresse: tilflyttet_i_perioden kræver 'periode: {{maaneder: N}}')")

    sag = data.get("sag") or {}
    sag_ydelse = sag_myndighed = None
    if not isinstance(sag, dict):
        fejl.append(f"{fil}: sag: skal have ydelse og/eller myndighed")
        sag = {}
    for u in sorted(set(sag) - {"ydelse", "myndighed"}, key=str):
        fejl.append(f"{fil}: sag.{u}: ukendt nøgle (kendte: ydelse, myndighed)")
    if "ydelse" in sag:
        sag_ydelse = sag["ydelse"]
        if sag_ydelse not in YDELSER:
            fejl.append(f"{fil}: sag.ydelse: '{sag_ydelse}' er ukendt (kendte: {', '.join(YDELSER)})")
    if "myndighed" in sag:
        sag_myndighed = sag["myndighed"]
        if sag_myndighed not in MYNDIGHEDER:
            fejl.append(f"{fil}: sag.myndighed: '{sag_myndighed}' er ukendt (kendte: {', '.join(MYNDIGHEDER)})")
    if befolkning is not None and befolkning.alle and sag_ydelse is None:
        fejl.append(f"{fil}: sag.ydelse: mangler (en liste over alle personer skal sige, hvilken ydelse "
                    f"sagen gælder)")

    kr = data.get("kriterier")
    kriterier = []
    if not isinstance(kr, list) or not kr:
        fejl.append(f"{fil}: kriterier: skal være en liste med mindst én betingelse")
    else:
        for i, raw in enumerate(kr, 1):
            k = _kriterium(raw, f"kriterier[{i}]", fil, fejl)
            if k is not None:
                kriterier.append(k)
    if fejl:
        raise ListeFejl(fejl)
    return Liste(navn, titel, beskrivelse, kilde, begrundelse, kt, gf, gt, befolkning, adresse, periode,
                 sag_ydelse, sag_myndighed, tuple(kriterier), fil)


def _liste(v, sti: str, fejl: list) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [v]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        fejl.append(f"{sti}: skal være en liste af tekster")
        return []
    return v


def laes_tekst(tekst: str, fil: str = "<kriterium>", navn: str | None = None) -> Liste:
    """A list from YAML text (the notebook's trial criterion)."""
    try:
        data = yaml.safe_load(tekst)
    except yaml.YAMLError as e:
        raise ListeFejl([f"{fil}: ikke gyldig YAML ({e})"]) from None
    return laes_liste(data, fil, navn)


def liste_mappe(mappe: str | Path | None = None) -> Path:
    return Path(mappe) if mappe else parameter_dir() / "lister"


def indlaes_lister(mappe: str | Path | None = None) -> dict[str, Liste]:
    """Every list under ``parameters/lister`` (or ``mappe``), checked; all problems of all files
    are reported together."""
    root = liste_mappe(mappe)
    if not root.is_dir():
        raise ListeFejl([f"{root}: mappen med kontrollister findes ikke"])
    out, fejl = {}, []
    for path in sorted(root.glob("*.yaml")):
        fil = _vis_sti(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as e:
            fejl.append(f"{fil}: ikke gyldig YAML ({e})")
            continue
        try:
            out[path.stem] = laes_liste(data, fil, path.stem)
        except ListeFejl as e:
            fejl += e.fejl
    if fejl:
        raise ListeFejl(fejl)
    return out


def _vis_sti(path: Path) -> str:
    """The path as the user knows it: relative to the working folder when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
