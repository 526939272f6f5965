"""Layer 2, parameters: every value a user or the law may change, read from ``parameters/``.

- :mod:`.daterede`: effective-dated parameters (``hent("regler.bil_alder_aar", dato)``).
- :mod:`.kommune`: per-municipality, per-year report parameters (texts, årsværk, nettoprocent).
"""

from kontrol_lib.parametre.daterede import Parameter, ParameterFejl, alle, hent, parameter_dir

__all__ = ["Parameter", "ParameterFejl", "alle", "hent", "parameter_dir"]
