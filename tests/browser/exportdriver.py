"""Open nbconvert's HTML export of a notebook saved with widget state, in Chromium, offline.

An export loads require.js, @jupyter-widgets/html-manager and each widget's JavaScript from
CDNs (cdnjs, unpkg, jsdelivr), which serve npm packages. This machine and CI reach npm but not
those CDNs, so the requests are answered from the same npm packages (`npm pack`ed once into
build/export-npm/); anything else is refused, as a CDN without it would. The anywidget ES modules
themselves (nnlab's canvas.js) travel inside the saved widget state.
"""

import re
import subprocess
import sys
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGES = REPO / "build" / "export-npm"
#: npm package -> the file its CDN URL names, relative to the package
NPM = {"requirejs@2.1.10": "require.js",
       "@jupyter-widgets/html-manager@1.0.6": "dist",
       "anywidget@0.11.0": "dist/index.js",
       "jupyter-matplotlib@0.12.0": "dist/index.js"}


def npm_packages():
    """{package name: its unpacked folder}, `npm pack`ed on first use."""
    folders = {}
    PACKAGES.mkdir(parents=True, exist_ok=True)
    for spec in NPM:
        name = spec.rsplit("@", 1)[0]
        folder = PACKAGES / name.replace("/", "+")
        if not folder.exists():
            tgz = subprocess.run(["npm", "pack", spec, "--silent"], cwd=PACKAGES, check=True,
                                 capture_output=True, text=True).stdout.strip().splitlines()[-1]
            with tarfile.open(PACKAGES / tgz) as archive:
                archive.extractall(folder, filter="data")
        folders[name] = folder / "package"
    return folders


def export_html(notebook, folder):
    """Execute `notebook` (an nbformat node) keeping widget state, save it into `folder` and
    export it with `jupyter nbconvert --to html`: the HTML file's path."""
    import nbformat
    from nbclient import NotebookClient

    NotebookClient(notebook, store_widget_state=True, timeout=300,
                   kernel_name="python3").execute()
    path = Path(folder) / "saved.ipynb"
    nbformat.write(notebook, path)
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(path)],
                   check=True, capture_output=True)
    return path.with_suffix(".html")


def open_export(browser, html, viewport=(1200, 900)):
    """A new page of `browser` (Playwright's) showing the export, CDN requests answered from
    npm: (page, served URLs, refused URLs). Close the page when done."""
    folders = npm_packages()
    served, refused = [], []

    def answer(route):
        url = route.request.url
        if url.startswith("file:"):
            return route.continue_()
        if "require" in url and url.endswith("require.min.js"):
            served.append(url)
            return route.fulfill(path=str(folders["requirejs"] / NPM["requirejs@2.1.10"]))
        match = re.search(r"html-manager@[^/]*/dist/(.+)$", url)
        if match and (folders["@jupyter-widgets/html-manager"] / "dist" / match[1]).exists():
            served.append(url)
            return route.fulfill(
                path=str(folders["@jupyter-widgets/html-manager"] / "dist" / match[1]))
        for spec, file in NPM.items():
            name = spec.rsplit("@", 1)[0]
            if f"/npm/{name}@" in url:
                served.append(url)
                return route.fulfill(path=str(folders[name] / file),
                                     content_type="application/javascript")
        refused.append(url)
        return route.abort()

    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    page.route("**/*", answer)
    page.goto(Path(html).as_uri())
    return page, served, refused
