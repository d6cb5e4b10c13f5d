"""A notebook saved with widget state shows each widget's last picture in nbconvert's HTML
export (issue #28): the Canvas draws from the state saved with the notebook, in a page with no
kernel, and a widget built on it (the NeuronExplorer) shows the same."""

import nbformat
import pytest

from .exportdriver import export_html, open_export

CELLS = ['''\
import ipywidgets as ipw
import numpy as np
from nnlab.widgets.canvas import Canvas
canvas = Canvas(width=300, height=280, label="a saved picture")
canvas.add_class("saved-canvas")
plane = canvas.panel("plane", left=40, top=20, width=240, height=240, xlim=(0, 4), ylim=(0, 4))
with canvas.frame():
    plane.image("halves", np.tile([0.0, 0.0, 1.0, 1.0], (4, 1)), low=0.0, high=1.0)
    plane.line("vertical", [1, 1], [0, 4], color="#000000", width=6)
canvas''', '''\
with canvas.frame():                        # the last picture: the line moved to x = 3
    plane.line("vertical", [3, 3], [0, 4], color="#000000", width=6)''', '''\
from nnlab.widgets import NeuronExplorer
NeuronExplorer(gate="AND")''']

#: JS: (canvas root, x, y in data coordinates of panel `plane`) -> [r, g, b, a]
PIXEL = """([root, x, y]) => {
    const spec = JSON.parse(root.dataset.panels).plane;
    const canvas = root.querySelector('canvas');
    const dpr = canvas.width / parseFloat(canvas.style.width);
    const u = spec.left + (x - spec.xlim[0]) / (spec.xlim[1] - spec.xlim[0]) * spec.width;
    const v = spec.top + spec.height
        - (y - spec.ylim[0]) / (spec.ylim[1] - spec.ylim[0]) * spec.height;
    return Array.from(canvas.getContext('2d').getImageData(u * dpr, v * dpr, 1, 1).data);
}"""


@pytest.fixture(scope="module")
def export(tmp_path_factory, browser):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    html = export_html(notebook, tmp_path_factory.mktemp("export"))
    page, _served, _refused = open_export(browser, html)
    try:
        page.locator(".saved-canvas .nnlab-canvas[data-frames]").wait_for(timeout=30_000)
        yield page
    finally:
        page.close()


def test_the_export_shows_the_last_picture_saved(export):
    root = export.locator(".saved-canvas .nnlab-canvas").element_handle()
    assert export.evaluate(PIXEL, [root, 3.0, 2.0])[:3] == [0, 0, 0]          # the line now
    assert export.evaluate(PIXEL, [root, 1.0, 2.0])[:3] == [0xe6, 0x9f, 0x00]  # not before
    assert export.locator("canvas[aria-label='a saved picture']").count() == 1


def test_a_widget_is_drawn_in_the_export_too(export):
    explorer = export.locator(".nnlab-neuron-explorer .nnlab-canvas canvas")
    explorer.first.wait_for(timeout=30_000)
    colours = explorer.first.evaluate(
        """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  const seen = new Set();
                  for (let i = 0; i < d.length; i += 4 * 97)
                      seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
                  return seen.size; }""")
    assert colours > 3, "the NeuronExplorer's canvas is blank in the export"
