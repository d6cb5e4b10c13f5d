"""DescentExplorer: the paths and losses it shows are the core's, and the controls move them."""

import math
from types import SimpleNamespace

import ipywidgets as ipw
import numpy as np
import pytest

import nnlab
from nnlab import optimizers
from nnlab.callbacks import PathRecorder
from nnlab.datasets import overlapping_1d as default_data
from nnlab.widgets.descent_explorer import DescentExplorer

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


def test_number_of_steps_per_batch_size(explorer):
    paths = explorer.state["paths"]
    assert len(paths["full_batch"]) == 5                      # one step per epoch
    assert len(paths["sgd"]) == N * 5                         # one step per sample
    assert len(paths["minibatch"]) == math.ceil(N / 4) * 5    # one step per batch
    for key, path in paths.items():
        w, b = explorer.path_lines[key].get_data()
        assert len(w) == len(path) + 1                        # the line begins at the start
        assert (w[0], b[0]) == (-3.0, 3.0)
        assert (w[-1], b[-1]) == tuple(path[-1])
        epochs, losses = explorer.loss_lines[key].get_data()
        assert len(losses) == len(path) + 1
        assert epochs[-1] == pytest.approx(5.0)               # every curve ends after 5 epochs


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
    line = explorer.path_lines["full_batch"]
    before_line = np.array(line.get_data())
    before = explorer.state["paths"]["full_batch"][-1]
    before_loss = explorer.state["losses"]["full_batch"][-1]
    explorer.controls["learning_rate"].value = 2.0
    assert explorer.state["learning_rate"] == 2.0
    assert explorer.state["paths"]["full_batch"][-1] != before
    after_line = np.array(line.get_data())
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


def test_start_sliders_and_click(explorer):
    explorer.controls["w0"].value = 1.0
    assert explorer.state["paths"]["sgd"][0] != explorer.state["paths"]["full_batch"][0]
    assert explorer.path_lines["sgd"].get_data()[0][0] == 1.0
    event = SimpleNamespace(inaxes=explorer.race_ax_surface, xdata=2.04, ydata=-1.26)
    explorer._on_click(event)
    assert explorer.state["start"] == (2.0, -1.3)
    for line in explorer.race_lines.values():
        assert line.get_data()[0][0] == 2.0
    explorer._on_click(SimpleNamespace(inaxes=explorer.ax_loss, xdata=0.0, ydata=0.0))
    assert explorer.state["start"] == (2.0, -1.3)             # a click elsewhere does nothing


def test_four_optimizers_race(explorer):
    race, losses = explorer.state["race_paths"], explorer.state["race_losses"]
    assert set(race) == {"sgd", "momentum", "rmsprop", "adam"}
    assert list(race) == [label.lower() for label in optimizers.MENU]     # the core's registry
    steps = math.ceil(N / 4) * 5
    for key in race:
        assert len(race[key]) == steps and len(losses[key]) == steps
        assert len(explorer.race_lines[key].get_data()[0]) == steps + 1
        assert len(explorer.race_loss_lines[key].get_data()[1]) == steps + 1
        # every step is a marker you can count (lesson 07 asks to)
        assert explorer.race_lines[key].get_markevery() in (None, 1)
    assert explorer.race_steps_text.get_text() == f"update steps: {steps} each"
    counted = explorer.steps_text.get_text().splitlines()
    assert counted == ["update steps", "full batch: 5", f"SGD (batch 1): {N * 5}",
                       f"mini-batch: {steps}"]
    for key in explorer.path_lines:
        assert explorer.path_lines[key].get_markevery() in (None, 1)
        assert explorer.loss_lines[key].get_markevery() in (None, 1)
    star = explorer.minimum_star
    assert star.get_zorder() > max(line.get_zorder() for line in explorer.path_lines.values())
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
    assert len(explorer.accumulated_line.get_data()[0]) == 0
    explorer.controls["accumulate"].value = True
    acc = explorer.state["accumulation"]
    assert (acc["batch_size"], acc["accumulation_steps"], acc["large_batch_size"]) == (4, 4, 16)
    assert len(acc["path"]) == len(acc["large_path"]) == math.ceil(N / 16) * 5
    assert acc["max_distance"] < 1e-12
    np.testing.assert_allclose(acc["path"], acc["large_path"], atol=1e-12)
    expected, _ = core_path(optimizers.SGD(0.5), 16)
    np.testing.assert_allclose(acc["large_path"], expected, atol=1e-12)
    assert len(explorer.accumulated_line.get_data()[0]) == len(acc["path"]) + 1
    assert "largest distance" in explorer.accumulation_text.get_text()
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
    assert len(explorer.large_line.get_data()[0]) == 0


def test_updates_change_artists_in_place(explorer):
    axes = [explorer.ax_surface, explorer.ax_loss, explorer.race_ax_surface,
            explorer.race_ax_loss]
    counts = [(len(ax.lines), len(ax.collections), len(ax.texts)) for ax in axes]
    explorer.controls["learning_rate"].value = 0.1
    explorer.controls["accumulate"].value = True
    explorer.controls["seed"].value = 3
    assert [(len(ax.lines), len(ax.collections), len(ax.texts)) for ax in axes] == counts


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
    assert len(explorer.figures) == 2 and explorer.figure is explorer.figures[0]


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
    for ax, losses in ((explorer.ax_loss, s["losses"]), (explorer.race_ax_loss, s["race_losses"])):
        top = ax.get_ylim()[1]
        highest = max([s["start_loss"]] + [v for values in losses.values() for v in values])
        assert highest <= top <= 2.5 * highest
    assert explorer.ax_loss.get_xlim() == (0.0, 5.0)
