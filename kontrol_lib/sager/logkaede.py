"""The hash chain over the log tables (``overgange``, ``visninger``, ``roller``, ``afvisninger``,
``sletninger``, ``filer``, ``filsletninger``).

Each row stores ``forrige_hash`` (the ``hash`` of the previous row of the same table, by id;
:data:`START` for the first row) and ``hash`` = SHA-256 (hex) over :func:`kanonisk` of its own
fields plus ``forrige_hash``. The hash is computed in Python when the row is inserted, inside the
write transaction, after :func:`laas` (on SQLite the writer already holds the write lock from
``BEGIN IMMEDIATE``; on PostgreSQL a transaction-level advisory lock per table, :data:`PG_LAAS`,
queues the writers of that table, so the chain cannot fork: an advisory lock needs no privilege
on the table, and the application's roles have only INSERT and SELECT on the log tables, which
do not allow ``LOCK TABLE ... SHARE ROW EXCLUSIVE``). On PostgreSQL the showing functions of
revision 0005 write ``visninger`` rows in plpgsql, with the same canonical text and the same lock. The row id is not hashed (it is assigned by
the database); the order is, through ``forrige_hash``.

The canonical text is part of the stored data. Changing :data:`FELTER` or :func:`kanonisk` would
break every stored chain, so a new canonical form is a new revision that first verifies the chain
in the old form and then recomputes it in the new one: revision 0003 chained the rows in the form
:data:`FELTER_0003`; revision 0004 verified that chain and recomputed it with :data:`FELTER`, which
adds who acted in which role, with which identity and (views) for which purpose. Revision 0013
verified the chains in the form :data:`FELTER_0012` and recomputed ``overgange``, ``noter`` and
``sagsrelationer`` in today's form, which hashes the SHA-256 of the caseworkers' free text instead
of the text (:data:`FRITEKST`): ``kontrol slet`` replaces the text of an erased case with
:data:`SLETTET_FRITEKST`, and the chain still verifies, because the digest stays. While a text is
not erased, :func:`tjek` also checks it against its digest (an edited text is found).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import numbers

from sqlalchemy import Connection, text

PG_LAAS = {"overgange": 4211, "visninger": 4212, "roller": 4213, "afvisninger": 4214, "sletninger": 4215,
           "filer": 4216, "filsletninger": 4217, "noter": 4218, "sagsrelationer": 4219}
"""PostgreSQL advisory lock key of each chained table (revision 0005's functions use
``visninger``'s; never change a key)."""

START = "0" * 64
"""``forrige_hash`` of the first row of a table."""

FELTER_0003 = {
    "overgange": ("sag_id", "sekvens", "tid", "dato", "bruger", "haendelse", "fra", "til", "data"),
    "visninger": ("sag_id", "tid", "bruger", "hvad"),
}
"""The canonical form of revision 0003 (frozen: revisions 0003 and 0004 use it)."""

FELTER_0012 = {
    "overgange": ("sag_id", "sekvens", "tid", "dato", "bruger", "haendelse", "fra", "til", "data",
                  "rolle", "identitet"),
    "visninger": ("sag_id", "tid", "bruger", "hvad", "formaal", "rolle", "identitet"),
    "roller": ("tid", "af", "person", "rolle", "handling", "identitet"),
    "afvisninger": ("tid", "bruger", "handling", "rolle", "identitet"),
    "sletninger": ("tid", "bruger", "dato", "antal", "oversigt", "sag_ids", "rolle", "identitet"),
    "filer": ("tid", "bruger", "hvad", "sti", "sha256", "sag_ids", "rolle", "identitet"),
    "filsletninger": ("tid", "bruger", "fil_id", "resultat", "rolle", "identitet"),
    "noter": ("sag_id", "tid", "bruger", "tekst", "rolle", "identitet"),
    "sagsrelationer": ("sag_id", "relateret_sag_id", "tid", "bruger", "handling", "grund", "rolle", "identitet"),
}
"""The canonical form of revisions 0004–0012 (frozen: revision 0013 verifies the chains in it)."""

FELTER = {**FELTER_0012,
          "noter": ("sag_id", "tid", "bruger", "tekst_sha256", "rolle", "identitet"),
          "sagsrelationer": ("sag_id", "relateret_sag_id", "tid", "bruger", "handling", "grund_sha256", "rolle",
                             "identitet")}
"""The hashed fields of each chained table, in the canonical order (never a cpr number). In
``overgange`` the reason a caseworker typed (``data["grund"]``: reopening, a company case) is left
out of the hashed ``data`` (its digest ``grund_sha256`` stays in it), see :func:`kanonisk`."""

FRITEKST = {"noter": ("tekst", "tekst_sha256"), "sagsrelationer": ("grund", "grund_sha256"),
            "overgange": ("grund", "grund_sha256")}
"""The free text a caseworker types, and the column (for ``overgange``: the key in ``data``) that
holds its SHA-256, which the chain hashes instead of the text."""

SLETTET_FRITEKST = "Teksten er slettet efter opbevaringsfristen (kontrol slet)."
"""A caseworker's free text (note, reason) of an erased case (revision 0013's triggers check this
exact text)."""


def sha256(tekst: str) -> str:
    """SHA-256 (hex) of a text (UTF-8)."""
    return hashlib.sha256(tekst.encode("utf-8")).hexdigest()


def _data(data) -> dict | None:
    """``overgange.data`` parsed, when it holds a free-text reason (else None)."""
    if isinstance(data, dict):
        return data if FRITEKST["overgange"][0] in data else None
    if not isinstance(data, str) or f'"{FRITEKST["overgange"][0]}"' not in data:
        return None
    d = json.loads(data)
    return d if isinstance(d, dict) and FRITEKST["overgange"][0] in d else None


def med_fritekst_hash(tabel: str, raekke: dict) -> dict:
    """``raekke`` with the SHA-256 of its free text added (``noter``, ``sagsrelationer``: a
    column; ``overgange``: a key in ``data``, kept as text in the form ``til_json`` writes)."""
    if tabel not in FRITEKST:
        return raekke
    felt, digest = FRITEKST[tabel]
    if tabel != "overgange":
        return dict(raekke, **{digest: sha256(raekke[felt])})
    d = _data(raekke["data"])
    if d is None:
        return raekke
    d = dict(d, **{digest: sha256(d[felt])})
    return dict(raekke, data=json.dumps(d, ensure_ascii=False, sort_keys=True, default=str))


def _uden_fritekst(data):
    """The hashed form of ``overgange.data``: unchanged without a free-text reason; else the JSON
    without the reason (sorted keys, so PostgreSQL's jsonb rewriting of an erased row hashes alike)."""
    d = _data(data)
    if d is None:
        return data
    return json.dumps({k: v for k, v in d.items() if k != FRITEKST["overgange"][0]},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def fritekst_brud(tabel: str, raekke: dict) -> bool:
    """True when the row's free text is neither erased nor the text its digest was made of."""
    if tabel not in FRITEKST:
        return False
    felt, digest = FRITEKST[tabel]
    if tabel == "overgange":
        d = _data(raekke["data"])
        if d is None:
            return False
        tekst, h = d[felt], d.get(digest)
    else:
        tekst, h = raekke[felt], raekke[digest]
    return tekst != SLETTET_FRITEKST and (h is None or sha256(str(tekst)) != h)


def kolonner(tabel: str) -> list[str]:
    """The columns :func:`tjek` reads of ``tabel`` (id, the hashed fields, the free text,
    forrige_hash, hash)."""
    fri = [FRITEKST[tabel][0]] if tabel in FRITEKST and tabel != "overgange" else []
    return ["id", *FELTER[tabel], *fri, "forrige_hash", "hash"]


def som_tid(v) -> dt.datetime:
    """A timestamp as the databases store it: naive UTC, a plain ``datetime``."""
    if hasattr(v, "to_pydatetime"):                       # pandas.Timestamp
        v = v.to_pydatetime()
    if v.tzinfo is not None:
        v = v.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime(v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond)



def _tekst(v):
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, dt.datetime):
        return som_tid(v).isoformat(sep=" ", timespec="microseconds")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def kanonisk(tabel: str, raekke: dict, forrige_hash: str, felter: dict | None = None) -> str:
    """The canonical text of one row of ``tabel``: a JSON array of the table's name, its fields
    in :data:`FELTER` order (or ``felter``'s; dates ISO, timestamps with microseconds) and
    ``forrige_hash``. In today's form (``felter`` None) ``overgange.data`` is hashed without its
    free-text reason (:func:`_uden_fritekst`)."""
    if felter is None and tabel == "overgange":
        raekke = dict(raekke, data=_uden_fritekst(raekke["data"]))
    vaerdier = [_tekst(raekke[f]) for f in (felter or FELTER)[tabel]]
    return json.dumps([tabel, *vaerdier, forrige_hash], ensure_ascii=False, separators=(",", ":"))


def beregn(tabel: str, raekke: dict, forrige_hash: str, felter: dict | None = None) -> str:
    """The row's hash (SHA-256, hex)."""
    return hashlib.sha256(kanonisk(tabel, raekke, forrige_hash, felter).encode("utf-8")).hexdigest()


def laas(conn: Connection, tabel: str) -> None:
    """Queue the writers of ``tabel`` until the transaction ends (PostgreSQL; SQLite's
    ``BEGIN IMMEDIATE`` already did)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LAAS[tabel]})


def sidste_hash(conn: Connection, tabel: str) -> str:
    """The hash of the table's last row (:data:`START` when it is empty). Call :func:`laas` first."""
    h = conn.execute(text(f"SELECT hash FROM {tabel} ORDER BY id DESC LIMIT 1")).scalar()
    return START if h is None else h


def kaed(conn: Connection, tabel: str, raekker: list[dict]) -> list[dict]:
    """``raekker`` (to be inserted in this order) with ``forrige_hash`` and ``hash`` added,
    continuing the table's chain. Takes the table's lock."""
    laas(conn, tabel)
    forrige = sidste_hash(conn, tabel)
    out = []
    for r in raekker:
        r = med_fritekst_hash(tabel, r)
        h = beregn(tabel, r, forrige)
        out.append(dict(r, forrige_hash=forrige, hash=h))
        forrige = h
    return out


def tjek(tabel: str, raekker, felter: dict | None = None) -> str | None:
    """The first row of ``tabel`` (rows with id, the hashed fields, forrige_hash and hash, in id
    order) that does not fit the chain, as a Danish sentence; None when the chain holds. Names
    the table, row id and (where the table has one) sag_id only."""
    forrige = START
    for r in raekker:
        hvor = f"{tabel}, række id {r['id']}" + (f" (sag {r['sag_id']})" if r.get("sag_id") else "")
        if r["hash"] is None or r["forrige_hash"] is None:
            return f"hashkæden er brudt i {hvor}: rækken har ingen hash"
        if r["forrige_hash"] != forrige:
            return (f"hashkæden er brudt i {hvor}: rækken peger ikke på den forrige række "
                    "(en række før den er slettet, indsat eller ændret)")
        if beregn(tabel, r, forrige, felter) != r["hash"]:
            return f"hashkæden er brudt i {hvor}: rækkens indhold passer ikke med dens hash (rækken er ændret)"
        if felter is None and fritekst_brud(tabel, r):
            return f"hashkæden er brudt i {hvor}: rækkens fritekst passer ikke med dens hash (teksten er ændret)"
        forrige = r["hash"]
    return None
