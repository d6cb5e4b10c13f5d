"""The browser harness itself, on small notebooks written here (no lesson needed).

If these fail, the problem is the environment (JupyterLab, the widget or ipympl extensions,
Chromium) or the harness, not a lesson. The second test shows that the checks can fail: a
notebook with an exception, a warning and a widget whose model is missing is reported.
"""

import nbformat
import pytest

from .labdriver import (
    SLIDER,
    Notebook,
    _widget_manager_race,
    canvas_frames,
    canvas_pixels,
    move_slider,
    pixel_at,
    wait_canvas_change,
)

SLIDER_AND_FIGURE = '''\
with plt.ioff():
    fig, ax = plt.subplots(figsize=(4, 3))
fig.canvas.header_visible = False
xs = np.linspace(-3, 3, 61)
line, = ax.plot(xs, np.tanh(xs))
ax.set_ylim(-4, 4)
w = ipw.FloatSlider(value=1.0, min=-3.0, max=3.0, step=0.1, description="w")
readout = ipw.HTML(f"w = {w.value:.2f}")

def update(change):
    line.set_ydata(w.value * np.tanh(xs))   # the curve scales with w
    readout.value = f"w = {w.value:.2f}"
    fig.canvas.draw_idle()

w.observe(update, names="value")
box = ipw.VBox([w, readout, fig.canvas])
box.add_class("nnlab-widget")
box
'''

BROKEN = '''\
import warnings
from IPython.display import display
warnings.warn("a warning a student should never see")
display({"application/vnd.jupyter.widget-view+json":
         {"model_id": "no-such-model", "version_major": 2, "version_minor": 0}}, raw=True)
'''


def write_notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(nb, path)
    return path


@pytest.fixture()
def scratch(lab_root, request):
    """scratch(*cell sources) -> a notebook path (relative to lab_root) named after the test."""

    def make(*sources):
        name = f"scratch/{request.node.name}.ipynb"
        write_notebook(lab_root / name, *sources)
        return name

    return make


def test_slider_moves_and_canvas_changes(scratch, open_notebook, take_screenshot):
    path = scratch("%matplotlib widget\nimport numpy as np\nimport ipywidgets as ipw\n"
                   "import matplotlib.pyplot as plt", SLIDER_AND_FIGURE)
    notebook = open_notebook(path)
    notebook.run_all()
    take_screenshot(notebook, "harness_slider")
    assert notebook.unexecuted_code_cells() == 0
    assert notebook.problems() == []
    [widget] = notebook.widgets()
    before = canvas_pixels(widget)
    assert before is not None, "no ipympl canvas: is the jupyter-matplotlib extension enabled?"

    old, new = move_slider(widget.locator(SLIDER).first)

    assert (old, new) == ("1.00", "1.10")
    assert wait_canvas_change(widget, before), "the figure did not change after the slider moved"
    # the kernel's readout lags the slider: wait for the new value, not just any change
    widget.locator(".widget-html", has_text="w = 1.10").wait_for(timeout=10_000)
    notebook.close()


CANVAS_AND_SLIDER = '''\
import numpy as np
import ipywidgets as ipw
from nnlab.widgets.canvas import Canvas
canvas = Canvas(width=300, height=280, label="a test picture")
plane = canvas.panel("plane", left=40, top=20, width=240, height=240, xlim=(0, 4), ylim=(0, 4))
left_half = np.tile([0.0, 0.0, 1.0, 1.0], (4, 1))       # orange on the left, blue on the right
w = ipw.FloatSlider(value=1.0, min=0.0, max=3.0, step=0.5, description="line at x")

def update(change=None):
    with canvas.frame():
        plane.image("halves", left_half, low=0.0, high=1.0)
        plane.line("vertical", [w.value, w.value], [0, 4], color="#000000", width=6)

w.observe(update, names="value")
update()
from nnlab.widgets import accessible
accessible(ipw.VBox([w, canvas]), label="a test picture")   # as a lesson's own box
'''


def test_canvas_draws_the_kernels_numbers_where_they_belong(scratch, open_notebook):
    """nnlab's Canvas (the widgets' drawing mechanism): an image's cells get the palette's
    colours at their data coordinates, a line moves with a slider, and the picture is the
    last frame the kernel sent."""
    notebook = open_notebook(scratch(CANVAS_AND_SLIDER))
    notebook.run_all()
    assert notebook.problems() == []
    [widget] = notebook.widgets()
    widget.locator(".nnlab-canvas canvas[role=img][aria-label='a test picture']").wait_for()
    # the diverging palette's ends are style.NEGATIVE (#e69f00) and style.POSITIVE (#0072b2)
    assert pixel_at(widget, "plane", 0.5, 2.0)[:3] == (0xe6, 0x9f, 0x00)
    assert pixel_at(widget, "plane", 3.5, 2.0)[:3] == (0x00, 0x72, 0xb2)
    assert pixel_at(widget, "plane", 1.0, 2.0)[:3] == (0, 0, 0)      # the line, at x = 1
    frames = canvas_frames(widget)

    move_slider(widget.locator(SLIDER).first, keys=("ArrowRight",))   # x = 1.5

    widget.page.wait_for_function(
        "([el, n]) => Number(el.querySelector('.nnlab-canvas').dataset.frames) > n",
        arg=[widget.element_handle(), frames], timeout=10_000)
    assert pixel_at(widget, "plane", 1.5, 2.0)[:3] == (0, 0, 0)
    assert pixel_at(widget, "plane", 1.0, 2.0)[:3] == (0xe6, 0x9f, 0x00)   # the old line is gone
    notebook.close()


def test_the_canvas_works_in_notebook_7_too(scratch, lab, browser):
    """Students on Notebook 7 (Binder's and many hubs' classic view) see the same pictures: the
    Canvas draws there and follows a slider moved with the keyboard."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    notebook = Notebook(page, lab, scratch(CANVAS_AND_SLIDER), front_end="notebook").open()
    # Notebook 7.6 itself raises one TypeError ("reading 'schema'", its shortcuts plugin) on
    # every page load, before any cell runs, even in a bare `jupyter notebook` (UPSTREAM.md):
    # whatever is there before the first cell runs is the front end's, not ours
    before = set(notebook.console_errors)
    try:
        assert "/notebooks/" in page.url
        notebook.run_all()
        assert [p for p in notebook.problems()
                if p.removeprefix("browser console error: ") not in before] == []
        [widget] = notebook.widgets()
        assert pixel_at(widget, "plane", 1.0, 2.0)[:3] == (0, 0, 0)
        frames = canvas_frames(widget)
        move_slider(widget.locator(SLIDER).first, keys=("ArrowRight",))
        page.wait_for_function(
            "([el, n]) => Number(el.querySelector('.nnlab-canvas').dataset.frames) > n",
            arg=[widget.element_handle(), frames], timeout=10_000)
        assert pixel_at(widget, "plane", 1.5, 2.0)[:3] == (0, 0, 0)
    finally:
        notebook.close()


def test_errors_warnings_and_broken_widgets_are_reported(scratch, open_notebook):
    path = scratch("x = 1", BROKEN, "raise ValueError('boom')", "y = 2")
    notebook = open_notebook(path)
    notebook.run_all()
    problems = "\n".join(notebook.problems())
    unexecuted = notebook.unexecuted_code_cells()
    notebook.close()

    assert "a warning a student should never see" in problems
    assert "ValueError" in problems and "boom" in problems
    assert "Error displaying widget" in problems or "model not found" in problems
    # run-all stops at the error, so the last cell never ran
    assert unexecuted == 1


@pytest.mark.parametrize("text, benign", [
    ("No such comm target registered: jupyter.widget.control", True),
    ("No such comm: 60320521-f9a7-41c3-a5f8-e474d656e865\n", True),
    ("No such comm: 60320521-f9a7-41c3-a5f8-e474d656e865\nTraceback (most recent call last):",
     False),
    ("ValueError: weights must be finite", False),
    ("", False),
])
def test_only_the_widget_managers_race_is_passed_over(text, benign):
    """JupyterLab's widget manager race (labdriver.WIDGET_MANAGER_RACE) is not a problem of a
    lesson; anything else a callback writes to stderr is."""
    assert _widget_manager_race(text) is benign
