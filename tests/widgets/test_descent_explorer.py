"""DescentExplorer: the paths and losses it shows are the core's, and the controls move them."""

import math

import ipywidgets as ipw
import numpy as np
import pytest

import nnlab
from nnlab import optimizers
from nnlab.callbacks import PathRecorder
from nnlab.datasets import overlapping_1d as default_data
from nnlab.widgets.descent_explorer import BATCH_PATHS, RACE_PATHS, DescentExplorer

N = 24          # samples in the default dataset


@pytest.fixture(scope="module")
def explorer():
    return DescentExplorer(learning_rate=0.5, batch_size=4, epochs=5, seed=0)


@pytest.fixture(autouse=True)
def defaults(explorer):
    """Every test starts from the same control values."""
    values = {"learning_rate": 0.5, "batch_size": 4, "epochs": 5, "seed": 0, "w0": -3.0,
              "b0": 3.0, "accumulate": False, "accumulation_steps": 4, "momentum": 0.9}
    for name, value in values.items():
        explorer.controls[name].value = value
    return explorer


def core_path(optimizer, batch_size, epochs=5, seed=0, start=(-3.0, 3.0), accumulation_steps=1):
    """The same training done directly with the core, for comparison."""
    X, y = default_data()
    model = nnlab.MLP([1, 1], output_activation="sigmoid")
    model.compile("binary_crossentropy", optimizer, metrics=())
    model.set_weights([[[start[0]]], [start[1]]])
    recorder = PathRecorder(model)
    model.fit(X, y, epochs=epochs, batch_size=batch_size, accumulation_steps=accumulation_steps,
              callbacks=[recorder], seed=seed)
    return np.array(recorder.points), model


def layer(explorer, name, panel="surface", tab=0):
    """A layer of a tab's canvas, as the browser is sent it."""
    return explorer.canvas_list[tab].layer(panel, name)


def test_number_of_steps_per_batch_size(explorer):
    paths = explorer.state["paths"]
    assert len(paths["full_batch"]) == 5                      # one step per epoch
    assert len(paths["sgd"]) == N * 5                         # one step per sample
    assert len(paths["minibatch"]) == math.ceil(N / 4) * 5    # one step per batch
    for key, path in paths.items():
        w, b = layer(explorer, f"path_{key}")["x"], layer(explorer, f"path_{key}")["y"]
        assert len(w) == len(path) + 1                        # the line begins at the start
        assert (w[0], b[0]) == (-3.0, 3.0)
        np.testing.assert_allclose((w[-1], b[-1]), path[-1], rtol=1e-6)   # sent as float32
        curve = layer(explorer, f"loss_{key}", "loss")
        assert len(curve["y"]) == len(path) + 1
        assert curve["x"][-1] == pytest.approx(5.0)           # every curve ends after 5 epochs


def test_paths_are_the_cores_training(explorer):
    expected, _ = core_path(optimizers.SGD(0.5), 1)
    np.testing.assert_allclose(explorer.state["paths"]["sgd"], expected, rtol=0, atol=1e-12)
    expected, model = core_path(optimizers.SGD(0.5), 4)
    np.testing.assert_allclose(explorer.state["paths"]["minibatch"], expected, atol=1e-12)
    # the loss shown after the last step is the core's loss on the whole dataset there
    X, y = default_data()
    assert explorer.state["losses"]["minibatch"][-1] == pytest.approx(
        model.evaluate(X, y)["loss"], rel=1e-12)


def test_learning_rate_moves_the_paths(explorer):
    def line():
        path = layer(explorer, "path_full_batch")
        return np.array([path["x"], path["y"]])

    before_line = line()
    before = explorer.state["paths"]["full_batch"][-1]
    before_loss = explorer.state["losses"]["full_batch"][-1]
    explorer.controls["learning_rate"].value = 2.0
    assert explorer.state["learning_rate"] == 2.0
    assert explorer.state["paths"]["full_batch"][-1] != before
    after_line = line()
    assert after_line.shape == before_line.shape
    assert not np.allclose(after_line[:, 1:], before_line[:, 1:])
    # a larger step goes further downhill in the same number of full-batch steps
    assert explorer.state["losses"]["full_batch"][-1] < before_loss


def test_batch_size_epochs_and_seed(explorer):
    explorer.controls["batch_size"].value = 6
    assert len(explorer.state["paths"]["minibatch"]) == 4 * 5
    explorer.controls["epochs"].value = 3
    assert len(explorer.state["paths"]["sgd"]) == N * 3
    assert len(explorer.state["paths"]["full_batch"]) == 3
    full, sgd = explorer.state["paths"]["full_batch"], explorer.state["paths"]["sgd"]
    explorer.controls["seed"].value = 7
    # another shuffling changes the stochastic path, not the full-batch one
    assert explorer.state["paths"]["sgd"] != sgd
    np.testing.assert_allclose(explorer.state["paths"]["full_batch"], full, atol=1e-12)


def press(canvas, panel, x, y, kind="down"):
    """What the browser sends when a pointer is pressed on a canvas (canvas.js)."""
    canvas._message(canvas, {"type": "pointer", "panel": panel, "x": x, "y": y, "kind": kind,
                             "buttons": 1}, [])


def test_start_sliders_and_click(explorer):
    explorer.controls["w0"].value = 1.0
    assert explorer.state["paths"]["sgd"][0] != explorer.state["paths"]["full_batch"][0]
    assert layer(explorer, "path_sgd")["x"][0] == 1.0
    assert layer(explorer, "start")["x"].tolist() == [1.0]
    press(explorer.canvas_list[1], "surface", 2.04, -1.26)
    assert explorer.state["start"] == (2.0, -1.3)
    for key in explorer.state["race_paths"]:
        path = layer(explorer, f"path_{key}", tab=1)
        assert (path["x"][0], path["y"][0]) == pytest.approx((2.0, -1.3))
    assert layer(explorer, "path_sgd")["x"][0] == 2.0          # the other tab's too
    press(explorer.canvas_list[0], "loss", 0.0, 0.0)
    press(explorer.canvas_list[0], "surface", 0.0, 0.0, kind="move")
    assert explorer.state["start"] == (2.0, -1.3)   # a click elsewhere or a drag: nothing


def test_four_optimizers_race(explorer):
    race, losses = explorer.state["race_paths"], explorer.state["race_losses"]
    assert set(race) == {"sgd", "momentum", "rmsprop", "adam"}
    assert list(race) == [label.lower() for label in optimizers.MENU]     # the core's registry
    steps = math.ceil(N / 4) * 5
    for key in race:
        assert len(race[key]) == steps and len(losses[key]) == steps
        assert len(layer(explorer, f"path_{key}", tab=1)["x"]) == steps + 1
        assert len(layer(explorer, f"loss_{key}", "loss", tab=1)["y"]) == steps + 1
        # every step is a marker you can count (lesson 07 asks to): canvas lines with a
        # marker draw it at every point
        assert layer(explorer, f"path_{key}", tab=1)["marker"]
        assert layer(explorer, f"loss_{key}", "loss", tab=1)["marker"]
    assert layer(explorer, "steps", "loss", tab=1)["text"] == [f"update steps: {steps} each"]
    counted = layer(explorer, "steps", "loss")["text"]
    assert counted == ["update steps", "full batch: 5", f"SGD (batch 1): {N * 5}",
                       f"mini-batch: {steps}"]
    for key in explorer.state["paths"]:
        assert layer(explorer, f"path_{key}")["marker"]
        assert layer(explorer, f"loss_{key}", "loss")["marker"]
    # the star at the grid's minimum, drawn after (over) every path on both tabs
    for tab, keys in ((0, explorer.state["paths"]), (1, race)):
        order = explorer.canvas_list[tab].layers("surface")
        assert order.index("minimum") > max(order.index(f"path_{key}") for key in keys)
        star = layer(explorer, "minimum", tab=tab)
        i, j = np.unravel_index(np.argmin(explorer.surface), explorer.surface.shape)
        assert star["x"][0] == pytest.approx(explorer.w_grid[j])
        assert star["y"][0] == pytest.approx(explorer.b_grid[i])
    ends = {tuple(path[-1]) for path in race.values()}
    assert len(ends) == 4                                     # four different walks
    expected, _ = core_path(optimizers.Adam(0.5), 4)
    np.testing.assert_allclose(race["adam"], expected, atol=1e-12)
    expected, _ = core_path(optimizers.SGD(0.5, momentum=0.9), 4)
    np.testing.assert_allclose(race["momentum"], expected, atol=1e-12)
    expected, _ = core_path(optimizers.SGD(0.5), 4)
    np.testing.assert_allclose(race["sgd"], expected, atol=1e-12)
    momentum_path = race["momentum"]
    explorer.controls["momentum"].value = 0.5
    assert explorer.state["race_paths"]["momentum"] != momentum_path


def test_accumulation_lands_on_the_large_batch_path(explorer):
    assert explorer.state["accumulation"] is None
    assert len(layer(explorer, "accumulated")["x"]) == 0
    explorer.controls["accumulate"].value = True
    acc = explorer.state["accumulation"]
    assert (acc["batch_size"], acc["accumulation_steps"], acc["large_batch_size"]) == (4, 4, 16)
    assert len(acc["path"]) == len(acc["large_path"]) == math.ceil(N / 16) * 5
    assert acc["max_distance"] < 1e-12
    np.testing.assert_allclose(acc["path"], acc["large_path"], atol=1e-12)
    expected, _ = core_path(optimizers.SGD(0.5), 16)
    np.testing.assert_allclose(acc["large_path"], expected, atol=1e-12)
    assert len(layer(explorer, "accumulated")["x"]) == len(acc["path"]) + 1
    assert layer(explorer, "accumulated")["dash"] == "dashed"          # lesson 09's words
    assert layer(explorer, "large_batch")["color"] == "#f0e442"        # "the yellow band"
    np.testing.assert_allclose(layer(explorer, "large_batch")["x"][1:],
                               np.array(acc["large_path"])[:, 0], rtol=1e-6)
    note = layer(explorer, "accumulation_note")["text"]
    assert note[-1] == f"largest distance between them: {acc['max_distance']:.1e}"
    # 24 samples in batches of 5 grouped by 3: (5, 5, 5), (5, 4): the last group mixes sizes,
    # and still gives the update of one batch of 9 (gradients weighted by their samples)
    explorer.controls["batch_size"].value = 5
    explorer.controls["accumulation_steps"].value = 3
    acc = explorer.state["accumulation"]
    assert acc["max_distance"] < 1e-12
    np.testing.assert_allclose(acc["large_path"], core_path(optimizers.SGD(0.5), 15)[0],
                               atol=1e-12)
    explorer.controls["accumulate"].value = False
    assert explorer.state["accumulation"] is None
    assert len(layer(explorer, "large_batch")["x"]) == 0
    assert layer(explorer, "accumulation_note")["text"] == []


def test_updates_change_layers_in_place_one_frame_each(explorer):
    """Layers keep their names and drawing order (the star stays on top), the landscape is
    computed once, and each update sends one frame to each canvas whose picture it changes."""
    def layout():
        return [(name, canvas.layers(name)) for canvas in explorer.canvas_list
                for name in canvas.panels]

    before = layout()
    landscape = layer(explorer, "landscape")
    frames = [canvas.frames for canvas in explorer.canvas_list]
    explorer.controls["learning_rate"].value = 0.1          # both tabs
    explorer.controls["accumulate"].value = True            # the batch-size tab only
    explorer.controls["seed"].value = 3                     # both tabs
    explorer.controls["momentum"].value = 0.5               # the optimizers tab only
    assert layout() == before
    assert layer(explorer, "landscape") is landscape
    assert [canvas.frames for canvas in explorer.canvas_list] == [frames[0] + 3, frames[1] + 3]


def test_surface_is_the_cores_loss(explorer):
    X, y = default_data()
    model = nnlab.MLP([1, 1], output_activation="sigmoid").compile("binary_crossentropy", "sgd")
    i, j = 17, 42
    model.set_weights([[[explorer.w_grid[j]]], [explorer.b_grid[i]]])
    assert explorer.surface[i, j] == pytest.approx(model.evaluate(X, y)["loss"], rel=1e-12)
    w, b, loss = explorer.state["minimum"]
    assert loss == pytest.approx(explorer.surface.min())


def test_layout_has_two_tabs(explorer):
    view = explorer.layout()
    tabs = [child for child in view.children if isinstance(child, ipw.Tab)]
    assert len(tabs) == 1 and len(tabs[0].children) == 2
    assert (tabs[0].get_title(0), tabs[0].get_title(1)) == ("batch size", "optimizers")
    for tab, canvas in zip(tabs[0].children, explorer.canvas_list, strict=True):
        assert canvas in tab.children
        assert canvas.width <= 860          # the lesson area is ~883 px wide at 1366x768
    assert explorer.canvas is explorer.canvas_list[0]


def test_custom_data_mse_and_bad_input():
    x = np.linspace(-2, 2, 10)
    explorer = DescentExplorer(x, (x > 0.3).astype(float), loss="mse", epochs=2, resolution=20)
    assert explorer.state["loss"] == "mse"
    assert explorer.surface.shape == (20, 20)
    assert len(explorer.state["paths"]["sgd"]) == 20
    with pytest.raises(ValueError, match="X must hold one feature"):
        DescentExplorer(np.zeros((5, 2)), np.zeros(5))
    with pytest.raises(ValueError, match=r"y must lie in \[0, 1\]"):
        DescentExplorer(x, 2 * x)
    with pytest.raises(ValueError, match="both X and y"):
        DescentExplorer(x)
    with pytest.raises(ValueError, match="learning_rate must be a positive"):
        DescentExplorer(learning_rate=0)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        DescentExplorer(batch_size=-2)
    with pytest.raises(ValueError, match="start must lie inside the window"):
        DescentExplorer(start=(9.0, 0.0))


def count_training_runs(explorer, control, value):
    """How many times the core's fit ran when `control` was set to `value`."""
    calls = []
    fit = explorer.model.fit
    explorer.model.fit = lambda *args, **kwargs: calls.append(kwargs) or fit(*args, **kwargs)
    try:
        explorer.controls[control].value = value
    finally:
        del explorer.model.fit
    return calls


def test_a_control_retrains_only_the_runs_it_changes():
    explorer = DescentExplorer(learning_rate=0.5, batch_size=4, epochs=5, seed=0, momentum=0.9)
    # momentum: the momentum run only; batch size: the mini-batch runs (minibatch, momentum,
    # RMSprop, Adam), not full batch or batch 1; the learning rate: all six
    assert len(count_training_runs(explorer, "momentum", 0.5)) == 1
    calls = count_training_runs(explorer, "batch_size", 6)
    assert len(calls) == 4 and {c["batch_size"] for c in calls} == {6}
    assert len(count_training_runs(explorer, "learning_rate", 1.0)) == 6
    # back to a setting seen before: nothing is retrained, and the paths are those of a fresh
    # explorer that trains everything (the kept runs are the core's runs for these settings)
    assert count_training_runs(explorer, "learning_rate", 0.5) == []
    fresh = DescentExplorer(learning_rate=0.5, batch_size=6, epochs=5, seed=0, momentum=0.5)
    assert explorer.state["paths"] == fresh.state["paths"]
    assert explorer.state["race_paths"] == fresh.state["race_paths"]
    assert explorer.state["race_losses"] == fresh.state["race_losses"]


def test_loss_axes_show_every_loss(explorer):
    explorer.controls["learning_rate"].value = 5.0
    s = explorer.state
    for canvas, losses in zip(explorer.canvas_list, (s["losses"], s["race_losses"])):
        spec = canvas.panels["loss"].spec
        top = spec["ylim"][1]
        highest = max([s["start_loss"]] + [v for values in losses.values() for v in values])
        assert highest <= top <= 2.5 * highest
        assert spec["yticks"][-1] == top                 # the ticks follow the new limits
    assert explorer.canvas.panels["loss"].spec["xlim"] == [0.0, 5.0]
    steps = len(s["race_paths"]["adam"])
    assert explorer.canvas_list[1].panels["loss"].spec["xlim"] == [0.0, steps]
    # the minimum's loss: a dotted line across the whole panel
    line = layer(explorer, "minimum_loss", "loss")
    assert line["dash"] == "dotted" and line["x"].tolist() == [0.0, 5.0]
    assert line["y"][0] == pytest.approx(explorer.surface.min())


def test_contours_are_level_sets_of_the_cores_loss(explorer):
    """Points of the contour lines, evaluated by the core, have the loss of a contour level:
    the levels run geometrically from just above the minimum to the window's highest loss."""
    X, y = default_data()
    model = nnlab.MLP([1, 1], output_activation="sigmoid").compile("binary_crossentropy", "sgd")
    lines = layer(explorer, "contours")
    points = np.column_stack([lines["x"], lines["y"]])
    points = points[np.isfinite(points).all(axis=1)]
    assert len(points) > 100
    levels = np.geomspace(explorer.surface.min() * 1.01, explorer.surface.max(), 14)
    for w, b in points[:: len(points) // 40]:
        model.set_weights([[[w]], [b]])
        loss = model.evaluate(X, y)["loss"]
        assert np.min(np.abs(levels / loss - 1)) < 0.03, (w, b, loss)
    # the shading darkens uphill: white at the minimum, the darkest grey where the loss is
    # highest, and a higher loss is never lighter
    shades = layer(explorer, "landscape")
    assert shades["palette"] == "grey"
    values, surface = shades["values"], explorer.surface
    assert values.flat[np.argmin(surface)] == 0
    assert values.flat[np.argmax(surface)] == values.max() > 0
    order = np.argsort(surface, axis=None)
    assert np.all(np.diff(values.flat[order]) >= 0)


def test_legend_names_every_line_in_its_style(explorer):
    """A path and its loss curve share colour, dash and marker; the legend under the panels
    shows each with its label, and the star and the start."""
    for tab, paths in ((0, BATCH_PATHS), (1, RACE_PATHS)):
        canvas = explorer.canvas_list[tab]
        labels = canvas.layer("legend", "labels")["text"]
        assert labels == [label for label, *_ in paths.values()] + ["minimum (grid)", "start"]
        for key in paths:
            look = [{k: canvas.layer(panel, name)[k] for k in ("color", "dash", "marker")}
                    for panel, name in (("surface", f"path_{key}"), ("loss", f"loss_{key}"),
                                        ("legend", f"sample_{key}"))]
            assert look[0] == look[1] == look[2]
        looks = {(canvas.layer("surface", f"path_{key}")["dash"],
                  canvas.layer("surface", f"path_{key}")["marker"]) for key in paths}
        assert len(looks) == len(paths)                  # told apart without colour


def test_the_hidden_tab_is_trained_after_the_picture_and_drawn_as_a_fresh_one():
    """With the batch-size tab in view, the optimizers' runs are trained after its picture is
    sent (DescentExplorer.finish); the state is complete when update() returns, and the
    optimizers tab's layers are those of an explorer built at the final settings."""
    explorer = DescentExplorer(epochs=5)
    _ = explorer.view                                 # the layout, with its two tabs
    order = []
    canvas = explorer.canvas_list[0]
    send, run = canvas._send_frame, explorer._run
    canvas._send_frame = lambda: (order.append("picture"), send())[1]
    explorer._run = lambda optimizer, *args: (order.append(optimizer[0]), run(optimizer, *args))[1]
    explorer.controls["learning_rate"].value = 0.8
    explorer.controls["batch_size"].value = 6
    assert order.index("picture") < order.index("Adam")
    assert explorer.state["race_paths"] is not None
    fresh = DescentExplorer(epochs=5, learning_rate=0.8, batch_size=6)
    for tab in (0, 1):
        for panel in ("surface", "loss"):
            mine, theirs = explorer.canvas_list[tab], fresh.canvas_list[tab]
            assert mine.panels[panel].spec == theirs.panels[panel].spec
            assert mine.layers(panel) == theirs.layers(panel)
            for name in mine.layers(panel):
                a, b = mine.layer(panel, name), theirs.layer(panel, name)
                assert a.keys() == b.keys()
                for key in a:
                    if isinstance(a[key], np.ndarray):
                        np.testing.assert_array_equal(a[key], b[key], err_msg=f"{panel} {name}")
                    else:
                        assert a[key] == b[key], (panel, name, key)
