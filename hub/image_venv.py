"""The cluster's single-user image (hub/image/Dockerfile) as a venv on this machine.

There is no Docker or Kubernetes here, so the hub term (tests/hub/) runs every user's server
from a venv that holds what the image holds, made the same way:

- exactly `hub/image/requirements.txt` (jupyterhub-singleuser 5.5.0 as in the Zero to
  JupyterHub 4.4.0 chart, nbgrader, nbgitpuller, JupyterLab, the widgets);
- nnlab itself without dependencies, from the files the Dockerfile copies (`NNLAB_FILES`);
- the exchange client (hub/__init__.py, hub/exchange/) in a folder of its own, `nnlab-exchange/`
  next to the venv, on the venv's path (the image's `ENV PYTHONPATH=/opt/nnlab-exchange`; here
  a `.pth` file, so that every process of the venv has it, terminals and `make grade` included);
- the instructor tools off for everybody: `postBuild` (the lab plugins) and the server
  extensions in `STUDENT_OFF` (the image's `RUN jupyter server extension disable` line);
- the nbgrader config that hub/z2jh/values.yaml mounts at /etc/jupyter/nbgrader_config.py
  (`singleuser.extraFiles.nbgrader-config`), taken from values.yaml at every install and written
  into the venv's own system config folder, `<venv>/etc/jupyter/`. Its exchange address comes
  from NNLAB_EXCHANGE_URL, which the values set in every pod (`singleuser.extraEnv`) and the
  one-machine hub in every user's server.

The venv is made from /usr/bin/python3 (as the hub's, so that students can run it) and kept:
a second install only reinstalls nnlab, the exchange client and the mounted config (a few
seconds). It is made again from scratch when the requirements change (nothing left from older
pins), and the instructor tools are turned off again when the requirements or postBuild change.

    python -m hub.image_venv /opt/nnlab-hub-test/image      # as the hub term does

Then `NNLAB_USER_VENV=<that>/venv` makes hub/jupyterhub_config.py start users' servers from it.
"""

import argparse
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from hub.classroom import HERE, INSTRUCTOR_SERVER_EXTENSIONS, REPO, SYSTEM_PYTHON, _digest, _run

IMAGE = HERE / "image"
REQUIREMENTS = IMAGE / "requirements.txt"
VALUES = HERE / "z2jh" / "values.yaml"
#: What the Dockerfile copies to install nnlab (`pip install --no-deps`).
NNLAB_FILES = ("pyproject.toml", "README.md", "LICENSE", "LICENSE-CONTENT.md", "MANIFEST.in",
               "nnlab")
#: The server extensions the image turns off (students keep the Assignments tab).
STUDENT_OFF = INSTRUCTOR_SERVER_EXTENSIONS
_CACHES = shutil.ignore_patterns("__pycache__", "*.egg-info")


def venv(at):
    return Path(at) / "venv"


def mounted_nbgrader_config(values=VALUES):
    """(mount path, text) of the nbgrader config hub/z2jh/values.yaml mounts in every pod."""
    import yaml

    spec = yaml.safe_load(Path(values).read_text())["singleuser"]["extraFiles"]["nbgrader-config"]
    return spec["mountPath"], spec["stringData"]


def install(at, repo=REPO, log=print):
    """Build (or bring up to date) the image's environment under `at`; returns the venv's path.

    Parameters
    ----------
    at : path
        Folder for `venv/` and `nnlab-exchange/`; made readable by every user.
    repo : path
        The repository whose nnlab, postBuild and hub/exchange/ are installed.
    """
    at = Path(at)
    env_dir = venv(at)
    python = env_dir / "bin" / "python"
    stamp = env_dir / ".nnlab-image-requirements"
    wanted = _digest(REQUIREMENTS)
    if not stamp.exists() or stamp.read_text() != wanted:
        if not Path(SYSTEM_PYTHON).exists():
            raise FileNotFoundError(f"the image's venv is made from {SYSTEM_PYTHON}: it is missing")
        shutil.rmtree(env_dir, ignore_errors=True)  # exactly the pins: nothing left from before
        at.mkdir(parents=True, exist_ok=True)
        _run([SYSTEM_PYTHON, "-m", "venv", env_dir], log)
        _run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], log)
        _run([python, "-m", "pip", "install", "--quiet", "-r", REQUIREMENTS], log,
             capture_output=True)
        stamp.write_text(wanted)
    with tempfile.TemporaryDirectory() as scratch:  # nnlab as the Dockerfile installs it
        source = Path(scratch) / "nnlab"
        source.mkdir()
        for name in NNLAB_FILES:
            origin = Path(repo) / name
            if origin.is_dir():
                shutil.copytree(origin, source / name, ignore=_CACHES)
            else:
                shutil.copy2(origin, source / name)
        _run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
              "--force-reinstall", source], log, capture_output=True)
    _install_exchange_client(python, at, repo)
    # Done again only when what they depend on changed (each jupyter command takes seconds).
    stamp = env_dir / ".nnlab-image-tools-off"
    wanted = _digest(REQUIREMENTS, Path(repo) / "postBuild") + " ".join(STUDENT_OFF)
    if not stamp.exists() or stamp.read_text() != wanted:
        _instructor_tools_off(env_dir, repo, log)
        stamp.write_text(wanted)
    config = env_dir / "etc" / "jupyter" / "nbgrader_config.py"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(mounted_nbgrader_config()[1])
    for folder in (at, env_dir):
        folder.chmod(0o755)
    return env_dir


def _install_exchange_client(python, at, repo):
    """hub/__init__.py and hub/exchange/*.py into `at`/nnlab-exchange, on the venv's path."""
    target = at / "nnlab-exchange" / "hub"
    shutil.rmtree(target, ignore_errors=True)
    (target / "exchange").mkdir(parents=True)
    (target / "__init__.py").write_bytes((Path(repo) / "hub" / "__init__.py").read_bytes())
    for source in (Path(repo) / "hub" / "exchange").glob("*.py"):
        (target / "exchange" / source.name).write_bytes(source.read_bytes())
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    purelib = subprocess.run([python, "-c", where], capture_output=True, text=True,
                             check=True).stdout.strip()
    (Path(purelib) / "nnlab-exchange.pth").write_text(f"{target.parent}\n")


def _instructor_tools_off(env_dir, repo, log):
    """What the Dockerfile runs after the installs: postBuild, then the server extensions off."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = f"{env_dir / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}"
    with tempfile.TemporaryDirectory() as scratch:  # as the Dockerfile: not in a course folder
        _run(["bash", Path(repo) / "postBuild"], log, capture_output=True, cwd=scratch, env=env)
    for extension in STUDENT_OFF:
        _run([env_dir / "bin" / "jupyter", "server", "extension", "disable", "--sys-prefix",
              extension], log, capture_output=True, env=env)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m hub.image_venv",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("at", type=Path, help="folder for venv/ and nnlab-exchange/")
    args = parser.parse_args(argv)
    print(install(args.at))


if __name__ == "__main__":
    main()
