"""The team server's configuration: one YAML file (``/etc/kontrol/server.yaml``; an example is
``eksempel.yaml`` beside this module, printed by ``kontrol server --eksempel``), validated with
pydantic; every problem is reported at once in the product's Danish format
(:mod:`kontrol_lib.parametre.yamlmodel`).

Secrets (the LDAP search password, the Azure AD client secret, the test password) are never in
the file: it names a file that holds them, readable by root only, read by the hub when it starts.
"""

from __future__ import annotations

import ipaddress
import re
import sys
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import Field

from kontrol_lib.parametre.yamlmodel import YamlFejl, YamlModel, fejl, laes_yaml, valider

EKSEMPEL = Path(__file__).resolve().parent / "eksempel.yaml"
STANDARD_FIL = Path("/etc/kontrol/server.yaml")
NOTEBOOKS = Path(__file__).resolve().parents[3] / "notebooks"
PROGRAMMAPPE = Path(sys.executable).parent
"""The venv's bin folder: jupyterhub, jupyterhub-singleuser, kontrol."""
PROXY_PROGRAM = Path(sys.prefix) / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
"""Where ``make proxy`` installs configurable-http-proxy from the npm registry."""
KL = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


class ServerFejl(YamlFejl):
    overskrift = "Fejl i serverens konfiguration"




class Login(YamlModel):
    metode: Literal["pam", "ldap", "azuread", "test"] = "pam"
    administratorer: list[str] = Field(default_factory=list, description="hubbens administratorer")
    brugere: list[str] = Field(default_factory=list, description="hvem der må logge ind (tom: se grupper)")
    grupper: list[str] = Field(default_factory=list,
                               description="pam: Unix-grupper; ldap: gruppers DN; azuread: gruppers objekt-id")


class Ldap(YamlModel):
    server: str
    port: int = Field(636, ge=1, le=65535)
    tls: Literal["on_connect", "before_bind"] = "on_connect"
    bind_dn: list[str] = Field(default_factory=list,
                               description="fx uid={username},ou=people,dc=kommune,dc=dk")
    soeg_base: str | None = None
    soeg_attribut: str = "sAMAccountName"
    soeg_bruger: str | None = None
    soeg_adgangskode_fil: Path | None = None


class AzureAd(YamlModel):
    tenant_id: str
    client_id: str
    client_secret_fil: Path
    callback_url: str = Field(description="https://<server>/hub/oauth_callback")
    brugernavn_felt: str = "upn"
    fjern_domaene: bool = True


class Test(YamlModel):
    adgangskode_fil: Path


class Tomgang(YamlModel):
    kerne_minutter: int = Field(60, ge=1)
    server_minutter: int = Field(120, ge=1)


class Planlagt(YamlModel):
    bruger: str = "kontrol"
    data: Path = Path("/srv/kontrol/registre")
    arbejdsmappe: Path = Path("/var/lib/kontrol")
    logmappe: Path = Path("/var/log/kontrol")
    mail_til: str | None = None
    daglig_kl: str = "02:30"
    maanedsplan: Path | None = None
    maaned_dag: int = Field(5, ge=1, le=28)
    aarsplan: Path | None = None
    aar_dato: str = "01-10"
    batch_kl: str = "03:30"


class ServerKonfig(YamlModel):
    adresse: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    hub_port: int = Field(8081, ge=1, le=65535)
    proxy_api_port: int = Field(8001, ge=1, le=65535)
    mappe: Path = Path("/var/lib/kontrol/hub")
    db: str = Field(description="sagslagerets URL, fx postgresql+psycopg:///kontrol?host=/var/run/postgresql")
    notebooks: Path = NOTEBOOKS
    programmappe: Path = PROGRAMMAPPE
    proxy_program: Path = PROXY_PROGRAM
    login: Login = Login()
    ldap: Ldap | None = None
    azuread: AzureAd | None = None
    test: Test | None = None
    grupper: dict[str, list[str]] = Field(default_factory=dict)
    app_grupper: list[str] = Field(default_factory=lambda: ["sagsbehandlere"])
    tomgang: Tomgang = Tomgang()
    planlagt: Planlagt = Planlagt()

    TEKSTER: ClassVar[dict[str, str]] = {}

    @classmethod
    def krydstjek(cls, data: dict, kontekst: dict | None) -> list:
        out = []
        login = data.get("login") if isinstance(data.get("login"), dict) else {}
        metode = login.get("metode", "pam")
        for navn in ("ldap", "azuread", "test"):
            if metode == navn and not isinstance(data.get(navn), dict):
                out.append(fejl((), f"login.metode er {navn}, men afsnittet '{navn}' mangler"))
        adresse = str(data.get("adresse", "127.0.0.1"))
        try:
            loopback = ipaddress.ip_address(adresse).is_loopback
        except ValueError:
            out.append(fejl(("adresse",), "{vaerdi} er ikke en IP-adresse", adresse))
            loopback = True
        if metode == "test" and not loopback:
            out.append(fejl((), "login.metode test (fælles adgangskode, alle servere som hubbens bruger) "
                                "må kun lytte på 127.0.0.1"))
        planlagt = data.get("planlagt") if isinstance(data.get("planlagt"), dict) else {}
        for noegle in ("daglig_kl", "batch_kl"):
            v = planlagt.get(noegle)
            if v is not None and not (isinstance(v, str) and KL.fullmatch(v)):
                out.append(fejl(("planlagt", noegle), "{vaerdi} er ikke et klokkeslæt (TT:MM)", v))
        v = planlagt.get("aar_dato")
        if v is not None and not (isinstance(v, str) and re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d)", v)):
            out.append(fejl(("planlagt", "aar_dato"), "{vaerdi} er ikke en dato i året (MM-DD, højst den 29.)", v))
        return out


def laes(sti: Path | str) -> ServerKonfig:
    """The configuration in ``sti``, or :class:`ServerFejl` with every problem."""
    sti = Path(sti)
    return valider(ServerKonfig, laes_yaml(sti, ServerFejl), str(sti), ServerFejl)


def fra_dict(data: dict, fil: str = "<konfiguration>") -> ServerKonfig:
    return valider(ServerKonfig, data, fil, ServerFejl)
