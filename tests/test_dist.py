"""The built package is what `pip install nnlab` gives a user (`make dist` builds it).

One build (sdist, then the wheel from the sdist, as `python -m build` does) serves every test:
the metadata passes `twine check --strict`, the build backend prints no deprecation warning, the
wheel carries the code, the data sets and their licences and nothing of the instructors', and a
fresh virtual environment that installs only the wheel (plus the widgets' plotting packages)
imports nnlab and nnlab.widgets and loads every shipped data set.
"""

import re
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

import nnlab

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "nnlab" / "data"

# What a wheel or an sdist must never carry: answers, hidden tests, grading cases, instructor tools.
FORBIDDEN_PARTS = ("solutions", "assignments", "tests", "tools", "course", "hub", "submitted")
FORBIDDEN_TEXT = ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS")


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """Build the sdist and the wheel once; return (folder, build log)."""
    out = tmp_path_factory.mktemp("dist")
    run = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                         capture_output=True, text=True)
    log = run.stdout + run.stderr
    assert run.returncode == 0, log[-3000:]
    return out, log


def _wheel(out):
    (wheel,) = out.glob("nnlab-*.whl")
    return wheel


def _sdist(out):
    (sdist,) = out.glob("nnlab-*.tar.gz")
    return sdist


def test_build_is_named_by_the_one_version(dist):
    out, _ = dist
    assert _wheel(out).name.startswith(f"nnlab-{nnlab.__version__}-")
    assert _sdist(out).name == f"nnlab-{nnlab.__version__}.tar.gz"


def test_build_backend_prints_no_deprecation_warning(dist):
    _, log = dist
    lines = [line for line in log.splitlines() if "deprecat" in line.lower()]
    assert not lines, "the build backend warns:\n" + "\n".join(lines)


def test_twine_check_passes(dist):
    out, _ = dist
    run = subprocess.run([sys.executable, "-m", "twine", "check", "--strict",
                          str(_wheel(out)), str(_sdist(out))], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_metadata_states_the_spdx_licence(dist):
    out, _ = dist
    with zipfile.ZipFile(_wheel(out)) as wheel:
        (meta,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        text = wheel.read(meta).decode()
        licences = [n for n in wheel.namelist() if "/licenses/" in n]
    assert "License-Expression: MIT AND CC-BY-4.0" in text
    assert any(n.endswith("/LICENSE") for n in licences), licences
    assert any(n.endswith("data/README.md") for n in licences), licences


def _metadata(out):
    with zipfile.ZipFile(_wheel(out)) as wheel:
        (meta,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        return wheel.read(meta).decode()


def test_project_urls_name_the_repository_of_tool_nnlab(dist):
    import tomllib
    out, _ = dist
    repository = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["nnlab"]["repository"]
    urls = dict(line.removeprefix("Project-URL: ").split(", ", 1)
                for line in _metadata(out).splitlines() if line.startswith("Project-URL: "))
    assert {"Homepage", "Source", "Issues", "Changelog"} <= set(urls), urls
    for url in urls.values():
        assert url.startswith(f"https://github.com/{repository}"), url


def test_long_description_is_the_readme_with_absolute_links(dist):
    out, _ = dist
    header, _, description = _metadata(out).partition("\n\n")
    assert "Description-Content-Type: text/markdown" in header
    assert description.startswith("# ") and "## Lessons" in description
    targets = re.findall(r"\]\(([^)\s]+)\)", description)
    assert targets, "the README has links"
    relative = [t for t in targets if not t.startswith(("https://", "http://", "#", "mailto:"))]
    assert relative == [], f"relative links on PyPI's page: {relative}"
    readme_links = re.findall(r"\]\((?!https?:|#|mailto:)([^)\s]+)\)",
                              (ROOT / "README.md").read_text())
    assert len(readme_links) > 5  # the README's own relative links, all rewritten
    assert any(t.endswith("/blob/main/INSTRUCTORS.md") for t in targets)


def test_wheel_carries_code_and_every_data_file(dist):
    out, _ = dist
    with zipfile.ZipFile(_wheel(out)) as wheel:
        names = set(wheel.namelist())
    tracked = subprocess.run(["git", "ls-files", "nnlab"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    missing = [path for path in tracked if path not in names]
    assert not missing, f"files of nnlab/ missing from the wheel: {missing}"


def test_wheel_and_sdist_carry_nothing_of_the_instructors(dist):
    out, _ = dist
    with zipfile.ZipFile(_wheel(out)) as wheel:
        wheel_files = {name: wheel.read(name) for name in wheel.namelist()}
    with tarfile.open(_sdist(out)) as sdist:
        sdist_files = {}
        for member in sdist.getmembers():
            if member.isfile():
                # drop the leading "nnlab-<version>/" folder
                sdist_files[member.name.split("/", 1)[1]] = sdist.extractfile(member).read()
    for label, files in (("wheel", wheel_files), ("sdist", sdist_files)):
        for name, content in files.items():
            assert not set(Path(name).parts) & set(FORBIDDEN_PARTS), f"{label} carries {name}"
            assert not name.endswith(".ipynb"), f"{label} carries the notebook {name}"
            for marker in FORBIDDEN_TEXT:
                assert marker.encode() not in content, f"{label}: {name} contains {marker}"


def test_fresh_environment_installs_the_wheel_and_loads_every_data_set(dist, tmp_path):
    out, _ = dist
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    # The wheel needs numpy only; the widgets need the plotting packages of the "course" extra.
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         str(_wheel(out)), "matplotlib", "ipywidgets", "ipympl"],
        capture_output=True, text=True)
    assert install.returncode == 0, install.stdout + install.stderr
    # A shipped data file <name>.csv[.gz] is loaded by nnlab.datasets.<name>() (CONTRIBUTING.md).
    loaders = sorted({path.name.split(".")[0] for path in DATA.iterdir()
                      if path.suffix in (".csv", ".gz")})
    assert "iris" in loaders
    script = (
        "import sys, nnlab, nnlab.widgets\n"
        "from nnlab import datasets\n"
        "assert 'site-packages' in nnlab.__file__, nnlab.__file__\n"
        f"for name in {loaders!r}:\n"
        "    X, y = getattr(datasets, name)()[:2]\n"
        "    assert len(X) == len(y) > 0, name\n"
        "    print(name, X.shape)\n")
    run = subprocess.run([str(python), "-c", script], cwd=tmp_path, capture_output=True,
                         text=True, env={"PATH": str(env / "bin"), "MPLBACKEND": "Agg",
                                         "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "iris (150, 4)" in run.stdout
