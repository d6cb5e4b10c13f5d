"""Fixtures of the hub term: a real JupyterHub on 127.0.0.1 with real Linux users, and Chromium.

What the package needs from the machine: root (it creates Linux users and runs the hub), npm
(the hub's proxy), /usr/bin/python3 (the hub's venv), runuser, Chromium and Playwright. Without
them every test here is skipped with the reason, unless NNLAB_REQUIRE_HUB=1 (as in CI, see
.ci/run), where a missing piece is an error.

Everything the term creates is temporary and removed at the end: the users `nnt-teach` (the
instructor), `nnt-ada` and `nnt-bob` (students), with their homes; a folder under /tmp holding
the upstream student edition (a local git repository nbgitpuller pulls from), the exchange and
the hub's state. The hub's environment goes to NNLAB_HUB_TEST_PREFIX (default
/opt/nnlab-hub-test, kept between runs: a second run only reinstalls nnlab), separate from the
/opt/nnlab-hub of `make hub`. The users' servers run from the cluster image's environment
(hub/image_venv.py: exactly hub/image/requirements.txt, jupyterhub-singleuser 5.5.0, with the
nbgrader config hub/z2jh/values.yaml mounts) in `<prefix>/image/`, built on the first run
(about 40 s from pip's wheels) and kept; the hub process and the exchange service run from the
hub's venv (hub/requirements.txt, JupyterHub 6). Screenshots of each step go to
screenshots/hub/ (NNLAB_SCREENSHOTS overrides the folder).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hubterm import (
    INSTRUCTOR,
    REPO,
    SCREENSHOTS,
    STUDENTS,
    Classroom,
    build_student_edition,
    hub_required,
    missing_pieces,
)

from hub import classroom, image_venv
from tests.browser.labdriver import free_port, launch_chromium


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.hub)


def pytest_configure(config):
    config.addinivalue_line("markers", "hub: a JupyterHub term with real users (tests/hub)")


def _quiet_notebook_settings(name):
    """Every cell in the page (no windowing), so that checks see widgets below the fold."""
    folder = classroom.home(name) / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" \
        / "notebook-extension"
    folder.mkdir(parents=True)
    (folder / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    subprocess.run(["chown", "-R", f"{name}:{name}", str(classroom.home(name) / ".jupyter")],
                   check=True)


@pytest.fixture(scope="package")
def machine():
    missing = missing_pieces()
    if missing:
        message = "the hub term cannot run here; missing: " + "; ".join(missing)
        if hub_required():
            pytest.fail("NNLAB_REQUIRE_HUB=1 but " + message)
        pytest.skip(message + " (set NNLAB_REQUIRE_HUB=1 to make this an error)")


@pytest.fixture(scope="package")
def hub(machine):
    """The classroom: environment installed, users created, student edition upstream, hub up."""
    root = Path(tempfile.mkdtemp(prefix="nnlab-hub-term-"))
    root.chmod(0o755)  # the students' servers read the upstream repository
    prefix = Path(os.environ.get("NNLAB_HUB_TEST_PREFIX") or "/opt/nnlab-hub-test")
    room = Classroom(root, prefix, free_port(), user_venv=image_venv.venv(prefix / "image"))
    started = time.monotonic()
    try:
        build_student_edition(room.upstream)
        log = lambda line: print(line, file=sys.stderr)  # noqa: E731
        classroom.install(prefix, exchange=room.exchange, safe_directories=[room.upstream],
                          log=log)
        image_venv.install(prefix / "image", log=log)
        # For the tests only (this environment is the tests'): the browser driver reaches
        # JupyterLab's app object, as in tests/browser.
        (room.user_venv / "etc" / "jupyter" / "jupyter_lab_config.json").write_text(
            '{"LabApp": {"expose_app_in_browser": true}}')
        for name in (INSTRUCTOR, *STUDENTS):
            classroom.remove_user(name, log=lambda line: None)  # leftovers of a killed run
        classroom.add_instructor(INSTRUCTOR, room.passwords[INSTRUCTOR], repo=REPO,
                                 log=lambda line: None)
        for name in STUDENTS:
            classroom.add_student(name, room.passwords[name], log=lambda line: None)
            _quiet_notebook_settings(name)
        room.start()
        print(f"hub term: set-up took {time.monotonic() - started:.0f} s", file=sys.stderr)
        yield room
    finally:
        room.stop()
        for name in (INSTRUCTOR, *STUDENTS):
            classroom.remove_user(name, log=lambda line: None)
        if room.log_path.exists():  # kept for whoever reads a failure
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(room.log_path, SCREENSHOTS / "jupyterhub.log")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="package")
def browser(machine):
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = launch_chromium(playwright)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture(scope="package")
def screenshot():
    """screenshot(page, name): the page as it is now, in screenshots/hub/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path))
        return path

    return take


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """When a step fails: a picture of every open page (screenshots/hub/failed-*.png)."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        pages = getattr(item.module, "term", {})
        for name, page in list(pages.items()):
            if hasattr(page, "screenshot") and not page.is_closed():
                try:
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(SCREENSHOTS / f"failed-{item.name}-{name}.png"))
                    print(f"{name}'s page at the failure: {page.url}", file=sys.stderr)
                except Exception as exc:  # the picture is a help, not a result
                    print(f"no screenshot of {name}'s page: {exc}", file=sys.stderr)
