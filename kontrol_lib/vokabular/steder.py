"""The product's fixed catalogues: the KLE numbers it knows (``data/kle.csv``: short Danish label,
ydelsesområde, ydelse) and Denmark's 98 municipalities (``data/kommuner.csv``)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd

from kontrol_lib.vokabular.fejl import KontrolFejl


@cache
def known_kle() -> pd.DataFrame:
    """The KLE numbers the product knows (group 32, ydelser), with a short Danish label,
    the ydelsesområde used on the bestillingsliste and in the benchmark, and the ydelse of
    the provenu vocabulary. Which of them make up the bestand is the dated parameter
    ``regler.bestand_kle``, not a property of the number."""
    with resources.files("kontrol_lib.vokabular.data").joinpath("kle.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str)


@cache
def shipped_kommuner() -> pd.DataFrame:
    """Denmark's 98 municipalities (kommunekode as int, kommunenavn, region)."""
    with resources.files("kontrol_lib.vokabular.data").joinpath("kommuner.csv").open(encoding="utf-8") as f:
        df = pd.read_csv(f, dtype={"kommunekode": "int64", "kommunenavn": str, "region": str})
    return df


def kommunenavn(kode: int) -> str:
    df = shipped_kommuner()
    hit = df.loc[df["kommunekode"] == int(kode), "kommunenavn"]
    if hit.empty:
        raise KeyError(f"Ukendt kommunekode: {kode}")
    return str(hit.iloc[0])


def kommunekode(kommune) -> int | None:
    """A municipality code given by a user (int or text) as a known kommunekode; None stays None.
    Anything else is a Danish :class:`KontrolFejl` naming the value."""
    if kommune is None:
        return None
    try:
        kode = int(kommune)
    except (TypeError, ValueError):
        raise KontrolFejl(f"Kommunekoden '{kommune}' er ikke et tal") from None
    if kode not in set(int(x) for x in shipped_kommuner()["kommunekode"]):
        raise KontrolFejl(f"Ukendt kommunekode: {kode}")
    return kode
