"""Binder-ready: environment.yml and pyproject.toml cannot drift; the badge opens lesson 01.

environment.yml (conda-forge, used by conda users and by Binder's repo2docker) must list exactly
the packages of pyproject's runtime dependencies plus the "course" extra, with the same version
bounds, and install nnlab itself from the repository. Its pip equivalent must resolve
(`pip install --dry-run`: no conda solver is reachable here, PyPI is).
"""

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11+")

ROOT = Path(__file__).resolve().parents[1]


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def read_environment(path=ROOT / "environment.yml"):
    """The parts of environment.yml we use: {'name', 'channels', 'dependencies', 'pip'}.

    A small reader for the flat layout conda documents (top-level keys, "- item" lists, and one
    nested "- pip:" list); anything else is an error, so the file stays simple.
    """
    env = {"channels": [], "dependencies": [], "pip": []}
    section = None
    for raw in path.read_text().splitlines():
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        text = line.strip()
        if indent == 0:
            key, _, value = text.partition(":")
            if value.strip():
                env[key] = value.strip()
            section = key
        elif text == "- pip:":
            section = "pip"
        elif text.startswith("- ") and section in env:
            env[section].append(text[2:].strip().strip("'\""))
        else:
            raise AssertionError(f"environment.yml: unexpected line {raw!r}")
    return env


def requirement_name(spec):
    return re.split(r"[<>=!~ \[;]", spec, maxsplit=1)[0].strip().lower().replace("_", "-")


def normalized(spec):
    return spec.replace(" ", "").lower()


def pip_equivalent():
    """What pip would install for the environment: its packages, then nnlab from the repo."""
    env = read_environment()
    packages = [spec for spec in env["dependencies"]
                if requirement_name(spec) not in ("python", "pip")]
    return packages + [arg for entry in env["pip"] for arg in shlex.split(entry)]


def test_environment_uses_conda_forge_and_the_right_python():
    env = read_environment()
    assert env["channels"] == ["conda-forge"]
    [python] = [spec for spec in env["dependencies"] if requirement_name(spec) == "python"]
    version = tuple(int(part) for part in re.findall(r"\d+", python)[:2])
    minimum = tuple(int(part) for part in
                    re.findall(r"\d+", pyproject()["project"]["requires-python"])[:2])
    assert version >= minimum, f"environment.yml pins {python}, pyproject requires {minimum}"


def test_environment_matches_pyproject_course_extra():
    project = pyproject()["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["course"]
    conda = [spec for spec in read_environment()["dependencies"]
             if requirement_name(spec) not in ("python", "pip")]
    assert sorted(map(normalized, conda)) == sorted(map(normalized, wanted)), (
        "environment.yml and pyproject.toml ([project] dependencies + the course extra) list "
        "different packages or versions: keep them the same")


def test_environment_installs_nnlab_from_the_repository():
    # repo2docker does not install the repository itself when environment.yml exists
    assert read_environment()["pip"] in (["-e ."], ["."]), (
        "environment.yml must install nnlab from the repository with a pip entry '-e .'")


def test_postbuild_only_where_needed():
    postbuild = ROOT / "postBuild"
    assert postbuild.exists(), "postBuild (Binder) hides nbgrader's instructor tools: missing"
    text = postbuild.read_text()
    assert text.startswith("#!"), "postBuild needs a shebang line"
    assert re.search(r"^set -[a-z]*e", text, re.M), "postBuild must stop at the first error"
    assert postbuild.stat().st_mode & 0o111, "postBuild must be executable"
    # the environment comes from environment.yml, not from postBuild
    assert not re.search(r"^\s*(pip|conda|mamba)\s+install", text, re.M)


def test_pip_equivalent_resolves(tmp_path):
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed",
               "--quiet", "--disable-pip-version-check", "--report", str(report),
               *pip_equivalent()]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (
        "pip could not resolve environment.yml's packages:\n" + result.stdout + result.stderr)
    installed = {item["metadata"]["name"].lower().replace("_", "-")
                 for item in json.loads(report.read_text())["install"]}
    packages = [spec for spec in read_environment()["dependencies"]
                if requirement_name(spec) not in ("python", "pip")]
    missing = ({requirement_name(spec) for spec in packages} | {"nnlab"}) - installed
    assert not missing, f"pip's resolution lacks {sorted(missing)}"


def test_readme_binder_badge_opens_the_first_lesson():
    settings = pyproject()["tool"]["nnlab"]
    readme = (ROOT / "README.md").read_text()
    badge = re.search(r"\[!\[[^\]]*\]\(https://mybinder\.org/badge_logo\.svg\)\]\(([^)]+)\)",
                      readme)
    assert badge, "README.md has no Binder badge (generated by `python -m tools.links`)"
    first = sorted((ROOT / "course").glob("[0-9][0-9]_*.ipynb"))[0].name
    branch = settings.get("student_branch", settings["branch"])  # students get the edition
    expected = (f"https://mybinder.org/v2/gh/{settings['repository']}/{branch}"
                f"?urlpath=lab/tree/course/{first}")
    assert badge.group(1) == expected
