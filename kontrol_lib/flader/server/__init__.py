"""The team deployment on one server (``kontrol server``, ``docs/drift.md``).

- :mod:`.konfig`: the one YAML file an administrator edits (``/etc/kontrol/server.yaml``),
  validated with pydantic like every other file a user edits.
- :mod:`.hub`: ``jupyterhub_config.py`` generated from that file (a Jinja2 template): JupyterHub
  with PAM, LDAP or Azure AD, JupyterLab for analysts, the Voila app for caseworkers, PostgreSQL
  as the store, idle kernels culled and idle servers stopped.
- :mod:`.planlagt`: the daily samkøring and the report batches as systemd units and timers, or
  ``/etc/cron.d`` lines where systemd is not running, under a service user.
- :mod:`.vagt`: the wrapper those jobs run in: a failure is reported with the exit code, the
  command's name and a Danish sentence, never with the job's output (it may hold CPR numbers).
"""
