"""Fixtures of the browser tests: one `jupyter lab` and one Chromium for the whole package.

The server serves a temporary copy of the course (lessons, problem sets, nbgrader_config.py),
so running cells and JupyterLab's autosave never write into the repository. Its lab extensions
are those a student has: the ones postBuild disables for Binder are disabled here too.

Without Chromium every browser test is skipped with a message saying how to install it, unless
NNLAB_REQUIRE_BROWSER=1 (as in CI, see .ci/run), where a missing browser is an error.
Screenshots of every notebook after running go to NNLAB_SCREENSHOTS (default: screenshots/browser/
in the repository, ignored by git); the folder is printed at the end of the run.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .labdriver import (
    INSTALL_HINT,
    JupyterLabServer,
    Notebook,
    find_chromium,
    launch_chromium,
    postbuild_disabled_extensions,
)

REPO = Path(__file__).resolve().parents[2]
#: Every lesson, found by glob so that new ones are picked up.
LESSONS = sorted(path.name for path in (REPO / "course").glob("*.ipynb"))
SCREENSHOTS = Path(os.environ.get("NNLAB_SCREENSHOTS") or REPO / "screenshots" / "browser")
VIEWPORT = {"width": 1400, "height": 900}

_screenshots_taken = []
_axe_reports = {}

#: axe-core from npm (one version, for reproducible counts), installed into build/axe.
AXE_VERSION = "4.14.1"
AXE_DIR = REPO / "build" / "axe"


def browser_required():
    return os.environ.get("NNLAB_REQUIRE_BROWSER", "") == "1"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: runs JupyterLab in Chromium (tests/browser)")


def pytest_terminal_summary(terminalreporter):
    if _axe_reports:
        write = terminalreporter.write_line
        terminalreporter.section(f"axe-core {AXE_VERSION}: violations per lesson")
        write("nodes inside nnlab widgets (must be 0) | in other lesson output (must be 0) | "
              "in JupyterLab itself")
        for name, violations in sorted(_axe_reports.items()):
            counts = {where: sum(1 for v in violations for n in v["nodes"] if n["where"] == where)
                      for where in ("widget", "output", "jupyterlab")}
            write(f"  {name}: {counts['widget']} | {counts['output']} | {counts['jupyterlab']}")
            for v in violations:
                places = sorted({n["where"] for n in v["nodes"]})
                write(f"      {v['id']} ({v['impact']}, {len(v['nodes'])} nodes in "
                      f"{', '.join(places)}): {v['help']}")
    if _screenshots_taken:
        terminalreporter.write_line(
            f"browser tests: {len(_screenshots_taken)} screenshot(s) of the notebooks after "
            f"running are in {SCREENSHOTS}")


@pytest.fixture(scope="package")
def chromium_path():
    """Chromium's path; skips (or fails with NNLAB_REQUIRE_BROWSER=1) when it is missing."""
    problem = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = ("Playwright's Python package is missing: `pip install -e '.[test]'` "
                   "(or `make test`) installs it.")
    path = find_chromium()
    if problem is None and path is None:
        problem = INSTALL_HINT
    if problem is not None:
        if browser_required():
            pytest.fail("NNLAB_REQUIRE_BROWSER=1 but the browser tests cannot run. " + problem)
        pytest.skip(problem + " (Set NNLAB_REQUIRE_BROWSER=1 to make this an error.)")
    return path


@pytest.fixture(scope="package")
def lab_root(tmp_path_factory):
    """A temporary copy of what students open: course/, assignments/ and nbgrader_config.py."""
    root = tmp_path_factory.mktemp("lab-root")
    for name in ("course", "assignments"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    if (REPO / "nbgrader_config.py").exists():
        shutil.copy(REPO / "nbgrader_config.py", root)
    (root / "scratch").mkdir()
    return root


@pytest.fixture(scope="package")
def lab(chromium_path, lab_root):
    """The JupyterLab server (one for all browser tests)."""
    disabled = postbuild_disabled_extensions(REPO / "postBuild")  # as on Binder
    server = JupyterLabServer(lab_root, disabled_extensions=disabled)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="package")
def browser(chromium_path):
    """Chromium (one for all browser tests); each test opens its own tab."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = launch_chromium(playwright, chromium_path)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="package")
def open_notebook(lab, browser):
    """open_notebook(path) -> a `Notebook` (path relative to lab_root) open in a new tab, its
    kernel idle. Callers close it (`notebook.close()`); leftovers are closed at the end."""
    opened = []

    def open_(path):
        page = browser.new_page(viewport=VIEWPORT)
        notebook = Notebook(page, lab, path)
        opened.append(notebook)
        return notebook.open()

    yield open_
    for notebook in opened:
        if not notebook.page.is_closed():
            notebook.close()


@pytest.fixture(scope="package", params=LESSONS)
def lesson(request, open_notebook, take_screenshot):
    """Each lesson, opened and run once (Run All) for every test that uses it, in
    test_lessons.py and test_accessibility.py alike (pytest groups those tests by lesson)."""
    notebook = open_notebook(f"course/{request.param}")
    notebook.run_seconds = notebook.run_all()
    take_screenshot(notebook, Path(request.param).stem)
    yield notebook
    notebook.close()


@pytest.fixture(scope="package")
def axe_source(chromium_path):
    """The text of axe.min.js, installed with npm into build/axe on first use."""
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    package = AXE_DIR / "node_modules" / "axe-core" / "package.json"
    if not script.exists() or f'"version": "{AXE_VERSION}"' not in package.read_text():
        npm = shutil.which("npm")
        if npm is None:
            problem = ("the accessibility tests need npm to install axe-core "
                       "(`sudo apt-get install npm`)")
            if browser_required():
                pytest.fail("NNLAB_REQUIRE_BROWSER=1 but " + problem)
            pytest.skip(problem + " (Set NNLAB_REQUIRE_BROWSER=1 to make this an error.)")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--prefix", str(AXE_DIR), "--no-audit", "--no-fund",
                        "--no-save", f"axe-core@{AXE_VERSION}"], check=True,
                       capture_output=True, text=True, timeout=300)
    return script.read_text()


@pytest.fixture(scope="package")
def axe_report():
    """axe_report(lesson, violations): keep a lesson's violations for the terminal summary."""
    def report(name, violations):
        _axe_reports[name] = violations

    return report


@pytest.fixture(scope="package")
def take_screenshot():
    """take_screenshot(notebook, name): a full picture of the notebook in SCREENSHOTS/name.png."""

    def take(notebook, name):
        path = notebook.screenshot(SCREENSHOTS / f"{name}.png")
        _screenshots_taken.append(path)
        return path

    return take
