"""Who is acting: the person an authentication system says, never what they type
(``spec/sikkerhed.md``, Identity).

:func:`logget_ind` is the one place the product learns who it works for:

- **JupyterHub** (the team server): a server the hub spawned has ``JUPYTERHUB_API_URL`` and
  ``JUPYTERHUB_API_TOKEN`` in its environment (and so has every kernel it starts: notebooks and
  the Voila app). The token is the hub's, issued to that one server; the hub's API is asked whom
  it belongs to (``GET {api}/user``). The answer, not the ``JUPYTERHUB_USER`` variable, is the
  person. A hub that does not answer is an error: the product never falls back to a guess.
- **Otherwise** (a laptop, a cron job, ``make demo``): the operating-system login of the process,
  read from the process's effective uid (not from ``$USER``/``$LOGNAME``, which anyone can set).

A **test/demo store** (:class:`~kontrol_lib.sager.lager.SagsLager` created with
``testlager=True`` or ``$KONTROL_TESTLAGER=1``) additionally accepts a name given in code, on the
command line (``--bruger``) or in ``$KONTROL_TESTIDENTITET``; every row it logs is then marked with
the identity source ``test``. Any other store refuses a given name that is not the logged-in
person's (:func:`bekraeft`).
"""

from __future__ import annotations

import json
import os
import pwd
import urllib.error
import urllib.request
from dataclasses import dataclass

from kontrol_lib.vokabular.fejl import KontrolFejl

TESTIDENTITET_MILJOE = "KONTROL_TESTIDENTITET"
"""The test identity provider: a name honoured by test/demo stores only."""

HUB_SVARTID = 10.0
"""Seconds to wait for the hub's API."""


@dataclass(frozen=True)
class Person:
    """An authenticated person. ``kilde``: where the identity came from (``styresystem``,
    ``jupyterhub`` or ``test``; see :data:`~kontrol_lib.vokabular.koder.IDENTITET_TEKST`)."""
    navn: str
    kilde: str

    def __str__(self) -> str:
        return self.navn


def _tjek_navn(navn: str) -> str:
    n = str(navn).strip()
    if not n:
        raise KontrolFejl("Brugernavnet er tomt")
    if len(n) > 100:
        raise KontrolFejl("Brugernavnet er for langt (højst 100 tegn)")
    if sum(ch.isdigit() for ch in n) >= 6:
        raise KontrolFejl("Brugernavnet må ikke indeholde et CPR-nummer eller lange talrækker")
    return n


def fra_hub(api_url: str, token: str, svartid: float = HUB_SVARTID) -> Person:
    """The owner of ``token`` according to the hub's REST API."""
    req = urllib.request.Request(api_url.rstrip("/") + "/user", headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(req, timeout=svartid) as svar:       # the hub, on this server
            navn = json.loads(svar.read().decode("utf-8"))["name"]
    except (urllib.error.URLError, OSError, ValueError, KeyError) as e:
        raise KontrolFejl("JupyterHub kunne ikke bekræfte, hvem du er (hubbens API svarede ikke som ventet: "
                          f"{type(e).__name__}); log ind igen, eller kontakt administratoren") from None
    return Person(_tjek_navn(navn), "jupyterhub")


def styresystemets_login() -> Person:
    """The login of the process's effective uid."""
    try:
        navn = pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        raise KontrolFejl(f"Processens bruger (uid {os.geteuid()}) har intet login-navn på denne maskine") from None
    return Person(_tjek_navn(navn), "styresystem")


def logget_ind(miljoe: dict | None = None) -> Person:
    """The person this process works for (see the module's docstring)."""
    env = os.environ if miljoe is None else miljoe
    api, token = env.get("JUPYTERHUB_API_URL"), env.get("JUPYTERHUB_API_TOKEN")
    if api and token:
        return fra_hub(api, token)
    return styresystemets_login()


def testperson(navn: str) -> Person:
    """A named test identity (accepted by test/demo stores only; logged as ``test``)."""
    return Person(_tjek_navn(navn), "test")


def bekraeft(person: Person, navn: str | None) -> None:
    """A name given (``--bruger``, a ``bruger`` argument) must be the logged-in person's."""
    if navn is None or not str(navn).strip():
        return
    if str(navn).strip() != person.navn:
        raise KontrolFejl(f"Du er logget ind som {person.navn}; et andet brugernavn kan ikke angives "
                          "(handlinger registreres altid på den, der er logget ind)")
