"""``kontrol server`` without starting anything: the configuration file (validation, every problem
in Danish), jupyterhub_config.py for each authenticator (the lines that matter, exactly; every
``c.Class.trait`` a real trait of that class), the systemd units and timers, the cron file, and the
failure wrapper of the scheduled jobs (a failure is reported without the job's output)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kontrol_lib.flader.cli import main as kontrol
from kontrol_lib.flader.server import hub, konfig, planlagt, vagt
from kontrol_lib.flader.server.konfig import ServerFejl, fra_dict
from kontrol_lib.flader.visitering.server import CONFIG_ROD, DATA_ROD

ROD = Path(__file__).resolve().parents[1]
DB = "postgresql+psycopg:///kontrol?host=/var/run/postgresql"


def _konfig(**ekstra) -> konfig.ServerKonfig:
    return fra_dict({"db": DB, "programmappe": "/opt/kontrol/.venv/bin", "mappe": "/var/lib/kontrol/hub",
                     "proxy_program": "/opt/kontrol/.venv/chp/node_modules/.bin/configurable-http-proxy",
                     "notebooks": "/opt/kontrol/notebooks", **ekstra})


def _linjer(tekst: str) -> set[str]:
    return {linje for linje in tekst.splitlines() if linje.strip()}


FAELLES = {
    "c.JupyterHub.ip = '127.0.0.1'",
    "c.JupyterHub.port = 8000",
    'c.JupyterHub.hub_ip = "127.0.0.1"',
    "c.JupyterHub.hub_port = 8081",
    "c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:8001'",
    "c.ConfigurableHTTPProxy.command = ['/opt/kontrol/.venv/chp/node_modules/.bin/configurable-http-proxy']",
    "c.ConfigurableHTTPProxy.pid_file = '/var/lib/kontrol/hub/proxy.pid'",
    "c.JupyterHub.pid_file = '/var/lib/kontrol/hub/hub.pid'",
    "c.JupyterHub.db_url = 'sqlite:////var/lib/kontrol/hub/jupyterhub.sqlite'",
    "c.Spawner.cmd = ['/opt/kontrol/.venv/bin/jupyterhub-singleuser']",
    "c.Spawner.notebook_dir = '/opt/kontrol/notebooks'",
    "c.Spawner.args = ['--MappingKernelManager.cull_idle_timeout=3600', '--MappingKernelManager.cull_interval=300', "
    "'--MappingKernelManager.cull_connected=False']",
    "APP_URL = '/voila/render/visitering.ipynb'",
    "APP_GRUPPER = ['sagsbehandlere']",
    """    "command": ['/opt/kontrol/.venv/bin/python', "-m", "jupyterhub_idle_culler", "--timeout=7200", "--cull-every=600"],""",
}


def test_the_default_is_pam_on_127_0_0_1_with_local_process_spawner_the_store_and_culling():
    tekst = hub.konfiguration(_konfig(login={"grupper": ["kontrolgruppen"], "administratorer": ["it"]}),
                              som_root=True)
    linjer = _linjer(tekst)
    assert FAELLES <= linjer
    assert {'c.JupyterHub.authenticator_class = "pam"',
            "c.PAMAuthenticator.allowed_groups = ['kontrolgruppen']",
            "c.Authenticator.admin_users = ['it']",
            "c.JupyterHub.spawner_class = 'localprocess'"} <= linjer
    env = next(linje for linje in linjer if linje.startswith("c.Spawner.environment = "))
    assert eval(env.split(" = ", 1)[1]) == {            # noqa: S307 - a literal we wrote
        "KONTROL_DB": DB, "JUPYTER_PATH": str(DATA_ROD),
        "JUPYTER_CONFIG_PATH": f"{hub.SERVER_CONFIG}{os.pathsep}{CONFIG_ROD}"}
    assert "allow_all" not in tekst and "--allow-root" not in tekst and "shared-password" not in tekst


def test_the_voila_folders_are_those_the_app_is_served_with_alone():
    assert (hub.VOILA_DATA, hub.VOILA_CONFIG) == (DATA_ROD, CONFIG_ROD)


def test_ldap_with_a_search_user_whose_password_is_read_from_a_file():
    k = _konfig(login={"metode": "ldap", "grupper": ["cn=kontrol,ou=Grupper,dc=kommune,dc=dk"]},
                ldap={"server": "ldap.kommune.dk", "soeg_base": "ou=Brugere,dc=kommune,dc=dk",
                      "soeg_bruger": "cn=jupyterhub,dc=kommune,dc=dk",
                      "soeg_adgangskode_fil": "/etc/kontrol/ldap-adgangskode"})
    linjer = _linjer(hub.konfiguration(k))
    assert FAELLES <= linjer
    assert {'c.JupyterHub.authenticator_class = "ldapauthenticator.LDAPAuthenticator"',
            "c.LDAPAuthenticator.server_address = 'ldap.kommune.dk'",
            "c.LDAPAuthenticator.server_port = 636",
            "c.LDAPAuthenticator.tls_strategy = 'on_connect'",
            "c.LDAPAuthenticator.lookup_dn = True",
            "c.LDAPAuthenticator.user_search_base = 'ou=Brugere,dc=kommune,dc=dk'",
            "c.LDAPAuthenticator.user_attribute = 'sAMAccountName'",
            "c.LDAPAuthenticator.lookup_dn_search_user = 'cn=jupyterhub,dc=kommune,dc=dk'",
            "c.LDAPAuthenticator.lookup_dn_search_password = "
            "Path('/etc/kontrol/ldap-adgangskode').read_text().strip()",
            "c.LDAPAuthenticator.allowed_groups = ['cn=kontrol,ou=Grupper,dc=kommune,dc=dk']",
            "c.JupyterHub.spawner_class = 'localprocess'"} <= linjer


def test_azure_ad_with_groups_the_secret_from_a_file_and_the_domain_dropped_for_the_system_user(tmp_path):
    hemmelig = tmp_path / "hemmelighed"
    hemmelig.write_text("s3cret\n")
    k = _konfig(login={"metode": "azuread", "grupper": ["7f1c0000-0000-0000-0000-000000000001"]},
                azuread={"tenant_id": "t-1", "client_id": "c-1", "client_secret_fil": "/etc/kontrol/azuread",
                         "callback_url": "https://kontrol.kommune.dk/hub/oauth_callback"})
    tekst = hub.konfiguration(k)
    assert FAELLES <= _linjer(tekst)
    assert {"c.JupyterHub.authenticator_class = AzureAdUdenDomaene",
            "c.AzureAdOAuthenticator.tenant_id = 't-1'",
            "c.AzureAdOAuthenticator.client_id = 'c-1'",
            "c.AzureAdOAuthenticator.client_secret = Path('/etc/kontrol/azuread').read_text().strip()",
            "c.AzureAdOAuthenticator.oauth_callback_url = 'https://kontrol.kommune.dk/hub/oauth_callback'",
            "c.AzureAdOAuthenticator.username_claim = 'upn'",
            "c.AzureAdOAuthenticator.manage_groups = True",
            "c.AzureAdOAuthenticator.allowed_groups = ['7f1c0000-0000-0000-0000-000000000001']",
            } <= _linjer(tekst)
    # anna@kommune.dk is the system user anna, before the allowed/admin checks
    navne: dict = {"get_config": lambda: _C(), "__name__": "jupyterhub_config"}
    exec(compile(tekst.replace("/etc/kontrol/azuread", str(hemmelig)), "jupyterhub_config.py", "exec"), navne)  # noqa: S102 - our own generated config
    assert navne["AzureAdUdenDomaene"]().normalize_username("Anna@Kommune.dk") == "anna"
    assert "c.Authenticator.allow_all" not in tekst
    uden = hub.konfiguration(_konfig(login={"metode": "azuread"}, azuread={
        "tenant_id": "t", "client_id": "c", "client_secret_fil": "/f", "callback_url": "https://x", "fjern_domaene": False}))
    assert 'c.JupyterHub.authenticator_class = "azuread"' in uden and "AzureAdUdenDomaene" not in uden


def test_test_mode_is_the_shared_password_and_the_simple_spawner_and_only_on_127_0_0_1():
    k = _konfig(login={"metode": "test", "brugere": ["anna", "bo"]}, test={"adgangskode_fil": "/tmp/kode"},
                grupper={"sagsbehandlere": ["anna"]})
    linjer = _linjer(hub.konfiguration(k, som_root=True))
    assert {'c.JupyterHub.authenticator_class = "shared-password"',
            "c.SharedPasswordAuthenticator.user_password = Path('/tmp/kode').read_text().strip()",
            "c.Authenticator.allowed_users = ['anna', 'bo']",
            "c.JupyterHub.load_groups = {'sagsbehandlere': {'users': ['anna']}}",
            "c.JupyterHub.spawner_class = 'simple'"} <= linjer
    assert any("'--allow-root'" in linje for linje in linjer if linje.startswith("c.Spawner.args"))
    with pytest.raises(ServerFejl) as e:
        fra_dict({"db": DB, "adresse": "0.0.0.0", "login": {"metode": "test"}, "test": {"adgangskode_fil": "/k"}})
    assert "må kun lytte på 127.0.0.1" in str(e.value)


class _C:
    """A stand-in for traitlets' config object: records ``c.Class.trait = value``."""

    def __init__(self):
        object.__setattr__(self, "saet", {})

    def __getattr__(self, klasse):
        saet = self.saet

        class _K:
            def __setattr__(self, trait, vaerdi):
                saet[(klasse, trait)] = vaerdi

            def __getattr__(self, trait):
                return saet.setdefault((klasse, trait), {})
        return _K()


def _klasser():
    from jupyterhub.app import JupyterHub  # lazy: only these tests need JupyterHub's classes
    from jupyterhub.auth import Authenticator, PAMAuthenticator  # lazy: as above
    from jupyterhub.authenticators.shared import SharedPasswordAuthenticator  # lazy: as above
    from jupyterhub.proxy import ConfigurableHTTPProxy  # lazy: as above
    from jupyterhub.spawner import Spawner  # lazy: as above
    from ldapauthenticator import LDAPAuthenticator  # lazy: as above
    from oauthenticator.azuread import AzureAdOAuthenticator  # lazy: as above
    return {k.__name__: k for k in (JupyterHub, Authenticator, PAMAuthenticator, SharedPasswordAuthenticator,
                                    ConfigurableHTTPProxy, Spawner, LDAPAuthenticator, AzureAdOAuthenticator)}


@pytest.mark.parametrize("metode", ["pam", "ldap", "azuread", "test"])
def test_every_setting_written_is_a_configurable_trait_of_the_installed_jupyterhub(metode, tmp_path):
    f = tmp_path / "hemmelighed"
    f.write_text("hemmelig-kode\n")
    ekstra = {"ldap": {"server": "l", "soeg_base": "b", "soeg_bruger": "u", "soeg_adgangskode_fil": str(f)},
              "azuread": {"tenant_id": "t", "client_id": "c", "client_secret_fil": str(f), "callback_url": "https://x"},
              "test": {"adgangskode_fil": str(f)}}
    k = _konfig(login={"metode": metode, "grupper": [] if metode == "test" else ["g"]},
                grupper={"sagsbehandlere": ["anna"]},
                **({metode: ekstra[metode]} if metode in ekstra else {}))
    c = _C()
    exec(compile(hub.konfiguration(k), "jupyterhub_config.py", "exec"),  # noqa: S102 - our own generated config
         {"get_config": lambda: c, "__name__": "jupyterhub_config", "Path": Path})
    klasser = _klasser()
    assert c.saet
    if metode != "pam":     # the secret was read from its file when the hub loads the config
        assert "hemmelig-kode" in c.saet.values()
    for klasse, trait in c.saet:
        assert trait in klasser[klasse].class_traits(config=True), f"{klasse}.{trait}"


# ---------------------------------------------------------------------------- the configuration file
def test_the_example_is_valid_and_names_pam_by_default(tmp_path):
    k = konfig.laes(konfig.EKSEMPEL)
    assert (k.login.metode, k.adresse, k.planlagt.bruger) == ("pam", "127.0.0.1", "kontrol")


def test_every_problem_of_the_file_is_reported_at_once_in_danish(tmp_path):
    fil = tmp_path / "server.yaml"
    fil.write_text(yaml.safe_dump({"db": DB, "port": 70000, "login": {"metode": "kerberos"},
                                   "planlagt": {"daglig_kl": "25:00", "aar_dato": "13-01"}, "foo": 1}))
    with pytest.raises(ServerFejl) as e:
        konfig.laes(fil)
    assert e.value.fejl == [
        f"{fil}: foo: ukendt nøgle (kendte: adresse, port, hub_port, proxy_api_port, mappe, db, notebooks, "
        "programmappe, proxy_program, login, ldap, azuread, test, grupper, app_grupper, tomgang, planlagt)",
        f"{fil}: port: 70000 må højst være 65535",
        f"{fil}: login.metode: 'kerberos' er ukendt (kendte: pam, ldap, azuread, test)",
        f"{fil}: planlagt.daglig_kl: '25:00' er ikke et klokkeslæt (TT:MM)",
        f"{fil}: planlagt.aar_dato: '13-01' er ikke en dato i året (MM-DD, højst den 29.)",
    ]
    fil.write_text(yaml.safe_dump({"db": DB, "login": {"metode": "azuread"}}))
    with pytest.raises(ServerFejl) as e:
        konfig.laes(fil)
    assert e.value.fejl == [f"{fil}: login.metode er azuread, men afsnittet 'azuread' mangler"]


# ---------------------------------------------------------------------------- scheduled work
def _planlagt_konfig(**planlagt):
    return _konfig(planlagt={"data": "/srv/registre", "maanedsplan": "/etc/kontrol/maaned.yaml",
                             "aarsplan": "/etc/kontrol/aar.yaml", "mail_til": "kontrol@kommune.dk", **planlagt})


def test_systemd_units_run_each_job_in_the_wrapper_as_the_service_user_on_its_timer():
    filer = planlagt.systemd_filer(_planlagt_konfig(), "/etc/kontrol/server.yaml")
    assert sorted(filer) == ["kontrol-aarlig.service", "kontrol-aarlig.timer", "kontrol-daglig.service",
                             "kontrol-daglig.timer", "kontrol-hub.service", "kontrol-maanedlig.service",
                             "kontrol-maanedlig.timer"]
    service = _linjer(filer["kontrol-daglig.service"])
    assert {"Type=oneshot", "User=kontrol", "Group=kontrol", "WorkingDirectory=/var/lib/kontrol", "UMask=0077",
            "NoNewPrivileges=yes",
            "Environment='KONTROL_DB=postgresql+psycopg:///kontrol?host=/var/run/postgresql'",
            "ExecStart=/opt/kontrol/.venv/bin/python -m kontrol_lib.flader.server.vagt --navn daglig "
            "--logmappe /var/log/kontrol --mail-til kontrol@kommune.dk -- /opt/kontrol/.venv/bin/kontrol koer "
            "--data /srv/registre --dato @idag --db 'postgresql+psycopg:///kontrol?host=/var/run/postgresql'"
            } <= service
    assert "OnCalendar=*-*-* 02:30:00" in filer["kontrol-daglig.timer"]
    assert "OnCalendar=*-*-05 03:30:00" in filer["kontrol-maanedlig.timer"]
    assert "OnCalendar=*-01-10 03:30:00" in filer["kontrol-aarlig.timer"]
    assert {"Persistent=true", "WantedBy=timers.target", "Unit=kontrol-aarlig.service"} <= _linjer(
        filer["kontrol-aarlig.timer"])
    assert ("ExecStart=/opt/kontrol/.venv/bin/python -m kontrol_lib.flader.server.vagt --navn maanedlig "
            "--logmappe /var/log/kontrol --mail-til kontrol@kommune.dk -- /opt/kontrol/.venv/bin/kontrol batch "
            "/etc/kontrol/maaned.yaml --stille") in _linjer(filer["kontrol-maanedlig.service"])
    assert ("ExecStart=/opt/kontrol/.venv/bin/jupyterhub -f /var/lib/kontrol/hub/jupyterhub_config.py"
            in _linjer(filer["kontrol-hub.service"]))
    # systemd's specifier character is escaped
    med_procent = planlagt.systemd_filer(_konfig(db="postgresql+psycopg://k:a%40b@/kontrol"))
    assert "k:a%%40b@" in med_procent["kontrol-daglig.service"]


def test_without_batch_plans_only_the_daily_run_is_scheduled():
    assert [j.navn for j in planlagt.jobs(_konfig())] == ["daglig"]


def test_the_cron_file_has_the_same_schedule_as_the_service_user_and_mails_nothing_itself():
    tekst = planlagt.cron_fil(_planlagt_konfig(daglig_kl="01:05"))
    linjer = tekst.splitlines()
    assert 'MAILTO=""' in linjer
    vagt_ = ("/opt/kontrol/.venv/bin/python -m kontrol_lib.flader.server.vagt --navn {} --logmappe /var/log/kontrol "
             "--mail-til kontrol@kommune.dk -- ")
    forud = "cd /var/lib/kontrol && umask 077 && KONTROL_DB='postgresql+psycopg:///kontrol?host=/var/run/postgresql' exec "
    assert [linje for linje in linjer if not linje.startswith("#") and "=" not in linje.split()[0]] == [
        "5 1 * * * kontrol " + forud + vagt_.format("daglig") + "/opt/kontrol/.venv/bin/kontrol koer --data "
        "/srv/registre --dato @idag --db 'postgresql+psycopg:///kontrol?host=/var/run/postgresql'",
        "30 3 5 * * kontrol " + forud + vagt_.format("maanedlig") + "/opt/kontrol/.venv/bin/kontrol batch "
        "/etc/kontrol/maaned.yaml --stille",
        "30 3 10 1 * kontrol " + forud + vagt_.format("aarlig") + "/opt/kontrol/.venv/bin/kontrol batch "
        "/etc/kontrol/aar.yaml --stille",
    ]
    assert "\\%" in planlagt.cron_fil(_konfig(db="postgresql+psycopg://k:a%40b@/kontrol"))


def test_the_command_writes_the_hub_config_and_the_schedule_into_given_folders(tmp_path, capsys):
    fil = tmp_path / "server.yaml"
    fil.write_text(yaml.safe_dump({"db": DB, "mappe": str(tmp_path / "hub"),
                                   "planlagt": {"arbejdsmappe": str(tmp_path / "arb"),
                                                "logmappe": str(tmp_path / "log")}}))
    assert kontrol(["server", "--config", str(fil), "--kun-opsaet", "--planlaeg", "cron",
                    "--planmappe", str(tmp_path / "cron.d")]) == 0
    ud = capsys.readouterr().out
    konf = tmp_path / "hub" / "jupyterhub_config.py"
    assert f"JupyterHubs konfiguration: {konf}" in ud and f"Planlagt kørsel: {tmp_path / 'cron.d' / 'kontrol'}" in ud
    assert stat.S_IMODE(konf.stat().st_mode) == 0o600 and stat.S_IMODE((tmp_path / "hub").stat().st_mode) == 0o700
    assert "koer --data /srv/kontrol/registre --dato @idag" in (tmp_path / "cron.d" / "kontrol").read_text()
    assert kontrol(["server", "--config", str(tmp_path / "mangler.yaml")]) == 1
    assert "findes ikke" in capsys.readouterr().err


# ---------------------------------------------------------------------------- the failure wrapper
FALSK_CPR = "0101901234"
JOB = ["-c", f"import sys; print('behandler {FALSK_CPR} Anna Jensen, Storegade 1'); "
             f"print('Fejl ved {FALSK_CPR}', file=sys.stderr); sys.exit(3)"]


def test_a_failing_job_is_reported_with_code_and_name_only_never_its_output(tmp_path, capfd):
    sendmail = tmp_path / "sendmail"
    post = tmp_path / "post.txt"
    sendmail.write_text(f"#!/bin/sh\ncat > {post}\n")
    sendmail.chmod(0o755)
    kode = vagt.main(["--navn", "daglig", "--logmappe", str(tmp_path / "log"), "--mail-til", "k@kommune.dk",
                      "--sendmail", str(sendmail), "--", sys.executable, *JOB])
    assert kode == 3
    ud, fejl = capfd.readouterr()
    assert ud == ""
    assert re.fullmatch(r"Den planlagte kørsel 'daglig' \(python3?[\d.]*\) sluttede med afslutningskode 3 "
                        r"\d{4}-\d\d-\d\d kl\. \d\d:\d\d\. Uddata indeholder muligvis personoplysninger og er "
                        r"derfor ikke med her; de ligger i \S+/log/daglig\.log, som kun tjenestebrugeren kan læse\.\n",
                        fejl), fejl
    fejllog = (tmp_path / "log" / "fejl.log").read_text()
    mail = post.read_text()
    for tekst in (fejl, fejllog, mail):
        assert FALSK_CPR not in tekst and "Anna" not in tekst and "Storegade" not in tekst
    assert "Subject: Kontrol: den planlagte =?utf-8?" in mail or "Subject: Kontrol: den planlagte" in mail
    assert "To: k@kommune.dk" in mail and "afslutningskode 3" in mail.replace("=\n", "")
    assert " daglig kode=3 " in fejllog
    # the output itself is kept, for the service user only
    log = tmp_path / "log" / "daglig.log"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert FALSK_CPR in log.read_text() and "Fejl ved" in log.read_text()


def test_the_command_name_is_the_program_and_its_sub_command_never_an_argument():
    assert vagt.kommandonavn(["/opt/kontrol/.venv/bin/kontrol", "koer", "--data", "/srv/0101901234"]) == "kontrol koer"
    assert vagt.kommandonavn(["/usr/bin/python3", "/srv/0101901234.py"]) == "python3"


def test_a_job_that_succeeds_reports_nothing_and_today_replaces_the_placeholder(tmp_path, capfd):
    kode = vagt.koer("daglig", [sys.executable, "-c", "import sys; print(sys.argv[1])", vagt.IDAG],
                     tmp_path, idag=dt.date(2024, 5, 15))
    assert kode == 0
    assert capfd.readouterr() == ("", "")
    assert (tmp_path / "daglig.log").read_text() == "2024-05-15\n"
    assert not (tmp_path / "fejl.log").exists()


def test_a_job_that_cannot_start_is_reported_too(tmp_path, capfd):
    assert vagt.koer("aarlig", [str(tmp_path / "findes-ikke"), "batch"], tmp_path) == 1
    assert "kunne ikke startes" in capfd.readouterr().err


def test_the_wrapper_runs_as_a_module_as_cron_and_systemd_call_it(tmp_path):
    r = subprocess.run([sys.executable, "-m", "kontrol_lib.flader.server.vagt", "--navn", "daglig",
                        "--logmappe", str(tmp_path), "--", sys.executable, *JOB],
                       capture_output=True, text=True, cwd=ROD, env={**os.environ, "PYTHONPATH": str(ROD)})
    assert r.returncode == 3 and r.stdout == ""
    assert FALSK_CPR not in r.stderr and "afslutningskode 3" in r.stderr


def _falsk_miljoe(tmp_path: Path) -> Path:
    """A bin folder with ``python`` (this interpreter) and a fake ``kontrol`` that prints a
    CPR-like number and fails: what the scheduled lines call."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    (bin_ / "python").symlink_to(sys.executable)
    kontrol_ = bin_ / "kontrol"
    kontrol_.write_text(f"#!/bin/sh\necho \"$@\" > {tmp_path / 'argv.txt'}\necho 'fejl ved {FALSK_CPR}' >&2\nexit 2\n")
    kontrol_.chmod(0o755)
    return bin_


def test_the_cron_line_runs_in_a_shell_as_cron_would_and_reports_without_the_output(tmp_path):
    bin_ = _falsk_miljoe(tmp_path)
    k = _konfig(programmappe=str(bin_), db="sqlite:////tmp/k%40.sqlite",
                planlagt={"arbejdsmappe": str(tmp_path), "logmappe": str(tmp_path / "log"), "data": "/srv/r"})
    linje = next(linje for linje in planlagt.cron_fil(k).splitlines() if linje.startswith("30 2 "))
    felter = linje.split(None, 6)
    assert felter[5] == "kontrol"
    kommando = felter[6].replace("\\%", "%")         # cron turns \% into %
    r = subprocess.run(["/bin/sh", "-c", kommando], capture_output=True, text=True,
                       env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROD)})
    assert r.returncode == 2 and r.stdout == ""
    assert "'daglig' (kontrol koer) sluttede med afslutningskode 2" in r.stderr and FALSK_CPR not in r.stderr
    assert (tmp_path / "argv.txt").read_text() == (
        f"koer --data /srv/r --dato {dt.date.today().isoformat()} --db sqlite:////tmp/k%40.sqlite\n")
    assert FALSK_CPR in (tmp_path / "log" / "daglig.log").read_text()


def test_the_systemd_command_line_is_what_the_unit_runs(tmp_path):
    bin_ = _falsk_miljoe(tmp_path)
    k = _konfig(programmappe=str(bin_), planlagt={"logmappe": str(tmp_path / "log"), "maanedsplan": "/etc/p.yaml"})
    enhed = planlagt.systemd_filer(k)["kontrol-maanedlig.service"]
    exec_start = next(linje for linje in enhed.splitlines() if linje.startswith("ExecStart="))
    argv = shlex.split(exec_start.removeprefix("ExecStart=").replace("%%", "%"))
    r = subprocess.run(argv, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROD)})
    assert r.returncode == 2
    assert "'maanedlig' (kontrol batch) sluttede med afslutningskode 2" in r.stderr and FALSK_CPR not in r.stderr
    assert (tmp_path / "argv.txt").read_text() == "batch /etc/p.yaml --stille\n"


def test_make_test_installs_the_pinned_proxy_from_npm_before_pytest_and_make_server_starts_the_hub():
    make = (ROD / "Makefile").read_text()
    assert re.search(r"^test: .*\$\(CHP\)", make, re.M)
    assert re.search(r"^server: .*\$\(CHP\)\n\t\$\(KONTROL\) server --config \$\(SERVER_CONFIG\)$", make, re.M)
    assert "npm install --prefix $(CHP_DIR) --no-audit --no-fund --no-save configurable-http-proxy@$(CHP_VERSION)" in make
    assert re.search(r"^CHP_VERSION := \d+\.\d+\.\d+$", make, re.M)
    assert konfig.PROXY_PROGRAM == Path(sys.prefix) / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
