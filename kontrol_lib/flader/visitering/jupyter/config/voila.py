# Voila's Python configuration for the visitation app, read next to voila.json (JUPYTER_CONFIG_PATH).
#
# A closed tab must end its kernel: Voila's page sends POST /voila/api/shutdown/<kernel> on
# "beforeunload" with the _xsrf cookie's value, but Voila's page handler never reads the XSRF
# token, so tornado never sets the cookie, and the server refuses the request ("'_xsrf' argument
# missing from POST") and keeps the kernel (issue 16: one 320-380 MB kernel per closed tab).
# Reading the token before the kernel starts sets the cookie on the page's own response.
# (The culling in voila.json removes the kernels of tabs that never say goodbye.)


def saet_xsrf_cookie(req, notebook, cwd):
    """Voila's prelaunch hook: read the request's XSRF token, so the page gets its _xsrf cookie."""
    req.xsrf_token
    return None


c.VoilaConfiguration.prelaunch_hook = saet_xsrf_cookie  # noqa: F821 - `c` is the traitlets config
