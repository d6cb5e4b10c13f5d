"""The shared widget base: one frame per canvas per update, the picture before the words."""

import ipywidgets as ipw

from nnlab.widgets.base import Widget
from nnlab.widgets.canvas import Canvas


class TwoPictures(Widget):
    """A minimal widget with two canvases, recording the order of what happens."""

    def __init__(self):
        super().__init__()
        self.log = []
        self.controls = {"w": ipw.FloatSlider(value=0.0, description="w")}
        self.canvas_list = [Canvas(label="left"), Canvas(label="right")]
        self.panels = [c.panel("p", 0, 0, 100, 100) for c in self.canvas_list]
        for canvas in self.canvas_list:
            canvas.observe(lambda change: self.log.append("frame"), names="scene")
        self._connect()
        self.update()

    def compute(self):
        self.state = {"w": self.controls["w"].value}

    def draw(self):
        for panel in self.panels:                      # three layers on each canvas
            panel.line("a", [0, 1], [0, self.state["w"]])
            panel.line("b", [0, 1], [1, self.state["w"]])
            panel.text("c", 0.5, 0.5, f"w = {self.state['w']}")

    def finish(self):
        self.log.append("finish")

    def describe(self):
        self.log.append("describe")
        return f"w is {self.state['w']}"


def test_an_update_sends_one_frame_per_canvas_before_the_words():
    widget = TwoPictures()
    widget.log.clear()
    widget.controls["w"].value = 0.5
    assert widget.log == ["frame", "frame", "finish", "describe"]
    assert widget.text_twin.text == "w is 0.5"
    assert widget.canvas_list[1].layer("p", "a")["y"].tolist() == [0.0, 0.5]


def test_hold_sends_nothing_until_the_update_after_it():
    widget = TwoPictures()
    widget.log.clear()
    with widget.hold():
        widget.controls["w"].value = 1.0
        widget.controls["w"].value = 2.0
    assert widget.log == []
    widget.update()
    assert widget.log == ["frame", "frame", "finish", "describe"]


def test_figure_is_what_the_widget_draws_on():
    widget = TwoPictures()
    assert isinstance(widget.figure, ipw.VBox)
    assert list(widget.figure.children) == widget.canvas_list
