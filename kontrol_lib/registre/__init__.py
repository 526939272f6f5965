"""Layer 3, registers: the register contract (:mod:`.kontrakt`) and reading + validation of an
extract (:mod:`.indlaesning`). Everything above reads registers through this package."""

from kontrol_lib.registre.indlaesning import (FORMATS, STEMPEL, Fejl, RegisterFejl, Registre,
                                              cpr_birthdate_sql, find_files, indlaes, indlaes_fil,
                                              mask_cpr, som_registre, valider)

__all__ = ["FORMATS", "STEMPEL", "Fejl", "RegisterFejl", "Registre", "cpr_birthdate_sql", "find_files",
           "indlaes", "indlaes_fil", "mask_cpr", "som_registre", "valider"]
