"""The hub term's pieces: the machine check, the student edition, the running classroom.

The fixtures that use them are in conftest.py (its docstring says what the term needs).
"""


import os
import re
import secrets
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from hub import classroom
from tests.browser.labdriver import INSTALL_HINT, find_chromium

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("NNLAB_SCREENSHOTS") or REPO / "screenshots") / "hub"
VIEWPORT = {"width": 1400, "height": 900}

INSTRUCTOR = "nnt-teach"
STUDENTS = ("nnt-ada", "nnt-bob")


def hub_required():
    return os.environ.get("NNLAB_REQUIRE_HUB", "") == "1"


def missing_pieces():
    """What this machine lacks to run a hub term (empty when it can)."""
    missing = []
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        missing.append("root (the term creates Linux users and runs the hub as root)")
    for tool in ("npm", "node", "runuser", "useradd", "chpasswd", "git"):
        if shutil.which(tool) is None:
            missing.append(f"the `{tool}` command")
    if not Path(classroom.SYSTEM_PYTHON).exists():
        missing.append(f"{classroom.SYSTEM_PYTHON} (the hub's venv is made from it)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("Playwright's Python package (`pip install -e '.[test]'`)")
    if find_chromium() is None:
        missing.append("Chromium. " + INSTALL_HINT)
    return missing


# ------------------------------------------------------------------ the student edition
def build_student_edition(dest):
    """The student edition (what students pull: `tools.student_edition.build`, the same tree as
    `make student-edition`) in `dest`, committed to a git repository there."""
    from tools.student_edition import build

    dest = Path(dest)
    build(REPO, dest)
    git(dest, "init", "--quiet", "--initial-branch=main")
    git(dest, "add", "--all")
    git(dest, "commit", "--quiet", "-m", "Student edition")
    return dest


def git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="nnlab", GIT_AUTHOR_EMAIL="nnlab@localhost",
               GIT_COMMITTER_NAME="nnlab", GIT_COMMITTER_EMAIL="nnlab@localhost")
    return subprocess.run(["git", "-C", str(repo), *args], env=env, check=True,
                          capture_output=True, text=True).stdout


# ------------------------------------------------------------------ the classroom
class Classroom:
    """A running hub with its users; what the term's steps share."""

    def __init__(self, root, prefix, port, user_venv=None):
        self.root = Path(root)
        self.prefix = Path(prefix)
        #: The users' servers' environment (None: the hub's own venv, as `make hub` runs them).
        self.user_venv = Path(user_venv) if user_venv else None
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.exchange = self.root / "exchange"
        self.state = self.root / "state"
        self.upstream = self.root / "upstream" / "nnlab"
        self.passwords = {name: secrets.token_urlsafe(12) for name in (INSTRUCTOR, *STUDENTS)}
        self.process = None
        self.log_path = self.root / "jupyterhub.log"

    def start(self, timeout=60):
        self.state.mkdir(mode=0o700)
        env = classroom.hub_environment(self.prefix, port=self.port, state=self.state,
                                        exchange=self.exchange, user_venv=self.user_venv)
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(classroom.hub_command(self.prefix), cwd=self.state,
                                        env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with code {self.process.returncode}:\n"
                                   + self.log())
            try:
                with urllib.request.urlopen(self.url + "/hub/login", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"the hub did not answer within {timeout} s:\n" + self.log())

    def log(self):
        return self.log_path.read_text() if self.log_path.exists() else ""

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        # The idle culler first: with it running the hub takes about 30 s to stop.
        for pid in _children(self.process.pid):
            if "jupyterhub_idle_culler" in _cmdline(pid):
                os.kill(pid, signal.SIGTERM)
        self.process.send_signal(signal.SIGTERM)  # the hub stops the users' servers
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._log.close()

    def memory_mb(self, command):
        """Resident memory (MB) of the hub's process or of its child whose command line
        contains `command` (the hub itself for 'jupyterhub')."""
        pids = [self.process.pid] + _children(self.process.pid)
        pid = next(p for p in pids if command in _cmdline(p))
        status = Path(f"/proc/{pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024

    def as_user(self, name, command, **kwargs):
        """Run a shell command as a user, as they would in a JupyterLab terminal (with their
        server's hub token and exchange address, when their server runs)."""
        return classroom.as_user(name, command, env=self.server_env(name), at=self.prefix,
                                 user_venv=self.user_venv,
                                 capture_output=True, text=True, **kwargs)

    def server_env(self, name):
        """What a terminal in `name`'s JupyterLab has for the exchange: their server's
        JUPYTERHUB_API_TOKEN and NNLAB_EXCHANGE_URL (empty when their server is not running)."""
        import pwd

        uid = pwd.getpwnam(name).pw_uid
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if entry.stat().st_uid != uid or "jupyterhub-singleuser" not in _cmdline(
                        int(entry.name)):
                    continue
                variables = (entry / "environ").read_bytes().decode().split("\0")
            except OSError:
                continue
            env = dict(v.split("=", 1) for v in variables if "=" in v)
            return {k: env[k] for k in ("JUPYTERHUB_API_TOKEN", "NNLAB_EXCHANGE_URL") if k in env}
        return {}

    def home(self, name):
        return classroom.home(name)


def session_memory(name):
    """Resident memory (bytes) of all processes of the user `name`: their JupyterLab server and
    kernels, i.e. what one student's session costs the machine (INSTRUCTORS.md's sizing)."""
    import pwd

    uid = pwd.getpwnam(name).pw_uid
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields["Uid"].split()[0]) == uid and "VmRSS" in fields:
            total += int(fields["VmRSS"].split()[0]) * 1024
    return total


def _children(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""
