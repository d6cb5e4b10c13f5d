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
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import exportdriver  # noqa: E402
import labdriver  # noqa: E402
import spike_drawing  # noqa: E402

#: bqplot 0.13's JavaScript is bqplot@^0.6.1, which npm does not have (its latest is 0.5.46)
exportdriver.NPM["bqscales@0.3.4"] = "dist/index.js"

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


def export_html(folder):
    """The spike's notebook executed with widget state and exported: the HTML file's path."""
    import nbformat

    notebook = nbformat.reads(json.dumps(spike_drawing.NOTEBOOK), as_version=4)
    return exportdriver.export_html(notebook, folder)


def render(html):
    """Open the export in Chromium, CDNs answered from npm; (outputs, served, refused)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = labdriver.launch_chromium(playwright)
        try:
            page, served, refused = exportdriver.open_export(browser, html)
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
