"""Does a notebook saved with widget state show the last picture in nbconvert's HTML export?

    python benchmarks/spike/static_export.py        (about 30 s; needs npm and Chromium)

The spike's notebook (spike_drawing.NOTEBOOK) is executed headless with nbclient,
`store_widget_state=True` (the widget state a saved notebook carries), exported with
`jupyter nbconvert --to html`, and opened in Chromium. The export loads require.js,
@jupyter-widgets/html-manager and every widget's JavaScript from CDNs (cdnjs, unpkg, jsdelivr);
this machine has no internet, so those requests are answered from the npm packages of the same
versions (`npm pack` into build/spike-export/), and a module npm does not have is refused, as
the CDN (which serves npm) would. For each widget we report how many canvases show something
other than one flat colour, and whether the export shows a widget error.
"""

import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import labdriver  # noqa: E402
import spike_drawing  # noqa: E402

PACKAGES = ROOT / "build" / "spike-export"
#: npm package -> the file its CDN URL names, relative to the package
NPM = {"requirejs@2.1.10": "require.js",
       "@jupyter-widgets/html-manager@1.0.6": "dist",
       "anywidget@0.11.0": "dist/index.js",
       "jupyter-matplotlib@0.12.0": "dist/index.js",
       "bqscales@0.3.4": "dist/index.js"}
#: bqplot 0.13's JavaScript is bqplot@^0.6.1, which npm does not have (its latest is 0.5.46)

# Per output: its widget's css class, the canvases with more than one colour, an error shown.
OUTPUTS = """() => [...document.querySelectorAll('.jp-OutputArea-output')].map(o => {
  const painted = [...o.querySelectorAll('canvas')].filter(c => {
    if (!c.width || !c.height) return false;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 4; i < d.length; i += 4)
      if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2] || d[i + 3] !== d[3])
        return true;
    return false;
  }).length;
  return {text: o.innerText.slice(0, 40).replace(/\\n/g, ' '), painted,
          canvases: o.querySelectorAll('canvas').length, svgs: o.querySelectorAll('svg').length,
          error: o.innerText.includes('javascript error') || o.innerText.includes('Error')};
})"""


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


def export_html(folder):
    """The spike's notebook executed with widget state and exported: the HTML file's path."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.reads(json.dumps(spike_drawing.NOTEBOOK), as_version=4)
    NotebookClient(notebook, store_widget_state=True, timeout=300,
                   kernel_name="python3").execute()
    path = Path(folder) / "saved.ipynb"
    nbformat.write(notebook, path)
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", str(path)],
                   check=True, capture_output=True)
    return path.with_suffix(".html")


def render(html):
    """Open the export in Chromium, CDNs answered from npm; (outputs, served, refused)."""
    from playwright.sync_api import sync_playwright

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

    with sync_playwright() as playwright:
        browser = labdriver.launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.route("**/*", answer)
            page.goto(Path(html).as_uri())
            page.wait_for_timeout(6000)          # the html-manager renders asynchronously
            return page.evaluate(OUTPUTS), served, refused
        finally:
            browser.close()


def results():
    """[(option name, painted canvases, canvases, svgs, error shown)], refused URLs."""
    with tempfile.TemporaryDirectory(prefix="nnlab-export-") as folder:
        outputs, served, refused = render(export_html(folder))
    names = [name for name, *_ in spike_drawing.OPTIONS]
    rows = [(name, o["painted"], o["canvases"], o["svgs"], o["error"])
            for name, o in zip(names, outputs)]
    return rows, served, refused


def main():
    rows, served, refused = results()
    for name, painted, canvases, svgs, error in rows:
        print(f"{name}: {painted} of {canvases} canvases painted, {svgs} svg, "
              f"widget error shown: {error}")
    print("answered from npm:", *served, sep="\n  ")
    print("refused (not on npm, or not needed):", *refused, sep="\n  ")


if __name__ == "__main__":
    main()
