"""LearningCurves: draws the core's run; early stopping marked; live ticks replay the run."""

import numpy as np
import pytest

from nnlab.widgets import LearningCurves

log_loss = pytest.importorskip("sklearn.metrics").log_loss


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
    np.testing.assert_allclose(curves.val_line.get_ydata(), s["val_loss"])
    np.testing.assert_allclose(curves.train_line.get_ydata(), s["train_loss"])
    assert s["best_epoch"] == int(np.argmin(s["val_loss"]))
    assert curves.best_line.get_xdata()[0] == s["best_epoch"]
    assert not curves.stop_line.get_visible()


def test_early_stopping_marks_the_stop_and_the_best_epoch():
    curves = small(max_epochs=150, hidden=24)
    free = curves.state["val_loss"]
    curves.controls["patience"].value = 10
    curves.controls["early_stopping"].value = True
    s = curves.state
    assert s["stopped_epoch"] is not None and s["epochs"] == s["stopped_epoch"] + 1
    np.testing.assert_allclose(s["val_loss"], free[:s["epochs"]])
    assert curves.stop_line.get_visible() and curves.stop_line.get_xdata()[0] == s["stopped_epoch"]
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
