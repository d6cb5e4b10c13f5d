"""LearningCurves: draws the core's run; early stopping marked; live ticks replay the run."""

import numpy as np
import pytest

from nnlab.widgets import LearningCurves, style
from nnlab.widgets.canvas import PALETTES

log_loss = pytest.importorskip("sklearn.metrics").log_loss


def drawn(curves, name, panel="loss"):
    return curves.canvas.layer(panel, name)


def small(**kwargs):
    settings = dict(n_train=40, hidden=16, max_epochs=60)
    settings.update(kwargs)
    return LearningCurves(**settings)


def test_curves_show_the_losses_of_the_trained_network():
    curves = small()
    s = curves.state
    assert s["epochs"] == 60 and len(s["train_loss"]) == len(s["val_loss"]) == 60
    p_val = curves.run.model.predict(curves.X_val).ravel()
    assert s["val_loss"][-1] == pytest.approx(log_loss(curves.y_val, p_val), rel=1e-6)
    for name, losses in (("validation_loss", s["val_loss"]), ("training_loss", s["train_loss"])):
        line = drawn(curves, name)
        np.testing.assert_allclose(line["y"], losses, rtol=1e-6)      # sent as float32
        np.testing.assert_array_equal(line["x"], np.arange(60))
    assert s["best_epoch"] == int(np.argmin(s["val_loss"]))
    best = drawn(curves, "lowest_validation_loss")
    assert best["dash"] == "dotted" and list(best["x"]) == [s["best_epoch"]] * 2
    dot = drawn(curves, "best")
    assert (dot["x"][0], dot["y"][0]) == pytest.approx((s["best_epoch"], min(s["val_loss"])))
    assert drawn(curves, "early_stop")["x"].size == 0                 # no stop: no line


def test_early_stopping_marks_the_stop_and_the_best_epoch():
    curves = small(max_epochs=150, hidden=24)
    free = curves.state["val_loss"]
    curves.controls["patience"].value = 10
    curves.controls["early_stopping"].value = True
    s = curves.state
    assert s["stopped_epoch"] is not None and s["epochs"] == s["stopped_epoch"] + 1
    np.testing.assert_allclose(s["val_loss"], free[:s["epochs"]])
    stop = drawn(curves, "early_stop")
    assert stop["dash"] == "dashed" and list(stop["x"]) == [s["stopped_epoch"]] * 2
    # the line spans the panel's height
    assert list(stop["y"]) == pytest.approx(curves.canvas.panels["loss"].spec["ylim"])
    assert f"epoch {s['stopped_epoch']}" in curves.describe()
    assert f"weights of epoch {s['best_epoch']}" in curves.describe()


def test_training_live_replays_the_same_run_tick_by_tick():
    curves = small()
    full = curves.state["val_loss"]
    curves.restart()
    assert curves.state["epochs"] == 0 and "not trained yet" in curves.describe()
    ticks = 0
    while not curves.tick():
        ticks += 1
        assert curves.state["epochs"] == 5 * ticks
        assert curves.text_twin.text == curves.describe()
    np.testing.assert_allclose(curves.state["val_loss"], full)


def test_l2_and_more_data_lower_the_final_validation_loss():
    curves = small(max_epochs=200, hidden=24)
    overfit = curves.state["val_loss"][-1]
    curves.controls["l2"].value = 0.01
    with_l2 = curves.state["val_loss"][-1]
    curves.controls["l2"].value = 0.0
    curves.controls["n_train"].value = 300
    more_data = curves.state["val_loss"][-1]
    assert with_l2 < overfit and more_data < overfit


def test_settings_reach_the_run_and_controls_are_named():
    curves = small()
    curves.controls["hidden"].value = 3
    assert [layer.W.shape[1] for layer in curves.run.model.layers] == [3, 3, 1]
    assert curves.state["n_params"] == curves.run.model.count_params()
    for name, control in curves.controls.items():
        if name != "readout":
            assert control.description, f"control {name} has no description"
    assert curves.text_twin.text == curves.describe()
    assert curves.text_twin in curves.view.children
    assert "epoch 60 of 60" in curves.controls["readout"].value


def test_bad_settings_are_clear_errors():
    with pytest.raises(ValueError, match="l2 must be one of"):
        LearningCurves(l2=0.5)
    with pytest.raises(ValueError, match="dataset"):
        LearningCurves(dataset="moons")


def test_the_map_is_the_networks_output_and_the_points_are_the_data():
    curves = small(n_train=60)
    image = drawn(curves, "output", panel="data")
    # each cell's centre (row 0 at the bottom) and the network's output there
    rows, cols = image["bytes"].shape
    x0, x1, y0, y1 = image["extent"]
    xs = x0 + (np.arange(cols) + 0.5) * (x1 - x0) / cols
    ys = y0 + (np.arange(rows) + 0.5) * (y1 - y0) / rows
    gx, gy = np.meshgrid(xs, ys)
    output = curves.run.model.predict(np.column_stack([gx.ravel(), gy.ravel()]))
    np.testing.assert_allclose(image["values"], output.reshape(rows, cols), atol=1e-9)
    # painted blue where the network says class 1 (p > 0.5), orange where it says class 0
    rgba = PALETTES[image["palette"]][image["bytes"]].astype(int).reshape(-1, 4)
    sure = np.abs(output.ravel() - 0.5) > 0.02
    np.testing.assert_array_equal((rgba[:, 2] > rgba[:, 0])[sure], output.ravel()[sure] > 0.5)
    assert sure.sum() > 0.8 * rows * cols
    # paler than the class colours, so that the hollow points on it stay visible
    blue = sum(int(style.POSITIVE[i:i + 2], 16) for i in (1, 3, 5))
    assert rgba[:, :3].sum(axis=1).min() > blue + 100
    # filled training points (60) and hollow validation points (200), by class shape
    for label, shape in ((0, "o"), (1, "s")):
        train = drawn(curves, f"training_{label}", panel="data")
        mine = curves.X_pool[:60][curves.y_pool[:60] == label]
        np.testing.assert_allclose(np.column_stack([train["x"], train["y"]]), mine, rtol=1e-6)
        assert train["shape"] == shape and train["fill"] == ("#e69f00", "#0072b2")[label]
        val = drawn(curves, f"validation_{label}", panel="data")
        assert val["x"].size == np.sum(curves.y_val == label) and val["shape"] == shape
        assert val["fill"] == "rgba(0, 0, 0, 0)" and val["edge"] == train["fill"]


def test_a_live_tick_is_one_frame_and_the_axes_hold_the_curves():
    curves = small(max_epochs=40)
    curves.restart()
    frames = curves.canvas.frames
    curves.tick()
    assert curves.canvas.frames == frames + 1
    spec = curves.canvas.panels["loss"].spec
    assert spec["xlim"] == [0.0, 40.0]
    highest = max(curves.state["train_loss"] + curves.state["val_loss"])
    assert spec["ylim"][0] == 0.0 and highest <= spec["ylim"][1] <= max(highest, 0.8) * 1.05 + 1e-9
    curves.controls["max_epochs"].value = 50
    assert curves.canvas.panels["loss"].spec["xlim"] == [0.0, 50.0]
    assert curves.canvas.width <= 860


def test_the_picture_is_sent_before_the_readout_changes():
    curves = small(max_epochs=20)
    curves.restart()
    frames_when_readout_changed = []
    curves.controls["readout"].observe(
        lambda change: frames_when_readout_changed.append(curves.canvas.frames), names="value")
    frames = curves.canvas.frames
    curves.tick()
    curves.controls["hidden"].value = 4
    assert frames_when_readout_changed == [frames + 1, frames + 2]
