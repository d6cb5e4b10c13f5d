"""JupyterHub configuration for one course machine (INSTRUCTORS.md, section 8).

Run as root by `make hub` or `python -m hub.classroom start`, after `python -m hub.classroom
install` built the environment. Everything the hub needs to know comes from these environment
variables (hub/classroom.py sets them; the defaults are a real course machine's):

    NNLAB_HUB_PREFIX    the hub's environment: venv/ and proxy/ (default /opt/nnlab-hub)
    NNLAB_HUB_STATE     the hub's database and cookie secret (default /srv/nnlab/hub)
    NNLAB_HUB_PORT      the public port on 127.0.0.1 (default 8000)
    NNLAB_EXCHANGE      the exchange service's store (hub/exchange/; default /srv/nnlab/exchange)
    NNLAB_IDLE_TIMEOUT  seconds without activity after which a user's server is stopped (3600)
    NNLAB_USER_VENV     the environment users' servers run from (default: the hub's venv; the
                        hub term sets the cluster image's, built by hub/image_venv.py)

Users are the machine's Linux users (PAM), admitted if they belong to the group
`nnlab-students` or `nnlab-instructors`; each gets their own JupyterLab, running under their own
uid in their home folder (LocalProcessSpawner). The public face is on 127.0.0.1: put a TLS
reverse proxy (nginx, Caddy) in front of it for a class.
"""

import os
import socket
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

PREFIX = Path(os.environ.get("NNLAB_HUB_PREFIX", "/opt/nnlab-hub"))
STATE = Path(os.environ.get("NNLAB_HUB_STATE", "/srv/nnlab/hub"))
PORT = int(os.environ.get("NNLAB_HUB_PORT", "8000"))
IDLE_TIMEOUT = int(os.environ.get("NNLAB_IDLE_TIMEOUT", "3600"))
VENV = PREFIX / "venv"
USER_VENV = Path(os.environ.get("NNLAB_USER_VENV") or VENV)
EXCHANGE = Path(os.environ.get("NNLAB_EXCHANGE", "/srv/nnlab/exchange"))


def free_port():
    """A port nobody listens on now (the internal ports need not be known in advance)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------ network: 127.0.0.1 only
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = PORT
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = free_port()  # the hub itself, behind the proxy
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{free_port()}"  # the proxy's API
c.ConfigurableHTTPProxy.command = [str(PREFIX / "proxy" / "node_modules" / ".bin" /
                                       "configurable-http-proxy")]
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# ------------------------------------------------------------------ who may log in
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {"nnlab-students", "nnlab-instructors"}
c.PAMAuthenticator.admin_groups = {"nnlab-instructors"}  # may see the hub's admin page
c.Authenticator.admin_users = set()
c.JupyterHub.admin_access = False  # admins may not open other users' servers

# ------------------------------------------------------------------ each user's JupyterLab
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(USER_VENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.ip = "127.0.0.1"
c.Spawner.notebook_dir = "~"
c.Spawner.environment = {
    "PATH": f"{USER_VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    # `make grade` and `make release` in the instructor's ~/nnlab use this environment as it is.
    "NNLAB_ENV": str(USER_VENV),
    # Local repositories owned by root that nbgitpuller may pull (hub/classroom.py writes it).
    "GIT_CONFIG_SYSTEM": str(PREFIX / "etc" / "gitconfig"),
    # nbgrader's exchange: the service below, through the public proxy.
    "NNLAB_EXCHANGE_URL": f"http://127.0.0.1:{PORT}/services/nnlab-exchange/",
}
c.Spawner.start_timeout = 60
c.Spawner.http_timeout = 60

# ------------------------------------------------------------------ the idle culler
# Stops a user's server after IDLE_TIMEOUT seconds without activity (their files stay).
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={IDLE_TIMEOUT}",
                f"--cull-every={max(IDLE_TIMEOUT // 6, 10)}"],
}]

# ------------------------------------------------------------------ nbgrader's exchange
# A service of the hub (hub/exchange/service.py, run as root): it keeps releases, submissions
# and feedback in NNLAB_EXCHANGE (mode 0700), takes each caller's name from their hub token and
# lets the members of the Linux group nnlab-instructors release, collect and give feedback.
c.JupyterHub.services.append({
    "name": "nnlab-exchange",
    "url": f"http://127.0.0.1:{free_port()}",
    "command": [sys.executable, "-m", "hub.exchange.service", f"--root={EXCHANGE}",
                "--instructors=nnlab-instructors", "--unix-group"],
})
