"""Blitting: a slider redraws only what it moves, and the picture is the one a full draw makes.

The expected picture comes from a second widget built directly at the final settings and drawn
in full once, so a moving artist left out of the blit, or a stale saved background, shows up as
different pixels.
"""

import numpy as np

from nnlab.widgets import DescentExplorer


def pixels(figure):
    return np.asarray(figure.canvas.buffer_rgba()).copy()


def full_draw_pixels(figure):
    figure.canvas.draw()
    return pixels(figure)


def set_controls(widget, **values):
    with widget.hold():
        for name, value in values.items():
            widget.controls[name].value = value
    widget.update()


def test_descent_explorer_blits_the_same_picture_as_a_full_draw():
    explorer = DescentExplorer()
    moves = [{"learning_rate": 0.1}, {"batch_size": 4}, {"learning_rate": 2.0}]
    for move in moves:
        set_controls(explorer, **move)
    fresh = DescentExplorer()
    set_controls(fresh, learning_rate=2.0, batch_size=4)
    for mine, theirs in zip(explorer.figures, fresh.figures):
        np.testing.assert_array_equal(pixels(mine), full_draw_pixels(theirs))


def test_the_hidden_tab_is_trained_after_the_picture_and_complete_when_opened():
    """With the batch-size tab in view, the optimizers' runs are trained after its picture is
    sent (DescentExplorer.finish); the state is complete when update() returns, and the
    optimizers tab, once opened, shows the picture of a full draw."""
    explorer = DescentExplorer()
    _ = explorer.view                                 # the layout, with its two tabs
    order = []
    blitter = explorer._blitters[explorer.figures[0]]
    render, run = blitter.render, explorer._run
    blitter.render = lambda: (order.append("picture"), render())[1]
    explorer._run = lambda optimizer, *args: (order.append(optimizer[0]), run(optimizer, *args))[1]
    explorer.controls["learning_rate"].value = 0.8
    assert order.index("picture") < order.index("Adam")
    assert explorer.state["race_paths"] is not None
    explorer.tabs.selected_index = 1
    fresh = DescentExplorer()
    set_controls(fresh, learning_rate=0.8)
    np.testing.assert_array_equal(pixels(explorer.figures[1]), full_draw_pixels(fresh.figures[1]))
