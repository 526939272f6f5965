"""The optional register table ``adressetekster`` for the synthetic folder: every address of
``adresser`` as text, in DAR's parts (vejnavn, husnr, etage, doer, postnr, postdistrikt).

Deterministic in the address number (same seed, same text), vectorised. The street names are
invented; postdistrikt is the municipality's name and postnr a made-up four-digit number per
municipality (synthetic data: no real address is ever named)."""

from __future__ import annotations

import numpy as np

from kontrol_lib.vokabular.steder import kommunenavn

VEJE = np.array(["Glemmevej", "Syntesevej", "Prøvestræde", "Eksempelgade", "Kontrolvænget", "Registerallé",
                 "Modelvej", "Testparken", "Datagade", "Opdigtet Boulevard", "Fiktionsvej", "Skyggestien",
                 "Tænkevej", "Pseudonymgade", "Udtræksvej", "Stikprøvevej"])
ETAGER = np.array(["st", "1", "2", "3", "4"])
DOERE = np.array(["th", "tv", "mf"])


def postnr(kommunekode: np.ndarray) -> np.ndarray:
    """A made-up four-digit postnummer per municipality (1000-9999)."""
    k = np.asarray(kommunekode, dtype=np.int64)
    return np.char.zfill(((k * 37) % 9000 + 1000).astype("U4"), 4)


def adressetekster(adr: np.ndarray, kommune: np.ndarray) -> dict[str, np.ndarray]:
    """One row per distinct address number (with its municipality): the columns of the contract
    (``adresse_id`` as the number; the writer forms the id from it and ``kommunekode``, as for
    ``adresser``). A third of the addresses are houses (no etage, no doer)."""
    adr = np.asarray(adr, dtype=np.int64)
    unik, foerste = np.unique(adr, return_index=True)
    kom = np.asarray(kommune, dtype=np.int64)[foerste]
    hus = unik % 3 == 0
    husnr = (1 + (unik // 7) % 150).astype("U3")
    husnr = np.where(unik % 11 == 0, np.char.add(husnr, "B"), husnr)
    etage = np.where(hus, "", ETAGER[(unik // 5) % len(ETAGER)])
    doer = np.where(hus, "", DOERE[(unik // 3) % len(DOERE)])
    koder = np.unique(kom)
    navne = np.array([kommunenavn(int(k)) for k in koder])
    return {"adresse_id": unik, "kommunekode": kom, "vejnavn": VEJE[(unik // 13) % len(VEJE)], "husnr": husnr,
            "etage": etage, "doer": doer, "postnr": postnr(kom), "postdistrikt": navne[np.searchsorted(koder, kom)]}
