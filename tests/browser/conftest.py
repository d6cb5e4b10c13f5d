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
SCREENSHOTS = Path(os.environ.get("NNLAB_SCREENSHOTS") or REPO / "screenshots" / "browser")
VIEWPORT = {"width": 1400, "height": 900}

_screenshots_taken = []


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


@pytest.fixture(scope="package")
def take_screenshot():
    """take_screenshot(notebook, name): a full picture of the notebook in SCREENSHOTS/name.png."""

    def take(notebook, name):
        path = notebook.screenshot(SCREENSHOTS / f"{name}.png")
        _screenshots_taken.append(path)
        return path

    return take
