"""The product's codes and their Danish labels, declared once.

Every other module takes its codes (the domains the import formats check) and its labels (what
reports, the kontrolark, the app and the KL export show) from here. Each ``*_TEKST`` dict maps
the codes, in their documented order, to their labels; the tuple of the same name without
``_TEKST`` is the domain.
"""

from __future__ import annotations

# Ydelser: the provenu vocabulary of spec/provenu.md (kontrolsager.csv, the case store, KL's export).
YDELSE_TEKST: dict[str, str] = {
    "kontanthjaelp": "Kontanthjælp", "uddannelseshjaelp": "Uddannelseshjælp",
    "integrationsydelse": "Integrationsydelse", "sygedagpenge": "Sygedagpenge",
    "ledighedsydelse": "Ledighedsydelse", "fleksjob": "Fleksjob", "ressourceforloeb": "Ressourceforløb",
    "oekonomisk_friplads": "Økonomisk friplads", "boligsikring": "Boligsikring", "boligydelse": "Boligydelse",
    "boerne_og_ungeydelse": "Børne- og ungeydelse", "boernetilskud": "Børnetilskud",
    "boernebidrag": "Børnebidrag", "barseldagpenge": "Barseldagpenge", "folkepension": "Folkepension",
    "foertidspension": "Førtidspension", "tidlig_pension": "Tidlig pension", "su": "SU",
    "tilflytning": "Tilflytning", "andet": "Andet",
}
# The ydelser Udbetaling Danmark sends for bagudgående kontrol (kontroltrin 3).
TRIN3_YDELSER = ("kontanthjaelp", "sygedagpenge", "oekonomisk_friplads")

# Kanaler: where a case came from.
KANAL_TEKST: dict[str, str] = {
    "anonym_anmeldelse": "Anonym anmeldelse", "navngiven_anmeldelse": "Navngiven anmeldelse",
    "intern": "Intern (egen kommune)", "dfd_registersamkoering": "Registersamkøring (Den Fælles Dataenhed)",
    "udk": "Udbetaling Danmark", "skattestyrelsen": "Skattestyrelsen", "politi": "Politiet",
    "su_styrelsen": "SU-styrelsen", "anden_kommune": "Anden kommune", "boligselskab": "Boligselskab",
    "projekt": "Projekt", "lokal_kontrolliste": "Lokal kontrolliste",
    "virksomhedskontrol": "Virksomhedskontrol (CVR)", "andet": "Andet",
}
# The kanal of the national register matching (the workflow's own cases) and of local lists.
KANAL_SAMKOERING = "dfd_registersamkoering"
KANAL_UDK = "udk"
KANAL_LOKAL_LISTE = "lokal_kontrolliste"
# A company (CVR) as the subject of a virksomhedskontrol: counted in its own kanal (issue 16).
KANAL_VIRKSOMHEDSKONTROL = "virksomhedskontrol"

# Myndigheder: the authority for a ydelse, and where a case was passed on to.
MYNDIGHED_TEKST: dict[str, str] = {
    "kommune": "Kommunen", "udk": "Udbetaling Danmark", "su_styrelsen": "SU-styrelsen",
    "skattestyrelsen": "Skattestyrelsen", "anden_kommune": "Anden kommune",
}
VIDERESENDT_TEKST: dict[str, str] = {
    "udk": "Udbetaling Danmark", "su_styrelsen": "SU-styrelsen", "skattestyrelsen": "Skattestyrelsen",
    "anden_kommune": "Anden kommune", "andet": "Anden myndighed",
}

# A closed case's result (also the closed statuses of the workflow).
RESULTAT_TEKST: dict[str, str] = {
    "henlagt_i_visitering": "Henlagt i visitering", "henlagt_efter_partshoering": "Henlagt efter partshøring",
    "aendret_tildeling": "Ændret tildeling", "udloebet": "Udløbet",
}
AENDRET = "aendret_tildeling"

# Rhythms of a forward saving; the horizon in months is the dated parameter
# provenu.horisont_maaneder, never a constant.
RYTME_TEKST: dict[str, str] = {
    "maaned": "pr. måned", "uge": "pr. uge", "kvartal": "pr. kvartal", "aar": "pr. år", "fast": "engangsbeløb",
}
AENDRING_TEKST: dict[str, str] = {"stop": "ydelsen er stoppet", "nedsat": "ydelsen er nedsat"}

# Kontroltyper: the national rules' six and the bestillingsliste's seventh (UDK's trin 3 cases).
KONTROLTYPE_TEKST: dict[str, str] = {
    "formue": "formue", "virksomhed": "virksomhed", "indkomst": "indkomst", "familie": "familie",
    "flytning": "flytning", "status": "status", "bagudgaaende": "bagudgående (kontroltrin 3)",
}
REGEL_KONTROLTYPER = ("formue", "virksomhed", "indkomst", "familie", "flytning", "status")
KONTROLTYPE_BAGUDGAAENDE = "bagudgaaende"

# Ydelsesområder: the bestillingsliste's filter (kle.csv's ydelsesomraade column).
YDELSESOMRAADE_TEKST: dict[str, str] = {
    "kontanthjaelp": "Kontanthjælp", "oekonomisk_friplads": "Økonomisk friplads", "pension": "Pension",
    "sygedagpenge": "Sygedagpenge", "udk_familie": "Familieydelser (Udbetaling Danmark)",
}
# The three areas of STAR's benchmark (spec/benchmark.md).
BENCHMARK_OMRAADER = ("kontanthjaelp", "sygedagpenge", "oekonomisk_friplads")

# Workflow statuses (spec/arbejdsgang.md).
UDSTILLET = "udstillet"
BESTILT = "bestilt"
PARTSHOERING = "partshoering"
HENLAGT_I_VISITERING = "henlagt_i_visitering"
HENLAGT_EFTER_PARTSHOERING = "henlagt_efter_partshoering"
AENDRET_TILDELING = AENDRET
UDLOEBET = "udloebet"
AABNE = (UDSTILLET, BESTILT, PARTSHOERING)
LUKKEDE = (HENLAGT_I_VISITERING, HENLAGT_EFTER_PARTSHOERING, AENDRET_TILDELING, UDLOEBET)
STATUSTEKST: dict[str, str] = {
    UDSTILLET: "udstillet på bestillingslisten",
    BESTILT: "bestilt (på prioriteringslisten)",
    PARTSHOERING: "sendt i partshøring (på feedbacklisten)",
    HENLAGT_I_VISITERING: "henlagt i visitering",
    HENLAGT_EFTER_PARTSHOERING: "henlagt efter partshøring",
    AENDRET_TILDELING: "afgjort med ændret tildeling",
    UDLOEBET: "udløbet uden at være behandlet",
}

# Roles (spec/sikkerhed.md): what a person may see and do. A person may hold several.
ROLLE_TEKST: dict[str, str] = {
    "sagsbehandler": "sagsbehandler (bestilling, prioriteringsliste og kontrolark med CPR, afgørelser)",
    "leder": "leder (rapporter, provenu, benchmark og overgangsloggen; ingen CPR)",
    "analytiker": "analytiker (pseudonymiserede data, nye kriterier til lokale lister; ingen CPR)",
    "administrator": "administrator (roller, sletning, parametre; ingen CPR)",
    "tilsyn": "tilsyn (visningsloggen, loggens integritet, borgerens indsigt i opslag)",
}
# Purposes (formål) a showing of personal data is logged with; a showing without one is refused.
FORMAAL_TEKST: dict[str, str] = {
    "visitering": "Visitering", "partshoering": "Partshøring", "afgoerelse": "Afgørelse",
    "klage": "Klagesag", "aktindsigt": "Aktindsigt", "tilsyn": "Tilsyn",
}
# Where the identity of the person in a log row came from.
IDENTITET_TEKST: dict[str, str] = {
    "styresystem": "styresystemets login", "jupyterhub": "JupyterHub-login",
    "test": "test-/demolager (navnet er angivet, ikke logget ind)",
}

# Users that are runs, not people: the log keeps the name, a reader sees what it is (issue 16).
DAGLIG_KOERSEL = "daglig_koersel"
BRUGER_TEKST: dict[str, str] = {
    DAGLIG_KOERSEL: "Daglig kørsel (automatisk)",
    "kontrol": "Planlagt kørsel (automatisk, tjenesteidentiteten kontrol)",
}


def brugertekst(navn):
    """The name a user reads for the one who did something: a run's Danish description
    (:data:`BRUGER_TEKST`), a person's login as it is."""
    return BRUGER_TEKST.get(navn, navn) if isinstance(navn, str) else navn


KONTROLTRIN_TEKST: dict[int, str] = {1: "Kontroltrin 1", 2: "Kontroltrin 2", 3: "Kontroltrin 3"}
JA_NEJ = ("ja", "nej")


# The domains: the codes in their documented order.
YDELSER = tuple(YDELSE_TEKST)
KANALER = tuple(KANAL_TEKST)
MYNDIGHEDER = tuple(MYNDIGHED_TEKST)
VIDERESENDT = tuple(VIDERESENDT_TEKST)
RESULTATER = tuple(RESULTAT_TEKST)
RYTMER = tuple(RYTME_TEKST)
AENDRINGER = tuple(AENDRING_TEKST)
KONTROLTYPER = tuple(KONTROLTYPE_TEKST)
YDELSESOMRAADER = tuple(YDELSESOMRAADE_TEKST)
ROLLER = tuple(ROLLE_TEKST)
FORMAAL = tuple(FORMAAL_TEKST)


def tekst(koder: dict, kode) -> str:
    """The Danish label of ``kode``; an unknown code is shown readable rather than hidden."""
    if kode in koder:
        return koder[kode]
    return str(kode).replace("_", " ").capitalize()
