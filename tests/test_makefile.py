"""The Makefile's front door: `make` alone and `make help` list the targets, and `make lab`
opens lesson 01 with the repository's root served (assignments/ and solutions/ reachable)."""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def make(*args):
    return subprocess.run(["make", "--no-print-directory", *args, f"NNLAB_ENV={sys.prefix}"],
                          cwd=REPO, capture_output=True, text=True, timeout=60)


def test_make_alone_lists_every_target_and_says_what_to_run():
    alone, helped = make(), make("help")
    assert alone.returncode == 0 and alone.stdout == helped.stdout
    assert alone.stdout.startswith("Students: make lab")
    makefile = (REPO / "Makefile").read_text()
    phony = re.search(r"^\.PHONY:(.*)$", makefile, re.M).group(1).split()
    for target in phony:
        assert f"  make {target}" in alone.stdout, f"make help does not list {target}"


def lab_command():
    dry = make("-n", "lab")
    assert dry.returncode == 0, dry.stderr
    line = dry.stdout.replace("\\\n", " ")
    [command] = [c for c in line.splitlines() if "jupyter lab" in c]
    return shlex.split(command)


def test_make_lab_serves_the_repository_root_and_opens_lesson_01(tmp_path):
    command = lab_command()
    lesson = sorted((REPO / "course").glob("01_*.ipynb"))[0].relative_to(REPO).as_posix()
    assert f"--LabApp.default_url=/lab/tree/{lesson}" in command
    port = _free_port()
    home = Path(tempfile.mkdtemp(prefix="nnlab-make-lab-", dir=tmp_path))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), JUPYTER_PLATFORM_DIRS="1")
    extra = ["--no-browser", "--ip=127.0.0.1", f"--port={port}", "--port-retries=0",
             "--IdentityProvider.token=", f"--LabApp.workspaces_dir={home}",
             f"--LabApp.user_settings_dir={home}", "--LabApp.news_url="]
    if "--allow-root" not in command and os.getuid() == 0:
        extra.append("--allow-root")
    log = open(tmp_path / "lab.log", "w")
    server = subprocess.Popen(command + extra, cwd=REPO, env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/api/status", timeout=2)
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "lab.log").read_text()
                time.sleep(0.2)
        for folder in ("course", "assignments", "solutions"):
            with urllib.request.urlopen(f"{base}/api/contents/{folder}?content=0") as answer:
                assert json.load(answer)["type"] == "directory", folder
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(base + "/")
        assert redirect.value.headers["Location"].split("?")[0].endswith(f"/lab/tree/{lesson}")
    finally:
        server.terminate()
        server.wait(20)
        log.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_student_readme_starts_jupyterlab_from_the_root():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    student = readme.split("<!-- student-only:start")[1].split("student-only:end -->")[0]
    [start] = [line.split("#")[0].strip() for line in student.splitlines()
               if "jupyter lab" in line]
    assert start == ".venv/bin/jupyter lab", "a folder argument hides assignments/ (404)"
