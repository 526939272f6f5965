"""The condition catalogue of ``docs/lister.md``, generated from :data:`.betingelser.BETINGELSER`
(never written twice; a test checks the page)."""

from __future__ import annotations

from kontrol_lib.regler.lokale.betingelser import BETINGELSER, EN_AF
from pathlib import Path

START = "<!-- betingelser: genereret af kontrol_lib/regler/lokale/betingelseskatalog.py; ret ikke i hånden -->"
SLUT = "<!-- betingelser: slut -->"


def _param(p) -> str:
    if p.kind == "relationer":
        art = "liste af aegtefaelle, barn, foraelder, soeskende"
    elif p.kind == "tekst":
        art = "tekst"
    elif p.kind == "tekster":
        art = "liste af tekster"
    else:
        art = f"heltal {p.lav}–{p.hoej}"
    std = "skal angives" if p.standard is None else (
        "standard " + ("[" + ", ".join(p.standard) + "]" if isinstance(p.standard, tuple) else str(p.standard)))
    return f"`{p.navn}` ({art}; {std}): {p.tekst}"


def betingelseskatalog() -> str:
    """Markdown: one section per condition type, then the ``en_af`` combinator."""
    linjer = [START, ""]
    for b in BETINGELSER.values():
        linjer += [f"### `{b.type}` – {b.titel}", "", b.hjaelp, ""]
        if b.params:
            linjer += ["Parametre:", ""] + [f"- {_param(p)}" for p in b.params] + [""]
        else:
            linjer += ["Ingen parametre.", ""]
        linjer += [f"Læser tabellerne: {', '.join(b.kraever)}.", ""]
    linjer += [f"### `{EN_AF}` – én af flere betingelser", "",
               "`betingelser:` er en liste med mindst to betingelser (ikke selv `en_af`); kriteriet er opfyldt, "
               "når mindst én af dem er. Oplysningerne fra dem, der er opfyldt, står på sagen adskilt af ` / `.", "",
               SLUT]
    return "\n".join(linjer)


def opdater_side(sti) -> str:
    """The text of ``docs/lister.md`` with the generated block replaced (write it back with
    ``Path(sti).write_text(opdater_side(sti))``)."""
    tekst = Path(sti).read_text(encoding="utf-8")
    foer, _, rest = tekst.partition(START)
    _, _, efter = rest.partition(SLUT)
    return foer + betingelseskatalog() + efter
