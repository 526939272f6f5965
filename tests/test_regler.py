"""Table-driven tests per rule (spec/regler.md): both sides of every threshold, YM and ÆF, KLE sets.

Every case starts from the same small world on D = 2024-05-15 (kontrolperiode 2024-02-01 …
2024-05-31, seneste hele måned April): a ydelsesmodtager (YM) on 32.24.04 since 2020 with a
payment in April, married since 2015 to ÆF, both living at address A1. A case adds rows and
lists the hits it expects for ONE rule as (rolle, haendelsesdato).
"""

import datetime as dt

import pytest

from kontrol_lib.regler import samkoer
from kontrol_lib.vokabular import tid
from kontrol_lib.regler.byg import skriv_mappe

D = dt.date(2024, 5, 15)
YM = "0101801234"
AEF = "0202811234"
BARN = "0303101234"
BARN2 = "0404121234"
EKS = "0505791234"   # an ex-/other spouse


def grund(dato=D, kle="32.24.04", gift=True, oprettet="2020-01-01"):
    betaling = tid.seneste_hele_maaned(dato)[0].replace(day=15)
    t = {
        "ydelsessager": [dict(cpr=YM, kommunekode=151, kle=kle, oprettet=oprettet)],
        "udbetalinger": [dict(cpr=YM, kle=kle, udbetalingsdato=betaling, beloeb="5000")],
        "civilstand": [],
        "adresser": [dict(cpr=YM, adresse_id="A1", kommunekode=151, fra_dato="2010-01-01"),
                     dict(cpr=AEF, adresse_id="A1", kommunekode=151, fra_dato="2010-01-01")],
        "personer": [dict(cpr=YM, foedselsdato="1980-01-01"), dict(cpr=AEF, foedselsdato="1981-02-02")],
    }
    if gift:
        t["civilstand"] += [dict(cpr=YM, haendelse="vielse", dato="2015-06-01", aegtefaelle_cpr=AEF),
                            dict(cpr=AEF, haendelse="vielse", dato="2015-06-01", aegtefaelle_cpr=YM)]
    return t


def med(t, **rows):
    for k, v in rows.items():
        t.setdefault(k, [])
        t[k] = t[k] + list(v)
    return t


def koer(tmp_path, t, regel, dato=D, kommune=None):
    mappe = skriv_mappe(tmp_path / "data", t)
    return samkoer(mappe, dato, kommune, regler=[regel])


def hits(df):
    return [(r.rolle, r.haendelsesdato.isoformat()) for r in df.itertuples()]


def bil(cpr, handel, dato, fr, kode=2, indeks=7500100, stel="VF1AAAA"):
    return dict(cpr=cpr, stelnummer=stel, handel=handel, handelsdato=dato, foerste_registrering=fr,
                ejerbrugerkode=kode, r75_indeks=indeks)


def ind(cpr, typ, dato, beloeb, cvr="11111111", branche="471100"):
    return dict(cpr=cpr, indberetter_cvr=cvr, branchekode=branche, indkomsttype=typ, udbetalingsdato=dato,
                beloeb=beloeb)


def adr(cpr, aid, fra, til=None):
    return dict(cpr=cpr, adresse_id=aid, kommunekode=151, fra_dato=fra, til_dato=til)


def case(navn, regel, rows, forventet, **kw):
    return pytest.param(regel, rows, forventet, kw, id=navn)


CASES = [
    # ---------------------------------------------------------------- bilkoeb / bilsalg
    case("a private car the YM bought, first registered exactly 15 years before D, is a bilkoeb hit", "bilkoeb",
         dict(biler=[bil(YM, "koeb", "2024-03-10", "2009-05-15")]), [("YM", "2024-03-10")]),
    case("a car first registered 15 years and one day before D is no bilkoeb hit", "bilkoeb",
         dict(biler=[bil(YM, "koeb", "2024-03-10", "2009-05-14")]), []),
    case("each of ejerbrugerkode 2, 3, 6 and 9 is checked and 1 is not", "bilkoeb",
         dict(biler=[bil(YM, "koeb", f"2024-03-1{i}", "2020-01-01", kode=c, stel=f"S{c}")
                     for i, c in enumerate([1, 2, 3, 6, 9])]),
         [("YM", "2024-03-11"), ("YM", "2024-03-12"), ("YM", "2024-03-13"), ("YM", "2024-03-14")]),
    case("a car with another R75 index than 7500100 is no bilkoeb hit", "bilkoeb",
         dict(biler=[bil(YM, "koeb", "2024-03-10", "2020-01-01", indeks=7500200)]), []),
    case("a car the spouse bought is a bilkoeb hit for ÆF", "bilkoeb",
         dict(biler=[bil(AEF, "koeb", "2024-03-10", "2020-01-01")]), [("ÆF", "2024-03-10")]),
    case("a car bought on the first day of the kontrolperiode is a hit and on the day before is not", "bilkoeb",
         dict(biler=[bil(YM, "koeb", "2024-02-01", "2020-01-01", stel="A"),
                     bil(YM, "koeb", "2024-01-31", "2020-01-01", stel="B")]), [("YM", "2024-02-01")]),
    case("a car bought after D inside D's month is a hit and on the first day after it is not", "bilkoeb",
         dict(biler=[bil(YM, "koeb", "2024-05-31", "2020-01-01", stel="A"),
                     bil(YM, "koeb", "2024-06-01", "2020-01-01", stel="B")]), [("YM", "2024-05-31")]),
    case("a sale is no bilkoeb hit", "bilkoeb", dict(biler=[bil(YM, "salg", "2024-03-10", "2020-01-01")]), []),
    case("a car the YM sold, first registered exactly 15 years before D, is a bilsalg hit", "bilsalg",
         dict(biler=[bil(YM, "salg", "2024-03-10", "2009-05-15"), bil(YM, "salg", "2024-03-11", "2009-05-14", stel="X")]),
         [("YM", "2024-03-10")]),
    case("a car bought and sold together by YM and ÆF gives a hit for each", "bilsalg",
         dict(biler=[bil(YM, "salg", "2024-03-10", "2019-01-01"), bil(AEF, "salg", "2024-03-10", "2019-01-01")]),
         [("YM", "2024-03-10"), ("ÆF", "2024-03-10")]),
    case("car rules do not apply to a YM on 32.24.08", "bilkoeb",
         dict(biler=[bil(YM, "koeb", "2024-03-10", "2020-01-01"), bil(AEF, "koeb", "2024-03-10", "2020-01-01")]),
         [], kle="32.24.08"),
    case("on D = 29 February 2024 a car first registered 28 February 2009 is new enough and 27 February is not",
         "bilkoeb", dict(biler=[bil(YM, "koeb", "2024-02-10", "2009-02-28", stel="A"),
                                bil(YM, "koeb", "2024-02-11", "2009-02-27", stel="B")]),
         [("YM", "2024-02-10")], dato=dt.date(2024, 2, 29)),
    # ---------------------------------------------------------------- mange_bilhandler
    case("three trades with cars older than 15 years give one hit dated at the latest trade", "mange_bilhandler",
         dict(biler=[bil(YM, "koeb", "2024-02-10", "2005-01-01", stel="A"), bil(YM, "salg", "2024-03-10", "2005-01-01", stel="A"),
                     bil(YM, "koeb", "2024-04-10", "2008-01-01", stel="B")]), [("YM", "2024-04-10")]),
    case("two trades with old cars are no mange_bilhandler hit", "mange_bilhandler",
         dict(biler=[bil(YM, "koeb", "2024-02-10", "2005-01-01", stel="A"), bil(YM, "salg", "2024-03-10", "2005-01-01", stel="A")]), []),
    case("a car first registered exactly 15 years before D is not older than 15 years", "mange_bilhandler",
         dict(biler=[bil(YM, "koeb", "2024-02-10", "2005-01-01", stel="A"), bil(YM, "salg", "2024-03-10", "2005-01-01", stel="A"),
                     bil(YM, "koeb", "2024-04-10", "2009-05-15", stel="B")]), []),
    case("a trade before the kontrolperiode does not count towards three", "mange_bilhandler",
         dict(biler=[bil(YM, "koeb", "2024-01-31", "2005-01-01", stel="A"), bil(YM, "salg", "2024-03-10", "2005-01-01", stel="A"),
                     bil(YM, "koeb", "2024-04-10", "2008-01-01", stel="B")]), []),
    case("trades of the spouse are counted apart from the YM's", "mange_bilhandler",
         dict(biler=[bil(YM, "koeb", "2024-02-10", "2005-01-01", stel="A"), bil(AEF, "salg", "2024-03-10", "2005-01-01", stel="A"),
                     bil(AEF, "koeb", "2024-04-10", "2008-01-01", stel="B"), bil(AEF, "salg", "2024-04-20", "2008-01-01", stel="B")]),
         [("ÆF", "2024-04-20")]),
    # ---------------------------------------------------------------- ny_virksomhed
    case("a company founded by the YM in the period is a hit and one founded before it is not", "ny_virksomhed",
         dict(virksomheder=[dict(cvr="22222222", cpr=YM, stiftelsesdato="2024-02-01"),
                            dict(cvr="33333333", cpr=YM, stiftelsesdato="2024-01-31")]), [("YM", "2024-02-01")]),
    case("a company founded by the spouse of a YM on 32.24.08 is no hit, the YM's own is", "ny_virksomhed",
         dict(virksomheder=[dict(cvr="22222222", cpr=AEF, stiftelsesdato="2024-03-01"),
                            dict(cvr="33333333", cpr=YM, stiftelsesdato="2024-03-02")]), [("YM", "2024-03-02")],
         kle="32.24.08"),
    # ---------------------------------------------------------------- b_indkomst
    case("B-income of exactly 500,00 kr. is no hit", "b_indkomst",
         dict(eindkomst=[ind(YM, 5, "2024-03-01", "500,00")]), []),
    case("B-income of 500,01 kr. is a hit", "b_indkomst",
         dict(eindkomst=[ind(YM, 5, "2024-03-01", "500,01")]), [("YM", "2024-03-01")]),
    case("two B-income lines adding up to 500,01 kr. give one hit dated at the latest line", "b_indkomst",
         dict(eindkomst=[ind(YM, 5, "2024-03-01", "250,00"), ind(YM, 5, "2024-05-31", "250,01", cvr="22222222")]),
         [("YM", "2024-05-31")]),
    case("B-income before the period and income of another type do not count", "b_indkomst",
         dict(eindkomst=[ind(YM, 5, "2024-01-31", "1000"), ind(YM, 0, "2024-03-01", "1000"),
                         ind(YM, 5, "2024-03-01", "400")]), []),
    case("B-income of the spouse is a hit for ÆF under 32.24.04", "b_indkomst",
         dict(eindkomst=[ind(AEF, 5, "2024-03-01", "600")]), [("ÆF", "2024-03-01")]),
    case("B-income of the spouse is no hit under 32.24.08, the YM's is", "b_indkomst",
         dict(eindkomst=[ind(AEF, 5, "2024-03-01", "600"), ind(YM, 5, "2024-03-02", "600")]),
         [("YM", "2024-03-02")], kle="32.24.08"),
    # ---------------------------------------------------------------- ny_arbejdsgiver
    case("a first salary ever, paid in the period, is a hit", "ny_arbejdsgiver",
         dict(eindkomst=[ind(YM, 0, "2024-03-01", "20000")]), [("YM", "2024-03-01")]),
    case("the same employer 60 days after its previous payment is no hit", "ny_arbejdsgiver",
         dict(eindkomst=[ind(YM, 0, "2024-01-01", "20000"), ind(YM, 0, "2024-03-01", "20000")]), []),
    case("the same employer 61 days after its previous payment is a hit", "ny_arbejdsgiver",
         dict(eindkomst=[ind(YM, 0, "2024-01-01", "20000"), ind(YM, 0, "2024-03-02", "20000")]), [("YM", "2024-03-02")]),
    case("a different employer than the previous payment is a hit", "ny_arbejdsgiver",
         dict(eindkomst=[ind(YM, 0, "2024-02-20", "20000"), ind(YM, 0, "2024-03-01", "20000", cvr="22222222")]),
         [("YM", "2024-03-01")]),
    case("the new employer's next payment is no new event", "ny_arbejdsgiver",
         dict(eindkomst=[ind(YM, 0, "2024-01-10", "20000"), ind(YM, 0, "2024-03-01", "20000", cvr="22222222"),
                         ind(YM, 0, "2024-04-01", "20000", cvr="22222222")]), []),
    case("type 4 from public administration (84) or insurance (65) is no salary, from others it is", "ny_arbejdsgiver",
         dict(eindkomst=[ind(YM, 4, "2024-03-01", "900", branche="841100"), ind(AEF, 4, "2024-03-01", "900", branche="651100"),
                         ind(AEF, 4, "2024-03-05", "900", cvr="22222222", branche="471100")]), [("ÆF", "2024-03-05")]),
    case("on one date the higher CVR counts as later, so two new employers on one day give one hit", "ny_arbejdsgiver",
         dict(eindkomst=[ind(YM, 0, "2024-03-01", "100", cvr="11111111"), ind(YM, 0, "2024-03-01", "100", cvr="22222222")]),
         [("YM", "2024-03-01")]),
    case("a payment after the end of D's month is not among the two latest", "ny_arbejdsgiver",
         dict(eindkomst=[ind(YM, 0, "2024-04-20", "100"), ind(YM, 0, "2024-06-01", "100", cvr="22222222")]),
         [("YM", "2024-04-20")]),
    case("a payment after D inside D's month is a hit", "ny_arbejdsgiver",
         dict(eindkomst=[ind(YM, 0, "2024-04-20", "100"), ind(YM, 0, "2024-05-31", "100", cvr="22222222")]),
         [("YM", "2024-05-31")]),
    case("a latest salary before the kontrolperiode is no hit", "ny_arbejdsgiver",
         dict(eindkomst=[ind(YM, 0, "2024-01-31", "100")]), []),
    # ---------------------------------------------------------------- momsindberetning
    case("a VAT report in the period with a yearly total other than 0 is a hit dated at the latest report",
         "momsindberetning",
         dict(moms=[dict(cpr=YM, cvr="22222222", aar=2024, r75_indeks=4200501, beloeb="1000", indberetningsdato="2024-04-10"),
                    dict(cpr=YM, cvr="22222222", aar=2024, r75_indeks=4200502, beloeb="-200", indberetningsdato="2024-05-20")]),
         [("YM", "2024-05-20")]),
    case("a VAT year adding up to 0 is no hit", "momsindberetning",
         dict(moms=[dict(cpr=YM, cvr="22222222", aar=2024, r75_indeks=4200501, beloeb="1000", indberetningsdato="2024-04-10"),
                    dict(cpr=YM, cvr="22222222", aar=2024, r75_indeks=4200502, beloeb="-1000", indberetningsdato="2024-05-10")]), []),
    case("a January run catches the previous year's fourth quarter", "momsindberetning",
         dict(moms=[dict(cpr=YM, cvr="22222222", aar=2023, r75_indeks=4200504, beloeb="750", indberetningsdato="2024-01-10")]),
         [("YM", "2024-01-10")], dato=dt.date(2024, 1, 20)),
    case("other R75 indices are not VAT totals", "momsindberetning",
         dict(moms=[dict(cpr=YM, cvr="22222222", aar=2024, r75_indeks=4200505, beloeb="750", indberetningsdato="2024-03-10")]), []),
    case("a VAT report before the period is no hit", "momsindberetning",
         dict(moms=[dict(cpr=AEF, cvr="22222222", aar=2024, r75_indeks=4200501, beloeb="750", indberetningsdato="2024-01-31")]), []),
    # ---------------------------------------------------------------- offentlig_ydelse
    case("a public benefit from a new payer is a hit dated at its first line in the period", "offentlig_ydelse",
         dict(eindkomst=[ind(YM, 1, "2024-03-01", "5000", cvr="29189846"), ind(YM, 1, "2024-04-01", "5000", cvr="29189846")]),
         [("YM", "2024-03-01")]),
    case("a payer that paid in the last whole month before the period is not new", "offentlig_ydelse",
         dict(eindkomst=[ind(YM, 1, "2024-01-31", "5000", cvr="29189846"), ind(YM, 1, "2024-03-01", "5000", cvr="29189846")]), []),
    case("a payer that last paid the day before the three months before the period is new", "offentlig_ydelse",
         dict(eindkomst=[ind(YM, 1, "2023-10-31", "5000", cvr="29189846"), ind(YM, 1, "2024-03-01", "5000", cvr="29189846")]),
         [("YM", "2024-03-01")]),
    case("lines from the municipality of the YM's own case are ignored when its CVR is known", "offentlig_ydelse",
         dict(eindkomst=[ind(AEF, 1, "2024-03-01", "5000", cvr="29189846"), ind(AEF, 1, "2024-03-02", "5000", cvr="12345678")],
              kommuner=[dict(kommunekode=151, cvr="12345678")]), [("ÆF", "2024-03-01")]),
    case("salary is not a public benefit", "offentlig_ydelse",
         dict(eindkomst=[ind(YM, 0, "2024-03-01", "5000", cvr="29189846")]), []),
    # ---------------------------------------------------------------- civilstand
    case("a skilsmisse of the YM in the period is a hit", "civilstand",
         dict(civilstand=[dict(cpr=YM, haendelse="skilsmisse", dato="2024-03-01")]), [("YM", "2024-03-01")]),
    case("civil status changes of the spouse are not checked", "civilstand",
         dict(civilstand=[dict(cpr=AEF, haendelse="separation", dato="2024-03-01", aegtefaelle_cpr=YM)]), []),
    case("civilstand is not checked for a YM on 32.24.08", "civilstand",
         dict(civilstand=[dict(cpr=YM, haendelse="skilsmisse", dato="2024-03-01")]), [], kle="32.24.08"),
    case("a couple still living together three months after a separation gives a hit on that day", "civilstand",
         dict(civilstand=[dict(cpr=YM, haendelse="separation", dato="2024-01-10", aegtefaelle_cpr=AEF)]),
         [("YM", "2024-04-10")]),
    case("three months after 30 November is 29 February", "civilstand",
         dict(civilstand=[dict(cpr=YM, haendelse="separation", dato="2023-11-30", aegtefaelle_cpr=AEF)]),
         [("YM", "2024-02-29")]),
    case("three months after a separation that fall after D give no hit yet, the separation itself does", "civilstand",
         dict(civilstand=[dict(cpr=YM, haendelse="separation", dato="2024-02-16", aegtefaelle_cpr=AEF)]),
         [("YM", "2024-02-16")]),
    case("three months after a separation falling on D give a hit", "civilstand",
         dict(civilstand=[dict(cpr=YM, haendelse="separation", dato="2024-02-15", aegtefaelle_cpr=AEF)]),
         [("YM", "2024-02-15"), ("YM", "2024-05-15")]),
    case("a couple living apart three months after the separation gives no hit", "civilstand",
         dict(civilstand=[dict(cpr=YM, haendelse="separation", dato="2024-01-10", aegtefaelle_cpr=AEF)],
              flyt={AEF: [adr(AEF, "A1", "2010-01-01", "2024-04-09"), adr(AEF, "A9", "2024-04-10")]}), []),
    case("a couple who moved apart the day after the third month still gives a hit", "civilstand",
         dict(civilstand=[dict(cpr=YM, haendelse="separation", dato="2024-01-10", aegtefaelle_cpr=AEF)],
              flyt={AEF: [adr(AEF, "A1", "2010-01-01", "2024-04-10"), adr(AEF, "A9", "2024-04-11")]}),
         [("YM", "2024-04-10")]),
    case("a skilsmisse after the separation means it was not lifted", "civilstand",
         dict(civilstand=[dict(cpr=YM, haendelse="separation", dato="2023-12-10", aegtefaelle_cpr=AEF),
                          dict(cpr=YM, haendelse="skilsmisse", dato="2024-01-20")]), []),
    # ---------------------------------------------------------------- barn_fraflytning
    case("a 17-year-old child moving away from the YM is a hit on the first day apart", "barn_fraflytning",
         dict(relationer=[dict(cpr=YM, barn_cpr=BARN)], personer=[dict(cpr=BARN, foedselsdato="2006-05-17")],
              adresser=[adr(BARN, "A1", "2010-01-01", "2024-05-15"), adr(BARN, "B1", "2024-05-16")]),
         [("YM", "2024-05-16")]),
    case("a child moving away on its 18th birthday is no hit", "barn_fraflytning",
         dict(relationer=[dict(cpr=YM, barn_cpr=BARN)], personer=[dict(cpr=BARN, foedselsdato="2006-05-17")],
              adresser=[adr(BARN, "A1", "2010-01-01", "2024-05-16"), adr(BARN, "B1", "2024-05-17")]), []),
    case("the parent moving away from the child counts too", "barn_fraflytning",
         dict(relationer=[dict(cpr=AEF, barn_cpr=BARN)], personer=[dict(cpr=BARN, foedselsdato="2010-01-01")],
              adresser=[adr(BARN, "A1", "2010-01-01")]) | {"flyt": {AEF: [adr(AEF, "A1", "2010-01-01", "2024-02-29"), adr(AEF, "A7", "2024-03-01")]}},
         [("ÆF", "2024-03-01")]),
    case("child and parent moving together to a new address is no hit", "barn_fraflytning",
         dict(relationer=[dict(cpr=YM, barn_cpr=BARN)], personer=[dict(cpr=BARN, foedselsdato="2010-01-01")],
              adresser=[adr(BARN, "A1", "2010-01-01", "2024-02-29"), adr(BARN, "C1", "2024-03-01")]) | {"flyt": {YM: [adr(YM, "A1", "2010-01-01", "2024-02-29"), adr(YM, "C1", "2024-03-01")]}},
         []),
    case("a child who died is no hit, a child without a personer row is no hit", "barn_fraflytning",
         dict(relationer=[dict(cpr=YM, barn_cpr=BARN), dict(cpr=YM, barn_cpr=BARN2)],
              personer=[dict(cpr=BARN, foedselsdato="2010-01-01", doedsdato="2024-03-01")],
              adresser=[adr(BARN, "A1", "2010-01-01", "2024-02-29"), adr(BARN2, "A1", "2010-01-01", "2024-02-29")]), []),
    case("a child moving on the first day of the period is a hit, on the day before it is not", "barn_fraflytning",
         dict(relationer=[dict(cpr=YM, barn_cpr=BARN), dict(cpr=YM, barn_cpr=BARN2)],
              personer=[dict(cpr=BARN, foedselsdato="2010-01-01"), dict(cpr=BARN2, foedselsdato="2012-01-01")],
              adresser=[adr(BARN, "A1", "2010-01-01", "2024-01-31"), adr(BARN2, "A1", "2010-01-01", "2024-01-30")]),
         [("YM", "2024-02-01")]),
    # ---------------------------------------------------------------- flytning
    case("a move of the YM in the period is a hit, the first address row never is", "flytning",
         dict(adresser=[adr(YM, "A2", "2024-03-01")]), [("YM", "2024-03-01")]),
    case("a new row at the same address is no move", "flytning",
         dict(adresser=[adr(YM, "A1", "2024-03-01")]), []),
    case("a move of the spouse is not checked", "flytning", dict(adresser=[adr(AEF, "A2", "2024-03-01")]), []),
    # ---------------------------------------------------------------- doedsfald / borgerstatus / foedsel / barn_doedsfald
    case("the YM's death in the period is a hit, the spouse's is not checked", "doedsfald",
         dict(personer=[]) | {"doed": True}, [("YM", "2024-04-01")]),
    case("a change of borgerstatus in the period is a hit and one before it is not", "borgerstatus",
         dict(borgerstatus=[dict(cpr=YM, status="udrejst", dato="2024-04-01"),
                            dict(cpr=YM, status="inaktiv", dato="2024-01-31")]), [("YM", "2024-04-01")]),
    case("a child born to the YM is a hit, a child only of the spouse is not", "foedsel",
         dict(relationer=[dict(cpr=YM, barn_cpr=BARN), dict(cpr=AEF, barn_cpr=BARN2)],
              personer=[dict(cpr=BARN, foedselsdato="2024-03-03"), dict(cpr=BARN2, foedselsdato="2024-03-04")]),
         [("YM", "2024-03-03")]),
    case("a child of the YM who died in the period is a hit", "barn_doedsfald",
         dict(relationer=[dict(cpr=YM, barn_cpr=BARN)],
              personer=[dict(cpr=BARN, foedselsdato="2010-03-03", doedsdato="2024-05-31")]), [("YM", "2024-05-31")]),
    # ---------------------------------------------------------------- underholdsbidrag
    case("a maintenance case with the YM as recipient of a special contribution is a hit, a normal one is not",
         "underholdsbidrag",
         dict(bidragssager=[dict(cpr=YM, rolle="bidragsmodtager", kle="32.15.20", oprettet="2024-03-01"),
                            dict(cpr=YM, rolle="bidragsmodtager", kle="32.16.04", oprettet="2024-03-02")]),
         [("YM", "2024-03-01")]),
    case("a maintenance case with the YM as payer of child support is a hit, of a special contribution is not",
         "underholdsbidrag",
         dict(bidragssager=[dict(cpr=YM, rolle="bidragsbetaler", kle="32.16.04", oprettet="2024-03-01"),
                            dict(cpr=YM, rolle="bidragsbetaler", kle="32.15.08", oprettet="2024-03-02")]),
         [("YM", "2024-03-01")]),
    case("underholdsbidrag is not checked for a YM on 32.24.10", "underholdsbidrag",
         dict(bidragssager=[dict(cpr=YM, rolle="bidragsbetaler", kle="32.16.04", oprettet="2024-03-01")]), [],
         kle="32.24.10"),
    # ---------------------------------------------------------------- feriekonto
    case("one hit per request day and first holiday day, for YM and ÆF", "feriekonto",
         dict(feriekonto=[dict(cpr=YM, anmodningsdato="2024-04-01", foerste_feriedag="2024-06-01", beloeb="1000",
                               forventet_udbetaling="2024-05-28"),
                          dict(cpr=YM, anmodningsdato="2024-04-01", foerste_feriedag="2024-07-01", beloeb="500",
                               forventet_udbetaling="2024-06-28"),
                          dict(cpr=AEF, anmodningsdato="2024-01-31", foerste_feriedag="2024-06-01", beloeb="500",
                               forventet_udbetaling="2024-05-28"),
                          dict(cpr=AEF, anmodningsdato="2024-02-01", foerste_feriedag="2024-06-01", beloeb="500",
                               forventet_udbetaling="2024-05-28")]),
         [("YM", "2024-04-01"), ("YM", "2024-04-01"), ("ÆF", "2024-02-01")]),
]


def _byg(rows, kw):
    dato = kw.get("dato", D)
    t = grund(dato=dato, kle=kw.get("kle", "32.24.04"))
    rows = dict(rows)
    for cpr, ny in rows.pop("flyt", {}).items():   # replace a person's address history
        t["adresser"] = [a for a in t["adresser"] if a["cpr"] != cpr] + ny
    if rows.pop("doed", False):
        t["personer"] = [dict(cpr=YM, foedselsdato="1980-01-01", doedsdato="2024-04-01"),
                         dict(cpr=AEF, foedselsdato="1981-02-02", doedsdato="2024-04-02")]
    return med(t, **rows), dato


@pytest.mark.parametrize("regel, rows, forventet, kw", CASES)
def test_rule(tmp_path, regel, rows, forventet, kw):
    t, dato = _byg(rows, kw)
    df = koer(tmp_path, t, regel, dato=dato)
    assert set(df["regel"]) <= {regel}
    assert sorted(hits(df)) == sorted(forventet)
    assert (df["ym_cpr"] == YM).all()
    # every hit explains itself in ONE Danish sentence
    assert all(df["oplysninger"].str.len() > 20)
    assert df["oplysninger"].str.endswith(".").all()
    assert not df["oplysninger"].str.contains(r"\. [A-ZÆØÅ]").any()
