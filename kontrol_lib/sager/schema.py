"""The case store's tables (SQLAlchemy Core; the same definitions for SQLite and PostgreSQL).

The store is an append-only log. Rows are inserted, never updated or deleted:

- ``sager``: one row per case with what never changes about it (source, kontroltrin, authority,
  KLE, the YM's cpr, the day it was first udstillet, its udloebsdato, and the snapshot of
  stamoplysninger the kontrolark needs).
- ``overgange``: the log of transitions (time, business date, user, case, from → to, data). The
  current state of a case is the ``til`` of its highest ``sekvens``. ``(sag_id, sekvens)`` is
  unique: two transitions computed from the same state cannot both be stored, which is what makes
  "two decisions at once: exactly one wins" hold on both databases.
- ``udfald``: every udfald that is on a case. ``(ym_cpr, regel, haendelse_id)`` is unique: an
  udfald already on any case is fredet and never shown again. Since revision 0008 fredning is
  decided by the keyed key ``(ym_noegle, regel, haendelse_noegle)`` (HMAC-SHA256 with the file
  key; unique, nullable only because the columns were added to an existing table), which
  survives the erasure of the CPR numbers.
- ``beloeb``: the ydelser of a case and the amounts registered with a closing or correcting
  transition, one row per ydelse, in whole øre (exact on both databases).
- ``visninger``: who opened which case's personal data (kontrolark, prioriteringsliste,
  feedbackliste, search, indsigt), when, in which role and for which purpose (``formaal``).
- ``lager``: one row, written when the store is first opened: who created it and whether it is a
  test/demo store (whose log rows carry names as given, marked ``identitet = 'test'``).
- ``roller``: the log of granted and revoked roles; a person's roles are the fold of their rows.
- ``afvisninger``: every refused action (who, what, the role it needs).
- ``filer`` (0010): every file the product wrote with personal data (kontrolark, lists with CPR,
  indsigt): who, when, the absolute path, the SHA-256 of the content and the sag_ids in it (never a
  CPR number), hash-chained; ``filsletninger``: each registered file erased by ``kontrol slet``
  (or found gone), hash-chained. Both append-only.
- ``sletninger`` (0009): every erasure of personal data (``kontrol slet``: who, when, counts per
  closing year and reason, the sag_ids; never a CPR number), hash-chained; ``slettede_sager``: one
  row per erased case. The UPDATE triggers of ``sager`` and ``udfald`` let through exactly the
  erased form of a case listed there (see :mod:`.sletning`); nothing else is ever updated.
- ``noter`` (0012): free-text notes on a case (never a CPR number), hash-chained (over the
  text's SHA-256 since 0013, so ``kontrol slet`` can erase the text of an erased case);
  ``sagsrelationer``: links between cases (``tilknyt``/``fjern``, folded like ``roller``),
  hash-chained; ``sager.cvr``: the company of a virksomhedskontrol.

- ``sagsgrupper`` (0011): per case with a ydelsesmodtager its sex and age band on the day it was
  created, derived from the CPR number once, at creation, so the fairness measures never read one.
- ``bestandsgrupper`` (0011): the bestand's size per (run date, municipality, sex, age band),
  recorded at samkøring time for the fairness measures (aggregates only, never a CPR number).

The database enforces it (revision 0003): triggers refuse UPDATE and DELETE on every one of these
tables (0004: also on ``lager``, ``roller`` and ``afvisninger``). ``overgange``, ``visninger``,
``roller`` and ``afvisninger`` also carry a hash chain (``forrige_hash``, ``hash``; see
:mod:`.logkaede`), nullable only because rows are written once and the columns were added to
existing tables; every row the code writes has both.

Schema changes are Alembic revisions (see :mod:`.migrations`); a change to this module needs a
new revision that makes the same change, and Alembic's ``alembic_version`` records which have
run. (``skema_version``, the previous release's version table, is dropped by revision 0002.)
"""

from __future__ import annotations

from sqlalchemy import (BigInteger, Column, Date, DateTime, ForeignKey, Integer, MetaData, String,
                        Table, Text, UniqueConstraint, Index)

metadata = MetaData()

sager = Table(
    "sager", metadata,
    Column("sag_id", String(40), primary_key=True),
    Column("kommunekode", Integer, nullable=False),
    Column("kanal", String(40), nullable=False),
    Column("kontroltrin", Integer, nullable=False),
    Column("myndighed", String(40), nullable=False),
    Column("paragraf11", String(3), nullable=False),
    Column("ydelse", String(40), nullable=False),            # the case's default ydelse
    Column("kle", String(8)),                                # workflow cases: the YM's KLE
    Column("ydelsesomraade", String(40)),
    Column("ym_cpr", String(10)),                            # None for imported kontrolsager
    Column("oprettet", Date, nullable=False),                # first udstillet / created
    Column("udloebsdato", Date),                             # workflow cases only
    Column("kilde_id", String(60)),                          # e.g. UDK's case id (kontroltrin 3)
    Column("stamdata", Text),                                # JSON snapshot for the kontrolark
    Column("tid", DateTime, nullable=False),                 # when the row was written (UTC)
    Column("sagstype", String(60)),                          # KL effektmåling fields of an imported case (0006)
    Column("selvstaendig_erhvervsdrivende", String(3)),
    Column("virksomhedskontrol", String(3)),
    Column("cvr", String(8)),                                # a virksomhedskontrol's company (0012)
)
Index("ix_sager_ym", sager.c.ym_cpr)
Index("ix_sager_cvr", sager.c.cvr)
Index("ix_sager_kilde", sager.c.kanal, sager.c.kilde_id, unique=True)

overgange = Table(
    "overgange", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("sag_id", String(40), ForeignKey("sager.sag_id"), nullable=False),
    Column("sekvens", Integer, nullable=False),
    Column("tid", DateTime, nullable=False),                 # when it was recorded (UTC)
    Column("dato", Date, nullable=False),                    # the business date it took effect
    Column("bruger", String(100), nullable=False),
    Column("haendelse", String(40), nullable=False),
    Column("fra", String(40)),
    Column("til", String(40), nullable=False),
    Column("data", Text, nullable=False),                    # JSON, never a cpr number
    Column("forrige_hash", String(64)),                      # the hash chain (logkaede)
    Column("hash", String(64)),
    Column("rolle", String(20)),                             # the role it was done in (0004)
    Column("identitet", String(20)),                         # where the person's identity came from
    UniqueConstraint("sag_id", "sekvens", name="uq_overgange_sag_sekvens"),
)
Index("ix_overgange_dato", overgange.c.dato)

udfald = Table(
    "udfald", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("sag_id", String(40), ForeignKey("sager.sag_id"), nullable=False),
    Column("overgang_id", BigInteger().with_variant(Integer, "sqlite"), ForeignKey("overgange.id"),
           nullable=False),
    Column("ym_cpr", String(10), nullable=False),
    Column("regel", String(60), nullable=False),
    Column("haendelse_id", String(200), nullable=False),
    Column("person_cpr", String(10), nullable=False),
    Column("rolle", String(10), nullable=False),
    Column("haendelsesdato", Date),
    Column("kle", String(8)),
    Column("kommunekode", Integer),
    Column("oplysninger", Text, nullable=False),
    Column("regel_titel", String(200), nullable=False),
    Column("kontroltype", String(40), nullable=False),
    Column("koersdato", Date, nullable=False),
    Column("ym_noegle", String(64)),                         # HMAC-SHA256 of ym_cpr (0008; fredning)
    Column("haendelse_noegle", String(64)),                  # HMAC-SHA256 of haendelse_id (0008)
    UniqueConstraint("ym_cpr", "regel", "haendelse_id", name="uq_udfald_fredning"),
)
Index("ix_udfald_sag", udfald.c.sag_id)
Index("uq_udfald_fredning_noegle", udfald.c.ym_noegle, udfald.c.regel, udfald.c.haendelse_noegle, unique=True)

beloeb = Table(
    "beloeb", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("overgang_id", BigInteger().with_variant(Integer, "sqlite"), ForeignKey("overgange.id"),
           nullable=False),
    Column("sag_id", String(40), ForeignKey("sager.sag_id"), nullable=False),
    Column("ydelse", String(40), nullable=False),
    Column("myndighed", String(40)),                         # None: the case's
    Column("paragraf11", String(3)),                         # None: the case's
    Column("besparelse_rytme", String(10)),
    Column("besparelse_oere", BigInteger),
    Column("tilbagebetalingskrav_oere", BigInteger),
    Column("efterregulering_oere", BigInteger),
    Column("skat_oere", BigInteger),
    Column("aendring", String(20)),                          # stop / nedsat
    Column("politianmeldt", String(3)),
    Column("videresendt_til", String(60)),
    UniqueConstraint("overgang_id", "ydelse", name="uq_beloeb_overgang_ydelse"),
)
Index("ix_beloeb_sag", beloeb.c.sag_id)

visninger = Table(
    "visninger", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("tid", DateTime, nullable=False),
    Column("bruger", String(100), nullable=False),
    Column("sag_id", String(40), ForeignKey("sager.sag_id"), nullable=False),
    Column("hvad", String(40), nullable=False),
    Column("forrige_hash", String(64)),                      # the hash chain (logkaede)
    Column("hash", String(64)),
    Column("formaal", String(20)),                           # purpose (required since 0004)
    Column("rolle", String(20)),
    Column("identitet", String(20)),
)
Index("ix_visninger_sag", visninger.c.sag_id)
Index("ix_visninger_bruger", visninger.c.bruger)

lager = Table(
    "lager", metadata,
    Column("id", Integer, primary_key=True),
    Column("tid", DateTime, nullable=False),                 # when the store was first opened (UTC)
    Column("oprettet_af", String(100), nullable=False),
    Column("identitet", String(20), nullable=False),
    Column("testlager", Integer, nullable=False),            # 1: a test/demo store (names as given)
)

roller = Table(
    "roller", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("tid", DateTime, nullable=False),
    Column("af", String(100), nullable=False),               # who granted or revoked
    Column("person", String(100), nullable=False),
    Column("rolle", String(20), nullable=False),
    Column("handling", String(10), nullable=False),          # giv / fjern
    Column("identitet", String(20), nullable=False),
    Column("forrige_hash", String(64)),
    Column("hash", String(64)),
)
Index("ix_roller_person", roller.c.person)

afvisninger = Table(
    "afvisninger", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("tid", DateTime, nullable=False),
    Column("bruger", String(100), nullable=False),
    Column("handling", String(100), nullable=False),         # what was tried (Danish, no cpr)
    Column("rolle", String(100), nullable=False),            # the role(s) it needs
    Column("identitet", String(20), nullable=False),
    Column("forrige_hash", String(64)),
    Column("hash", String(64)),
)

sletninger = Table(
    "sletninger", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("tid", DateTime, nullable=False),
    Column("bruger", String(100), nullable=False),
    Column("dato", Date, nullable=False),                    # the erasure date the periods are counted to
    Column("antal", Integer, nullable=False),
    Column("oversigt", Text, nullable=False),                # JSON: counts per closing year and reason
    Column("sag_ids", Text, nullable=False),                 # JSON list (never a cpr)
    Column("rolle", String(20), nullable=False),
    Column("identitet", String(20), nullable=False),
    Column("forrige_hash", String(64)),
    Column("hash", String(64)),
)

slettede_sager = Table(
    "slettede_sager", metadata,
    Column("sag_id", String(40), ForeignKey("sager.sag_id"), primary_key=True),
    Column("sletning_id", BigInteger().with_variant(Integer, "sqlite"), ForeignKey("sletninger.id"),
           nullable=False),
)

filer = Table(
    "filer", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("tid", DateTime, nullable=False),
    Column("bruger", String(100), nullable=False),
    Column("hvad", String(40), nullable=False),              # kontrolark / prioriteringsliste / ...
    Column("sti", Text, nullable=False),                     # the absolute path written
    Column("sha256", String(64), nullable=False),            # of the content as written
    Column("sag_ids", Text, nullable=False),                 # JSON list (never a cpr)
    Column("rolle", String(20), nullable=False),
    Column("identitet", String(20), nullable=False),
    Column("forrige_hash", String(64)),
    Column("hash", String(64)),
)

filsletninger = Table(
    "filsletninger", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("tid", DateTime, nullable=False),
    Column("bruger", String(100), nullable=False),
    Column("fil_id", BigInteger().with_variant(Integer, "sqlite"), ForeignKey("filer.id"), nullable=False),
    Column("resultat", String(20), nullable=False),          # slettet / mangler
    Column("rolle", String(20), nullable=False),
    Column("identitet", String(20), nullable=False),
    Column("forrige_hash", String(64)),
    Column("hash", String(64)),
)
Index("ix_filsletninger_fil", filsletninger.c.fil_id)

bestandsgrupper = Table(
    "bestandsgrupper", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("koersdato", Date, nullable=False),               # the samkøring's run date
    Column("kommunekode", Integer, nullable=False),
    Column("koen", String(10), nullable=False),              # kvinde / mand / ukendt
    Column("aldersgruppe", String(10), nullable=False),      # regelgrundlag.ALDERSGRUPPER / ukendt
    Column("antal", Integer, nullable=False),                # distinct YM in the bestand (never a cpr)
    Column("tid", DateTime, nullable=False),
    UniqueConstraint("koersdato", "kommunekode", "koen", "aldersgruppe", name="uq_bestandsgrupper"),
)

sagsgrupper = Table(
    "sagsgrupper", metadata,
    Column("sag_id", String(40), ForeignKey("sager.sag_id"), primary_key=True),
    Column("koen", String(10), nullable=False),              # kvinde / mand / ukendt
    Column("aldersgruppe", String(10), nullable=False),      # on the day the case was created
)

noter = Table(
    "noter", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("tid", DateTime, nullable=False),
    Column("bruger", String(100), nullable=False),
    Column("sag_id", String(40), ForeignKey("sager.sag_id"), nullable=False),
    Column("tekst", Text, nullable=False),                   # never a CPR number (refused when written)
    Column("rolle", String(20), nullable=False),
    Column("identitet", String(20), nullable=False),
    Column("forrige_hash", String(64)),
    Column("hash", String(64)),    Column("tekst_sha256", String(64)),                      # 0013: the chain hashes this, not the text
)
Index("ix_noter_sag", noter.c.sag_id)

sagsrelationer = Table(
    "sagsrelationer", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("tid", DateTime, nullable=False),
    Column("bruger", String(100), nullable=False),
    Column("sag_id", String(40), ForeignKey("sager.sag_id"), nullable=False),
    Column("relateret_sag_id", String(40), ForeignKey("sager.sag_id"), nullable=False),
    Column("handling", String(10), nullable=False),          # tilknyt / fjern
    Column("grund", String(200), nullable=False),
    Column("rolle", String(20), nullable=False),
    Column("identitet", String(20), nullable=False),
    Column("forrige_hash", String(64)),
    Column("hash", String(64)),    Column("grund_sha256", String(64)),                      # 0013: the chain hashes this, not the text
)
Index("ix_sagsrelationer_sag", sagsrelationer.c.sag_id)
Index("ix_sagsrelationer_relateret", sagsrelationer.c.relateret_sag_id)

TABELLER = (sager, overgange, udfald, beloeb, visninger, lager, roller, afvisninger, sletninger, slettede_sager,
            filer, filsletninger, bestandsgrupper, sagsgrupper, noter, sagsrelationer)
