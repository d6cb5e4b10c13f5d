"""Set up one machine as the course's JupyterHub: the hub's environment, the exchange, the users.

    python -m hub.classroom install                       # as root: /opt/nnlab-hub, the exchange
    python -m hub.classroom add-instructor teacher        # a Linux user who grades (asks nothing:
    python -m hub.classroom add-student ada               #   the password is read from stdin)
    python -m hub.classroom remove-user ada
    python -m hub.classroom start                         # the hub on http://127.0.0.1:8000

`make hub` runs all of these for a demonstration class (INSTRUCTORS.md, section 8). What it
builds, and why (each point is a trap observed on a real machine, see the tests in tests/hub/):

- one Python environment for the hub and every user's JupyterLab, a venv made from the system's
  `/usr/bin/python3` under `/opt/nnlab-hub` (a Python under `/root` cannot be run by students),
  with the versions of `hub/requirements.txt` and nnlab installed from this repository;
- configurable-http-proxy from npm (`hub/package.json`, `hub/package-lock.json`) in the same prefix;
- nbgrader's exchange as a service of the hub (hub/exchange/, installed into the venv): its store
  is a folder of mode 0700 that only the service (root) reads, so a student can neither submit
  as another nor read another's submission (nbgrader's own exchange, a shared 1777 folder,
  allows both); `<venv>/etc/jupyter/nbgrader_config.py`, which every user's nbgrader reads,
  names the course id and switches nbgrader to it;
- for everybody, the instructor tools off: nbgrader's formgrader and course-list server extensions
  disabled in the environment, and the lab plugins that `postBuild` disables for Binder disabled and
  locked there too (one list: postBuild's). The instructor gets them back in their own
  `~/.jupyter` (user-level settings come first);
- real Linux users with home folders of mode 0700 (Debian makes them 0755: students could read
  each other's work and the instructor's solutions), in the groups the hub admits
  (`nnlab-students`, `nnlab-instructors`);
- the instructor's course folder `~/nnlab` (a copy of this repository: solutions/, tools/,
  Makefile...) that nbgrader and the formgrader use as the course root.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent

#: Where the hub's environment goes, unless NNLAB_HUB_PREFIX says otherwise.
DEFAULT_PREFIX = Path("/opt/nnlab-hub")
#: nbgrader's exchange (shared by all users), unless NNLAB_EXCHANGE says otherwise.
DEFAULT_EXCHANGE = Path("/srv/nnlab/exchange")
#: The hub's own files (database, cookie secret), unless NNLAB_HUB_STATE says otherwise.
DEFAULT_STATE = Path("/srv/nnlab/hub")
#: The Python the hub's venv is made from: readable and runnable by every user.
SYSTEM_PYTHON = "/usr/bin/python3"

COURSE_ID = "nnlab"
STUDENTS_GROUP = "nnlab-students"
INSTRUCTORS_GROUP = "nnlab-instructors"
#: The instructor's course root (a copy of the repository), relative to their home.
COURSE_FOLDER = "nnlab"

#: nbgrader's server extensions only an instructor needs (students keep assignment_list and
#: validate_assignment: the Assignments tab and the Validate button).
INSTRUCTOR_SERVER_EXTENSIONS = ["nbgrader.server_extensions.formgrader",
                                "nbgrader.server_extensions.course_list"]


def prefix():
    return Path(os.environ.get("NNLAB_HUB_PREFIX") or DEFAULT_PREFIX)


def exchange_root():
    return Path(os.environ.get("NNLAB_EXCHANGE") or DEFAULT_EXCHANGE)


def venv(at=None):
    return Path(at or prefix()) / "venv"


def proxy_command(at=None):
    return Path(at or prefix()) / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"


def git_config(at=None):
    """The git configuration file given to every user's server (GIT_CONFIG_SYSTEM)."""
    return Path(at or prefix()) / "etc" / "gitconfig"


def instructor_plugins(postbuild=REPO / "postBuild"):
    """The lab plugins students must not have: those postBuild disables on Binder."""
    text = Path(postbuild).read_text()
    return re.findall(r"^\s*jupyter\s+labextension\s+disable\s+(\S+)", text, re.M)


def _run(args, log=print, capture_output=False, **kwargs):
    """Run a command; with capture_output, its output is shown only if it fails."""
    log("$ " + " ".join(str(a) for a in args))
    result = subprocess.run([str(a) for a in args], capture_output=capture_output, text=True,
                            **kwargs)
    if result.returncode != 0:
        output = (result.stdout or "") + (result.stderr or "") if capture_output else ""
        raise RuntimeError(f"{args[0]} failed with exit code {result.returncode}\n{output}")
    return result


def _digest(*paths):
    h = hashlib.sha256()
    for path in paths:
        h.update(Path(path).read_bytes())
    return h.hexdigest()


def _need_root():
    if os.geteuid() != 0:
        raise PermissionError("this step creates Linux users and system folders: run it as root")


# ---------------------------------------------------------------------------------- install
def install(at=None, exchange=None, repo=REPO, safe_directories=(), log=print):
    """Install (or bring up to date) the hub's environment under `at`; returns the venv's path.

    Idempotent: the pinned requirements and the proxy are installed again only when their files
    changed; nnlab is always reinstalled from `repo` (a few seconds), so the hub runs this
    checkout's library. `safe_directories` are local git repositories that users may pull from
    although root owns them (git refuses such "dubious ownership" otherwise).
    """
    _need_root()
    at = Path(at or prefix())
    exchange = Path(exchange or exchange_root())
    env_dir = venv(at)
    python = env_dir / "bin" / "python"
    if not python.exists():
        if not Path(SYSTEM_PYTHON).exists():
            raise FileNotFoundError(f"the hub's venv is made from {SYSTEM_PYTHON}: it is missing")
        at.mkdir(parents=True, exist_ok=True)
        _run([SYSTEM_PYTHON, "-m", "venv", env_dir], log)
    stamp = env_dir / ".nnlab-requirements"
    wanted = _digest(HERE / "requirements.txt")
    if not stamp.exists() or stamp.read_text() != wanted:
        _run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip", "setuptools>=68"],
             log)
        _run([python, "-m", "pip", "install", "--quiet", "-r", HERE / "requirements.txt"], log)
        stamp.write_text(wanted)
    # nnlab itself with the course's dependencies (pyproject's `course` extra, at the pinned
    # versions), as a regular install: users cannot read the repository. It is built from a
    # copy, so that no build/ folder is left in the repository.
    with tempfile.TemporaryDirectory() as scratch:
        source = copy_course(repo, Path(scratch) / "nnlab")
        _run([python, "-m", "pip", "uninstall", "--quiet", "--yes", "nnlab"], log,
             capture_output=True)
        _run([python, "-m", "pip", "install", "--quiet", "--no-build-isolation",
              "--constraint", HERE / "requirements.txt", f"{source}[course]"], log,
             capture_output=True)

    proxy_dir = at / "proxy"
    proxy_stamp = proxy_dir / ".nnlab-lock"
    wanted = _digest(HERE / "package.json", HERE / "package-lock.json")
    if not proxy_command(at).exists() or not proxy_stamp.exists() \
            or proxy_stamp.read_text() != wanted:
        if shutil.which("npm") is None:
            raise FileNotFoundError("npm is missing: the hub's proxy (configurable-http-proxy) "
                                    "is installed with it (Debian: apt-get install nodejs npm)")
        proxy_dir.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(HERE / name, proxy_dir / name)
        _run(["npm", "ci", "--silent", "--no-audit", "--no-fund"], log, cwd=proxy_dir)
        proxy_stamp.write_text(wanted)

    _install_exchange(python)
    _configure_environment(env_dir, exchange, log)
    _write_git_config(at, safe_directories)
    for folder in (exchange.parent, exchange):
        folder.mkdir(parents=True, exist_ok=True)
    os.chown(exchange, 0, 0)
    exchange.chmod(0o700)  # the exchange service's store (it runs as root): nobody else reads it
    os.chmod(at, 0o755)
    return env_dir


def _install_exchange(python):
    """The exchange (hub/exchange/: the service and nbgrader's classes for it) into the venv."""
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    purelib = subprocess.run([python, "-c", where], capture_output=True, text=True,
                             check=True).stdout.strip()
    target = Path(purelib) / "hub"
    shutil.rmtree(target, ignore_errors=True)
    (target / "exchange").mkdir(parents=True)
    (target / "__init__.py").write_text("")
    for source in (HERE / "exchange").glob("*.py"):
        shutil.copy(source, target / "exchange" / source.name)


def _configure_environment(env_dir, exchange, log):
    """What every user of the environment gets: the exchange service, no instructor tools."""
    etc = env_dir / "etc" / "jupyter"
    etc.mkdir(parents=True, exist_ok=True)
    (etc / "nbgrader_config.py").write_text(
        "# Written by hub/classroom.py: every user's nbgrader reads this (course id, exchange).\n"
        "# The exchange is the hub's service nnlab-exchange (hub/exchange/): its address is\n"
        "# NNLAB_EXCHANGE_URL, the caller is whoever owns JUPYTERHUB_API_TOKEN (both set in\n"
        "# every user's server, so in their terminals too).\n"
        "from hub.exchange.client import configure\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        "configure(c)\n")
    # Again only when the requirements or postBuild changed (each command takes seconds).
    jupyter, stamp = env_dir / "bin" / "jupyter", env_dir / ".nnlab-tools-off"
    wanted = _digest(HERE / "requirements.txt", REPO / "postBuild")
    if not stamp.exists() or stamp.read_text() != wanted:
        for extension in INSTRUCTOR_SERVER_EXTENSIONS:
            _run([jupyter, "server", "extension", "disable", "--sys-prefix", extension], log,
                 capture_output=True)
        plugins = instructor_plugins()
        for action in ("disable", "lock"):
            _run([jupyter, "labextension", action, "--level=sys_prefix", *plugins], log,
                 capture_output=True)
        stamp.write_text(wanted)
    # JupyterLab's news and update checks reach the internet; a classroom does not need them.
    settings = env_dir / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "overrides.json").write_text(json.dumps(
        {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                         "checkForUpdates": False}}, indent=1))


def _write_git_config(at, safe_directories):
    path = git_config(at)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Written by hub/classroom.py (GIT_CONFIG_SYSTEM of every user's server).\n"]
    if safe_directories:
        lines.append("[safe]\n")
        # git checks the work tree when it is cloned from, the .git folder when it is fetched
        lines += [f"\tdirectory = {d}{tail}\n" for d in safe_directories for tail in ("", "/.git")]
    path.write_text("".join(lines))
    path.chmod(0o644)


# ---------------------------------------------------------------------------------- users
def _user_exists(name):
    return subprocess.run(["id", "-u", name], capture_output=True).returncode == 0


def _check_name(name):
    if not re.fullmatch(r"[a-z_][a-z0-9_-]{0,30}", name or ""):
        raise ValueError(f"user name must be a Linux login (lower-case letters, digits, _ or -, "
                         f"starting with a letter), but got {name!r}")


def home(name):
    import pwd

    return Path(pwd.getpwnam(name).pw_dir)


def add_user(name, password, group, log=print):
    """Create the Linux user `name` (if new) with `password`, in `group`; home made private."""
    _need_root()
    _check_name(name)
    if not password:
        raise ValueError(f"password for {name!r} must not be empty")
    for g in (STUDENTS_GROUP, INSTRUCTORS_GROUP):
        if subprocess.run(["getent", "group", g], capture_output=True).returncode != 0:
            _run(["groupadd", g], log)
    if not _user_exists(name):
        _run(["useradd", "--create-home", "--shell", "/bin/bash", "--groups", group, name], log)
    else:
        _run(["usermod", "--append", "--groups", group, name], log)
    subprocess.run(["chpasswd"], input=f"{name}:{password}\n", text=True, check=True)
    home(name).chmod(0o700)  # Debian makes homes 0755: everyone could read everyone's work
    return home(name)


def add_student(name, password, log=print):
    return add_user(name, password, STUDENTS_GROUP, log)


def add_instructor(name, password, repo=REPO, log=print):
    """An instructor: a user of `nnlab-instructors` with the grading tools and the course root
    `~/nnlab`, a copy of the repository's files (solutions included)."""
    user_home = add_user(name, password, INSTRUCTORS_GROUP, log)
    jupyter = user_home / ".jupyter"
    (jupyter / "labconfig").mkdir(parents=True, exist_ok=True)
    plugins = instructor_plugins(Path(repo) / "postBuild")
    # User-level settings come before the environment's: the instructor's plugins are back on.
    (jupyter / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {p: False for p in plugins},
         "lockedExtensions": {p: False for p in plugins}}, indent=1))
    (jupyter / "jupyter_server_config.json").write_text(json.dumps(
        {"ServerApp": {"jpserver_extensions": {e: True for e in INSTRUCTOR_SERVER_EXTENSIONS}}},
        indent=1))
    course = user_home / COURSE_FOLDER
    (jupyter / "nbgrader_config.py").write_text(
        "# Written by hub/classroom.py: the formgrader's course is ~/nnlab, with its settings.\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        f"load_subconfig({str(course / 'nbgrader_config.py')!r})  # noqa: F821\n")
    if not course.exists():
        copy_course(repo, course)
    _run(["chown", "-R", f"{name}:{name}", jupyter, course], log)
    return user_home


def copy_course(repo, dest):
    """Copy the repository's files (tracked or new, not ignored) to `dest`."""
    listed = subprocess.run(["git", "-C", str(repo), "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = Path(repo) / name
        if source.is_file():
            target = Path(dest) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return Path(dest)


def remove_user(name, log=print):
    """Delete the Linux user `name`, their processes and their home folder."""
    _need_root()
    _check_name(name)
    if not _user_exists(name):
        return
    subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
    _run(["userdel", "--remove", name], log, capture_output=True)


def as_user(name, command, env=None, at=None, cwd=None, user_venv=None, **kwargs):
    """Run a shell command as the Linux user `name` in their home (or `cwd`), with the users'
    environment (the hub's, or `user_venv`) first on PATH: what they would type in a terminal."""
    user_home = home(name)
    user_venv = Path(user_venv or venv(at))
    variables = {"HOME": str(user_home), "USER": name, "LOGNAME": name,
                 "PATH": f"{user_venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
                 "NNLAB_ENV": str(user_venv), "GIT_CONFIG_SYSTEM": str(git_config(at)),
                 "LANG": "C.UTF-8", **(env or {})}
    assignments = [f"{k}={v}" for k, v in variables.items()]
    script = f"cd {cwd or user_home} && {command}"
    return subprocess.run(["runuser", "-u", name, "--", "env", "-i", *assignments,
                           "bash", "-c", script], **kwargs)



# ---------------------------------------------------------------------------------- start
def hub_command(at=None):
    """The command that runs the hub (as root, from its state folder)."""
    return [str(venv(at) / "bin" / "jupyterhub"), "-f", str(HERE / "jupyterhub_config.py")]


def hub_environment(at=None, port=8000, state=None, exchange=None, idle_timeout=3600,
                    user_venv=None):
    """Environment variables read by hub/jupyterhub_config.py (`user_venv`: the users' servers'
    environment, by default the hub's)."""
    return dict(os.environ, NNLAB_HUB_PREFIX=str(Path(at or prefix())),
                NNLAB_HUB_PORT=str(port), NNLAB_HUB_STATE=str(state or DEFAULT_STATE),
                NNLAB_EXCHANGE=str(exchange or exchange_root()),
                NNLAB_IDLE_TIMEOUT=str(idle_timeout), NNLAB_USER_VENV=str(user_venv or ""))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m hub.classroom",
                                     description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("install", help="the hub's environment, proxy and exchange (root)")
    for command in ("add-instructor", "add-student"):
        p = sub.add_parser(command, help="a Linux user; password read from stdin (root)")
        p.add_argument("name")
    p = sub.add_parser("remove-user", help="delete a user and their home (root)")
    p.add_argument("name")
    p = sub.add_parser("start", help="run the hub on 127.0.0.1 (root)")
    p.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    if args.command == "install":
        install()
    elif args.command in ("add-instructor", "add-student"):
        password = sys.stdin.readline().strip()
        (add_instructor if args.command == "add-instructor" else add_student)(args.name, password)
    elif args.command == "remove-user":
        remove_user(args.name)
    elif args.command == "start":
        _need_root()
        state = Path(os.environ.get("NNLAB_HUB_STATE") or DEFAULT_STATE)
        state.mkdir(parents=True, exist_ok=True)
        state.chmod(0o700)
        env = hub_environment(port=args.port, state=state)
        os.chdir(state)
        os.execve(hub_command()[0], hub_command(), env)


if __name__ == "__main__":
    main()
