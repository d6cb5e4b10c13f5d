"""Drive a real JupyterLab in Chromium: what the browser tests and the latency benchmark share.

Three pieces:

- `JupyterLabServer`: a `jupyter lab` on a free port of 127.0.0.1, with its own settings,
  workspaces, config and runtime folders, so nothing of the user's setup leaks in or out.
- `launch_chromium(playwright)`: the system Chromium (Playwright cannot download one here).
- `Notebook`: one open notebook tab, with what a student does (run all cells, move a slider,
  click a button) and what a tester checks (errors shown, canvases, readouts).

The selectors are JupyterLab 4's, ipywidgets 8's and ipympl's; they are kept here, in one place.
"""

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

#: Where Debian puts Chromium; NNLAB_CHROMIUM overrides it.
DEFAULT_CHROMIUM = "/usr/bin/chromium"

INSTALL_HINT = (
    "The browser tests need Chromium. Install it with `sudo apt-get install chromium` "
    "(Debian/Ubuntu; `chromium-browser` on some Ubuntu releases), or set NNLAB_CHROMIUM to the "
    "path of a Chromium/Chrome binary. Playwright's own browser download is not needed."
)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# JupyterLab settings for a quiet, predictable test session: no news toast, no "Select Kernel"
# dialog, and every cell rendered in the DOM (no windowing), so widgets below the fold exist.
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"autoStartDefaultKernel": True,
                                               "windowingMode": "none"},
}

# Error outputs and stderr streams are both rendered with this MIME type.
STDERR = '[data-mime-type="application/vnd.jupyter.stderr"]'
WIDGET_ERRORS = ("Error displaying widget", "model not found")
LOADING = "Loading widget..."

SLIDER = ".widget-slider"
#: A widget's picture: nnlab's browser-drawn Canvas (nnlab/widgets/canvas.py), or an ipympl
#: canvas (a static lesson figure, or the harness's own matplotlib check).
CANVAS = ".nnlab-canvas canvas, .jupyter-matplotlib-canvas-div canvas"

#: JS: the first canvas under an element, as a data URL (its pixels).
CANVAS_PIXELS = (f"el => {{ const c = el.querySelector({CANVAS!r});"
                 " return c ? c.toDataURL() : null; }")


def find_chromium():
    """The Chromium binary to use, or None when there is none (NNLAB_CHROMIUM, when set, is
    the only candidate)."""
    if os.environ.get("NNLAB_CHROMIUM"):
        candidates = [os.environ["NNLAB_CHROMIUM"]]
    else:
        candidates = [DEFAULT_CHROMIUM, shutil.which("chromium"), shutil.which("chromium-browser")]
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def postbuild_disabled_extensions(path):
    """The lab extensions a Binder postBuild script disables (`jupyter labextension disable X`)."""
    path = Path(path)
    if not path.exists():
        return []
    return re.findall(r"^\s*jupyter\s+labextension\s+disable\s+(\S+)", path.read_text(), re.M)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JupyterLabServer:
    """A `jupyter lab` serving `root_dir`, isolated from the user's Jupyter settings.

    Parameters
    ----------
    root_dir : path
        The folder the file browser shows; notebooks are opened relative to it. The server also
        runs there (nbgrader's Validate reads `nbgrader_config.py` from the server's folder).
    disabled_extensions : list of str
        Lab extensions to disable, as `jupyter labextension disable` would (e.g. from postBuild).
    """

    def __init__(self, root_dir, disabled_extensions=()):
        self.root_dir = Path(root_dir)
        self.disabled_extensions = list(disabled_extensions)
        self.port = None
        self.process = None
        self._home = None
        self.log_path = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=60):
        self._home = Path(tempfile.mkdtemp(prefix="nnlab-lab-"))
        home = self._home
        for name in ("config", "runtime", "app-settings", "user-settings", "workspaces", "ipython"):
            (home / name).mkdir()
        (home / "app-settings" / "overrides.json").write_text(json.dumps(LAB_OVERRIDES))
        if self.disabled_extensions:
            labconfig = home / "config" / "labconfig"
            labconfig.mkdir()
            page_config = {"disabledExtensions": {name: True for name in self.disabled_extensions}}
            (labconfig / "page_config.json").write_text(json.dumps(page_config))
        env = dict(os.environ,
                   JUPYTER_CONFIG_DIR=str(home / "config"),
                   JUPYTER_RUNTIME_DIR=str(home / "runtime"),
                   IPYTHONDIR=str(home / "ipython"),
                   JUPYTER_PLATFORM_DIRS="1",
                   PYTHONUNBUFFERED="1")
        env.pop("MPLBACKEND", None)  # the notebook picks its backend (%matplotlib widget)
        self.port = free_port()
        args = [
            sys.executable, "-m", "jupyterlab", "--no-browser",
            "--ip=127.0.0.1", f"--port={self.port}", "--port-retries=0",
            f"--ServerApp.root_dir={self.root_dir}",
            "--IdentityProvider.token=", "--ServerApp.password=",
            "--ServerApp.disable_check_xsrf=True",  # a test server on localhost only
            f"--LabApp.app_settings_dir={home / 'app-settings'}",
            f"--LabApp.user_settings_dir={home / 'user-settings'}",
            f"--LabApp.workspaces_dir={home / 'workspaces'}",
            "--LabApp.news_url=",
            "--LabApp.expose_app_in_browser=True",
            "--JupyterNotebookApp.expose_app_in_browser=True",     # Notebook 7's page too
        ]
        if hasattr(os, "getuid") and os.getuid() == 0:
            args.append("--allow-root")
        self.log_path = home / "jupyter.log"
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(args, cwd=self.root_dir, env=env, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with code {self.process.returncode}:\n"
                                   + self.log())
            try:
                with urllib.request.urlopen(self.url + "/api/status", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer within {timeout} s:\n" + self.log())

    def log(self):
        return self.log_path.read_text() if self.log_path and self.log_path.exists() else ""

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # jupyter shuts its kernels down on SIGTERM
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._home is not None:
            self._log.close()
            shutil.rmtree(self._home, ignore_errors=True)
            self._home = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def launch_chromium(playwright, executable=None, headless=True):
    """Start the system Chromium with Playwright (a fresh temporary profile each time)."""
    executable = executable or find_chromium()
    if executable is None:
        raise RuntimeError(INSTALL_HINT)
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                      headless=headless)


class Notebook:
    """One notebook open in JupyterLab, in its own browser tab.

    Console errors and uncaught page errors are collected in `console_errors` from the moment
    the tab opens.
    """

    def __init__(self, page, server, path, front_end="lab"):
        if front_end not in ("lab", "notebook"):
            raise ValueError(f"front_end must be 'lab' (JupyterLab 4) or 'notebook' (Notebook 7), "
                             f"got {front_end!r}")
        self.page = page
        self.server = server
        self.path = str(path)
        self.front_end = front_end
        self.console_errors = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"page error: {exc}"))

    def _on_console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    # ------------------------------------------------------------------ opening and running
    def open(self, timeout=60_000):
        """Open the notebook (ignoring saved workspaces) and wait until its kernel is idle."""
        # Notebook 7 is served by the same server (the `notebook` package's extension)
        url = (f"{self.server.url}/lab/tree/{self.path}?reset" if self.front_end == "lab"
               else f"{self.server.url}/notebooks/{self.path}")
        self.page.goto(url, timeout=timeout)
        self.page.wait_for_selector(".jp-Notebook", timeout=timeout)
        self.wait_idle(timeout)
        self._listen_to_widget_callbacks()
        return self

    def _listen_to_widget_callbacks(self):
        # An exception (or a warning) in a widget's Python callback is not shown in any cell:
        # the kernel sends it in reply to a widget (comm) message. Collect those messages.
        self.page.evaluate(
            """() => {
                 window.__nnlabCallbackErrors = [];
                 const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
                 kernel.iopubMessage.connect((_, msg) => {
                   const parent = msg.parent_header && msg.parent_header.msg_type;
                   if (parent === 'execute_request') return;   // shown in a cell: seen there
                   const c = msg.content;
                   if (msg.header.msg_type === 'error') {
                     window.__nnlabCallbackErrors.push(c.ename + ': ' + c.evalue + '\\n'
                       + (c.traceback || []).join('\\n').replace(/\\x1b\\[[0-9;]*m/g, ''));
                   } else if (msg.header.msg_type === 'stream' && c.name === 'stderr') {
                     window.__nnlabCallbackErrors.push(c.text);
                   }
                 });
               }""")

    def callback_errors(self):
        """Errors and stderr text from widget callbacks since the notebook was opened."""
        if self.page.is_closed():
            return []
        return self.page.evaluate("() => window.__nnlabCallbackErrors || []")

    def wait_idle(self, timeout=60_000):
        """Wait until the notebook has a connected kernel and it is idle. (The toolbar's
        execution indicator says "idle" before any kernel exists, so ask the session.)"""
        self.page.wait_for_function(
            """() => { const app = window.jupyterapp;
                       const w = app && app.shell.currentWidget;
                       const s = w && w.sessionContext && w.sessionContext.session;
                       const k = s && s.kernel;
                       return !!k && k.status === 'idle'
                              && k.connectionStatus === 'connected'; }""",
            timeout=timeout, polling=100)

    def run_all(self, timeout=180_000):
        """Run All Cells (the command behind Run > Run All Cells) and wait until no cell is
        queued or running and the kernel is idle. Returns the seconds it took."""
        start = time.monotonic()
        self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        # A queued or running cell shows [*]. Wait for at least one to start, then for none.
        self.page.wait_for_function(
            """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-InputPrompt')]
                     .some(p => p.textContent.includes('*') || /\\d/.test(p.textContent))""",
            timeout=timeout)
        self.page.wait_for_function(
            """() => ![...document.querySelectorAll('.jp-NotebookPanel .jp-InputPrompt')]
                     .some(p => p.textContent.includes('*'))""",
            timeout=timeout, polling=200)
        self.wait_idle(timeout)
        self.wait_widgets_rendered()
        return time.monotonic() - start

    def wait_widgets_rendered(self, timeout=20_000):
        """Wait until no output says "Loading widget..." (a widget whose model is missing shows
        that first, then "Error displaying widget"). False if some never finished."""
        try:
            self.page.wait_for_function(
                f"""() => ![...document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output')]
                         .some(o => o.textContent.includes({LOADING!r}))""",
                timeout=timeout, polling=200)
            return True
        except Exception as exc:  # playwright's TimeoutError
            if type(exc).__name__ == "TimeoutError":
                return False
            raise

    @property
    def notebook(self):
        return self.page.locator(".jp-NotebookPanel .jp-Notebook").first

    def unexecuted_code_cells(self):
        """How many code cells have no execution count (run-all stops at an error)."""
        return self.page.evaluate(
            """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell')]
                     .filter(c => c.querySelector('.jp-InputArea-editor')
                                   && !/\\d/.test(c.querySelector('.jp-InputPrompt').textContent)
                                   && c.querySelector('.jp-InputArea-editor').textContent.trim())
                     .length""")

    def problems(self):
        """Everything a student should never see: error/stderr outputs (their text), widgets
        that failed to display, and console errors. An empty list means all is well."""
        found = []
        for text in self.notebook.locator(STDERR).all_inner_texts():
            found.append("error or stderr output:\n" + text.strip())
        body = self.notebook.inner_text()
        for phrase in WIDGET_ERRORS + (LOADING,):
            if phrase.lower() in body.lower():
                found.append(f"the notebook shows {phrase!r}")
        for text in self.console_errors:
            found.append("browser console error: " + text)
        for text in self.callback_errors():
            if not _widget_manager_race(text):
                found.append("error or stderr from a widget callback (kernel):\n" + text.strip())
        return found

    def screenshot(self, path):
        """A full-page picture of the notebook: every cell, since windowing is off."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Let the notebook grow to its full height so one picture shows every cell.
        self.page.evaluate(
            """() => { const nb = document.querySelector('.jp-NotebookPanel .jp-Notebook');
                       if (!nb) return;
                       const h = nb.scrollHeight + 200;
                       document.body.style.height = h + 'px';
                       for (const el of [document.querySelector('#main'),
                                         document.querySelector('.jp-LabShell')])
                           if (el) el.style.height = h + 'px'; }""")
        self.page.evaluate("() => window.dispatchEvent(new Event('resize'))")
        self.page.wait_for_timeout(300)
        self.page.screenshot(path=str(path), full_page=True)
        self.page.evaluate(
            """() => { for (const el of [document.body, document.querySelector('#main'),
                                         document.querySelector('.jp-LabShell')])
                           if (el) el.style.height = ''; }""")
        self.page.evaluate("() => window.dispatchEvent(new Event('resize'))")
        return path

    def close(self):
        """Shut the notebook's kernel down and close the tab."""
        self.page.evaluate(
            """async () => {
                 const app = window.jupyterapp;
                 const w = app && app.shell.currentWidget;
                 if (w && w.sessionContext) { await w.sessionContext.shutdown(); }
               }""")
        self.page.close()

    # ------------------------------------------------------------------ widgets
    def widgets(self, css_class="nnlab-widget"):
        """The displayed widgets carrying `css_class`, outermost ones only."""
        selector = f".jp-NotebookPanel .{css_class}"
        return [w for w in self.page.locator(selector).all()
                if not w.evaluate(f"el => !!el.parentElement.closest('.{css_class}')")]


def canvas_pixels(widget):
    """The pixels of the widget's first ipympl canvas as a data URL (None without one)."""
    return widget.evaluate(CANVAS_PIXELS)


#: JS: ([element, panel, x, y]) -> [r, g, b, a] of the first nnlab Canvas under the element,
#: at data coordinates (x, y) of `panel` (from the panels' geometry the canvas publishes).
PIXEL_AT = """([el, panel, x, y]) => {
    const root = el.querySelector('.nnlab-canvas');
    if (!root || !root.dataset.panels) return null;
    const spec = JSON.parse(root.dataset.panels)[panel];
    if (!spec) return null;
    const canvas = root.querySelector('canvas');
    const dpr = canvas.width / parseFloat(canvas.style.width);
    const u = spec.left + (x - spec.xlim[0]) / (spec.xlim[1] - spec.xlim[0]) * spec.width;
    const v = spec.top + spec.height
        - (y - spec.ylim[0]) / (spec.ylim[1] - spec.ylim[0]) * spec.height;
    const ctx = canvas.getContext('2d');
    const px = ctx.getImageData(Math.floor(u * dpr), Math.floor(v * dpr), 1, 1);
    return Array.from(px.data);
}"""


def pixel_at(widget, panel, x, y):
    """The (r, g, b, a) of the widget's nnlab Canvas at data coordinates (x, y) of `panel`
    (None without a canvas or panel)."""
    value = widget.page.evaluate(PIXEL_AT, [widget.element_handle(), panel, float(x), float(y)])
    return None if value is None else tuple(value)


def canvas_frames(widget):
    """How many frames the widget's first nnlab Canvas has been sent (0 without one)."""
    return int(widget.evaluate(
        "el => { const r = el.querySelector('.nnlab-canvas'); "
        "return r && r.dataset.frames ? Number(r.dataset.frames) : 0; }"))


def wait_canvas_change(widget, before, timeout=15_000):
    """Wait until the widget's canvas shows something other than `before`; True if it did."""
    handle = widget.element_handle()
    try:
        widget.page.wait_for_function(
            f"([el, before]) => {{ const c = el.querySelector({CANVAS!r});"
            " return c && c.toDataURL() !== before; }",
            arg=[handle, before], timeout=timeout, polling=100)
        return True
    except Exception as exc:  # playwright's TimeoutError
        if type(exc).__name__ == "TimeoutError":
            return False
        raise


def slider_readout(slider):
    """The value an ipywidgets slider shows next to it (its readout), as text."""
    return slider.locator(".widget-readout").first.inner_text().strip()


def press_slider(slider, key="ArrowRight"):
    """Focus the slider's handle and press a key, as a keyboard user would."""
    handle = slider.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    handle.press(key)


def move_slider(slider, timeout=5_000, keys=("ArrowRight", "ArrowLeft")):
    """Move a slider with the keyboard: one step right (or left at the right end), or with
    keys=("End", "Home") to its maximum (or minimum when it is already there).

    Returns (old readout, new readout); raises AssertionError if the readout never changed.
    """
    old = slider_readout(slider)
    for key in keys:
        press_slider(slider, key)
        deadline = time.monotonic() + timeout / 1000
        while time.monotonic() < deadline:
            new = slider_readout(slider)
            if new != old:
                return old, new
            time.sleep(0.05)
    raise AssertionError(f"the slider's readout stayed at {old!r} after {' and '.join(keys)}")


@contextlib.contextmanager
def run_notebook(folder, name, viewport=(1400, 900)):
    """Open folder/name in a fresh JupyterLab and Chromium, Run All, and yield the Notebook.

    For the benchmarks: a RuntimeError says why it could not (no Chromium, errors in the run).
    """
    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    if chromium is None:
        raise RuntimeError(INSTALL_HINT)
    with JupyterLabServer(folder) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium)
        try:
            page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
            notebook = Notebook(page, server, name).open()
            notebook.run_all()
            problems = notebook.problems()
            if problems:
                raise RuntimeError("the notebook did not run clean:\n" + "\n".join(problems))
            yield notebook
        finally:
            browser.close()


#: One race of JupyterLab's widget manager: when it connects to a kernel that has not imported
#: ipywidgets yet, it asks for the kernel's widgets through a `jupyter.widget.control` comm
#: that the kernel cannot open yet ("No such comm target registered"), then writes to that comm
#: ("No such comm"). The kernel logs both; nothing is shown to the student and no widget is
#: affected (the tests check the widgets themselves). Seen in the hub term and, now and then,
#: in a lesson.
WIDGET_MANAGER_RACE = re.compile(r"No such comm target registered: jupyter\.widget\.control"
                                 r"|No such comm: [0-9a-f-]{36}")


def _widget_manager_race(text):
    """Whether a callback's stderr text is only that race's log lines."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return bool(lines) and all(WIDGET_MANAGER_RACE.fullmatch(line) for line in lines)
