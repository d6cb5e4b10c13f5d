"""A student's own install (README, student edition: venv, pip install, `bash postBuild`) hides
the instructor's tools as Binder does (issue #29): Formgrader and Create Assignment are disabled
and locked in the course's .venv, the student's Validate stays, and nothing outside that .venv
changes. In the instructors' repository postBuild leaves its .venv alone.

The .venv here is a real venv whose Python sees this environment's packages (a .pth file), so
that nothing is downloaded; `jupyter` and `jupyter-labextension` in it run with its Python, so
sys.prefix, where `jupyter labextension disable` writes, is the student's .venv."""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INSTRUCTOR = {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"}
STUDENT = {"@jupyter/nbgrader:validate-assignment", "@jupyter/nbgrader:assignment-list"}


def student_venv(clone):
    venv = clone / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True).stdout
    Path(site.strip(), "course-env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    for name, module in (("jupyter", "jupyter_core.command"),
                         ("jupyter-labextension", "jupyterlab.labextensions")):
        script = venv / "bin" / name
        script.write_text(f"#!{python}\nimport sys\nfrom {module} import main\nsys.exit(main())\n")
        script.chmod(0o755)
    return venv


def page_config(venv, home):
    """The page config JupyterLab would build in that venv (jupyterlab_server's reader)."""
    out = subprocess.run([str(venv / "bin" / "python"), "-c",
                          "import json; from jupyterlab_server.config import "
                          "get_static_page_config as g; print(json.dumps(g(level='all')))"],
                         capture_output=True, text=True, check=True, env=clean_env(home))
    config = json.loads(out.stdout)
    on = {k for k, v in config.get("disabledExtensions", {}).items() if v}
    locked = {k for k, v in config.get("lockedExtensions", {}).items() if v}
    return on, locked


def clean_env(home):
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "JUPYTER_CONFIG_DIR", "JUPYTER_PATH")}
    env.update(HOME=str(home), PATH="/usr/local/bin:/usr/bin:/bin")  # no course env on PATH
    return env


@pytest.fixture
def clone(tmp_path):
    clone = tmp_path / "nnlab"
    clone.mkdir()
    shutil.copy2(ROOT / "postBuild", clone / "postBuild")
    return clone


def test_bash_postbuild_in_a_student_clone_hides_the_instructor_tools(clone, tmp_path):
    mine = Path(sys.prefix, "etc", "jupyter", "labconfig", "page_config.json")
    before = mine.read_bytes() if mine.exists() else None
    venv = student_venv(clone)
    assert not (venv / "etc" / "jupyter").exists()  # after pip install: nothing disabled
    subprocess.run(["bash", "postBuild"], cwd=clone, env=clean_env(tmp_path), check=True,
                   capture_output=True, text=True)
    off, locked = page_config(venv, tmp_path)
    assert off >= INSTRUCTOR and locked >= INSTRUCTOR
    assert not (off | locked) & STUDENT
    assert (venv / "etc" / "jupyter" / "labconfig" / "page_config.json").exists()
    assert (mine.read_bytes() if mine.exists() else None) == before  # this env untouched
    assert not (tmp_path / ".jupyter").exists()  # nothing at the user level either


def test_postbuild_leaves_the_instructors_venv_alone(clone, tmp_path):
    venv = student_venv(clone)
    (clone / "solutions").mkdir()
    result = subprocess.run(["bash", "postBuild"], cwd=clone, env=clean_env(tmp_path),
                            capture_output=True, text=True)
    assert result.returncode == 0 and "instructors' repository" in result.stderr
    assert not (venv / "etc" / "jupyter").exists()


def test_the_readme_student_path_runs_postbuild():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    student = readme.split("<!-- student-only:start")[1].split("student-only:end -->")[0]
    steps = [line.split("#")[0].strip() for line in student.splitlines()]
    assert steps.index("bash postBuild") == steps.index('.venv/bin/pip install -e ".[course]"') + 1
