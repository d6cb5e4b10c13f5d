"""Playground: the TensorFlow Playground's controls, driven from plain Python (Agg, no kernel)."""

import datetime
import doctest
import warnings

import ipywidgets as ipw
import matplotlib.colors as mcolors
import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent
from matplotlib.collections import LineCollection

import nnlab
from nnlab import datasets, optimizers
from nnlab.widgets import Playground, style
from nnlab.widgets import playground as playground_module


def links(pg):
    """The diagram's weight lines, found through the figure."""
    ax_net = pg.figure.axes[0]
    (collection,) = [c for c in ax_net.collections if isinstance(c, LineCollection)]
    return collection


def heatmap(pg):
    return pg.figure.axes[1].images[0]


def upload(pg, content, name="weights.npz"):
    """Do what the browser does when a file is chosen in the FileUpload control."""
    pg.controls["import"].value = ({"name": name, "type": "application/octet-stream",
                                    "size": len(content), "content": memoryview(content),
                                    "last_modified": datetime.datetime.now()},)


def same_weights(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


# ---------------------------------------------------------------- learning
def test_test_loss_falls_over_200_ticks_on_xor_with_the_product_feature():
    pg = Playground(dataset="xor", seed=3)
    pg.features = ["x1*x2"]
    assert pg.model.n_inputs == 1
    for _ in range(200):
        pg.tick()
    history = pg.state["test_loss_history"]
    assert pg.state["epoch"] == 200 and len(history) == 201
    assert np.mean(history[-10:]) < 0.5 * np.mean(history[:10])
    assert pg.state["test_loss"] < 0.5 * history[0]
    assert pg.state["test_accuracy"] >= 0.9


def test_a_tick_is_one_epoch_of_minibatches_and_updates_the_artists_in_place():
    pg = Playground(seed=0)
    image, lines = heatmap(pg), links(pg)
    before_image = image.get_array().copy()
    before_widths = np.array(lines.get_linewidths()).copy()
    before = pg.model.get_weights()
    pg.tick()
    assert pg.state["epoch"] == 1
    assert not same_weights(before, pg.model.get_weights())
    # the same artists, with new data
    assert heatmap(pg) is image and links(pg) is lines
    assert not np.array_equal(before_image, image.get_array())
    assert not np.array_equal(before_widths, np.array(lines.get_linewidths()))
    inputs = datasets.features(pg.X_train, pg.features)
    assert pg.state["train_loss"] == pytest.approx(pg.model.evaluate(inputs, pg.y_train)["loss"])
    assert "epoch 1" in pg.controls["status"].value


def test_the_docstring_example_runs():
    result = doctest.testmod(playground_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_links_take_their_colour_from_the_sign_and_their_width_from_the_size_of_weights():
    pg = Playground(seed=0, hidden=(3,))
    for _ in range(3):
        pg.tick()
    w = np.concatenate([layer.W.ravel() for layer in pg.model.layers])
    colours = links(pg).get_colors()[:, :3]
    widths = np.array(links(pg).get_linewidths())
    assert len(w) == len(colours) == len(widths) == 2 * 3 + 3 * 1
    orange, blue = mcolors.to_rgb(style.NEGATIVE), mcolors.to_rgb(style.POSITIVE)
    for weight, colour in zip(w, colours):
        assert np.allclose(colour, orange if weight < 0 else blue)
    order = np.argsort(np.abs(w))
    assert np.all(np.diff(widths[order]) >= 0) and widths[order[-1]] > widths[order[0]]


def test_training_settings_keep_the_weights_and_the_epoch():
    pg = Playground(seed=0)
    pg.tick()
    pg.tick()
    weights = pg.model.get_weights()
    pg.controls["learning_rate"].value = 0.3
    pg.controls["optimizer"].value = "momentum"
    pg.controls["batch_size"].value = 25
    assert pg.state["epoch"] == 2 and same_weights(weights, pg.model.get_weights())
    assert pg.model.optimizer.learning_rate == 0.3
    assert pg.state["batch_size"] == 25


# ---------------------------------------------------------------- the network's shape
def test_layer_count_and_neuron_sliders_rebuild_the_network_and_its_diagram():
    pg = Playground(seed=0)
    assert pg.model.layer_sizes == [2, 4, 2, 1]
    assert len(links(pg).get_segments()) == pg.state["n_links"] == 2 * 4 + 4 * 2 + 2 * 1

    pg.controls["layers"].value = 3
    assert len(pg.model.layers) == 4
    assert pg.model.layer_sizes == [2, 4, 2, pg.controls["neurons_3"].value, 1]
    pg.controls["neurons_3"].value = 5
    assert pg.model.layer_sizes == [2, 4, 2, 5, 1]
    expected = 2 * 4 + 4 * 2 + 2 * 5 + 5 * 1
    assert len(links(pg).get_segments()) == pg.state["n_links"] == expected
    assert pg.state["hidden"] == [4, 2, 5]

    model = pg.model
    pg.controls["neurons_6"].value = 7          # a layer that is not in use: nothing changes
    assert pg.model is model

    pg.controls["layers"].value = 0             # no hidden layer: logistic regression
    assert pg.model.layer_sizes == [2, 1]
    assert len(links(pg).get_segments()) == 2
    assert pg.controls["neurons_1"].layout.display == "none"


def test_feature_toggles_set_the_inputs_and_the_last_feature_cannot_be_switched_off():
    pg = Playground(seed=0)
    pg.controls["feature:sin(x1)"].value = True
    assert pg.features == ["x1", "x2", "sin(x1)"]
    assert pg.model.n_inputs == 3
    assert len(pg.figure.axes[0].images) == sum(pg.model.layer_sizes)   # one per neuron
    pg.controls["feature:x1"].value = False
    pg.controls["feature:x2"].value = False
    pg.controls["feature:sin(x1)"].value = False
    assert pg.features == ["sin(x1)"]
    assert pg.controls["feature:sin(x1)"].value is True
    assert "at least one feature" in pg.controls["message"].value


def test_activation_reaches_the_hidden_layers():
    pg = Playground(seed=0)
    pg.controls["activation"].value = "relu"
    assert pg.model.activation.name == "relu"
    assert [layer.activation.name for layer in pg.model.layers] == ["relu", "relu", "sigmoid"]


# ---------------------------------------------------------------- problems and losses
@pytest.mark.parametrize("dataset", ["plane", "gauss_regression"])
def test_regression_datasets_use_mse_and_a_linear_output(dataset):
    pg = Playground(seed=0)
    pg.controls["dataset"].value = dataset
    assert pg.state["problem"] == "regression"
    assert pg.model.output_activation.name == "linear"
    assert pg.model.loss.name == "mse" and pg.state["loss"] == "mse"
    assert pg.controls["loss"].disabled
    pg.tick()
    assert pg.state["test_accuracy"] is None
    assert np.isfinite(pg.state["test_loss"])


def test_three_classes_use_softmax_with_categorical_cross_entropy():
    pg = Playground(dataset="three_class", seed=0)
    assert pg.model.n_outputs == 3
    assert pg.model.output_activation.name == "softmax"
    assert pg.model.loss.name == "categorical_crossentropy"
    probabilities = pg.model.predict(datasets.features(pg.X_test, pg.features))
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    for _ in range(20):
        pg.tick()
    assert pg.state["test_loss"] < pg.state["test_loss_history"][0]
    # the heatmap shows three colours where the network is sure
    pg.controls["discretize"].value = True
    colours = np.unique(heatmap(pg).get_array().reshape(-1, 4), axis=0)
    assert len(colours) == 3


def test_the_loss_dropdown_chooses_between_cross_entropy_and_mse_for_two_classes():
    pg = Playground(dataset="circle", seed=0)
    assert pg.model.loss.name == "binary_crossentropy"
    weights = pg.model.get_weights()
    pg.controls["loss"].value = "MSE"
    assert pg.model.loss.name == "mse"
    assert same_weights(weights, pg.model.get_weights())      # training settings keep weights
    pg.controls["dataset"].value = "plane"
    pg.controls["dataset"].value = "xor"                     # the user's choice comes back
    assert pg.model.loss.name == "mse"


@pytest.mark.parametrize("name, cls, momentum", [("SGD", optimizers.SGD, 0.0),
                                                 ("momentum", optimizers.SGD, 0.9),
                                                 ("RMSprop", optimizers.RMSprop, None),
                                                 ("Adam", optimizers.Adam, None)])
def test_the_optimizer_dropdown_changes_the_optimizer(name, cls, momentum):
    pg = Playground(seed=0, optimizer="Adam" if name != "Adam" else "SGD")
    pg.controls["learning_rate"].value = 0.01
    pg.controls["optimizer"].value = name
    assert type(pg.model.optimizer) is cls
    assert pg.model.optimizer.learning_rate == 0.01
    if momentum is not None:
        assert pg.model.optimizer.momentum == momentum
    pg.tick()
    assert pg.state["optimizer"] == name and pg.state["epoch"] == 1


@pytest.mark.parametrize("kind, l1, l2", [("L1", 0.03, 0.0), ("L2", 0.0, 0.03),
                                          ("none", 0.0, 0.0)])
def test_regularization_reaches_the_model(kind, l1, l2):
    pg = Playground(seed=0)
    plain_loss = pg.state["train_loss"]
    pg.controls["regularization_rate"].value = 0.03
    pg.controls["regularization"].value = kind
    assert (pg.model.l1, pg.model.l2) == (l1, l2)
    assert (pg.state["l1"], pg.state["l2"]) == (l1, l2)
    # the same weights, so the reported loss differs by exactly the penalty
    assert pg.state["train_loss"] == pytest.approx(plain_loss + pg.model.penalty())
    if kind != "none":
        assert pg.model.penalty() > 0
    pg.controls["layers"].value = 1                  # a rebuilt network keeps the setting
    assert (pg.model.l1, pg.model.l2) == (l1, l2)


# ---------------------------------------------------------------- reset, play, step
def test_reset_to_the_same_initial_weights_restores_them_and_replays_the_run():
    pg = Playground(seed=0)
    initial = pg.model.get_weights()
    for _ in range(5):
        pg.tick()
    after_five = pg.model.get_weights()
    assert not same_weights(initial, after_five)
    pg.controls["reset_same"].click()
    assert same_weights(initial, pg.model.get_weights())
    assert pg.state["epoch"] == 0 and len(pg.state["loss_history"]) == 1
    for _ in range(5):
        pg.tick()
    assert same_weights(after_five, pg.model.get_weights())


def test_reset_draws_new_initial_weights_and_reset_same_returns_to_those():
    pg = Playground(seed=0)
    first = pg.model.get_weights()
    pg.tick()
    pg.controls["reset"].click()
    second = pg.model.get_weights()
    assert pg.state["epoch"] == 0
    assert not same_weights(first, second)
    pg.tick()
    pg.controls["reset_same"].click()
    assert same_weights(second, pg.model.get_weights())


def test_play_value_advances_the_epoch_and_stop_does_not_train():
    pg = Playground(seed=0)
    play = pg.controls["play"]
    assert isinstance(play, ipw.Play)
    for value in (1, 2, 3):
        play.value = value                  # what the browser's timer does while playing
    assert pg.state["epoch"] == 3
    play.value = 0                          # the stop button
    assert pg.state["epoch"] == 3
    pg.controls["step"].click()
    assert pg.state["epoch"] == 4


def test_a_diverging_run_is_undone_and_reported_without_a_warning():
    pg = Playground(dataset="plane", activation="linear", learning_rate=10.0, batch_size=30,
                    seed=0)
    before = pg.model.get_weights()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pg.tick()
    assert pg.state["epoch"] == 0
    assert same_weights(before, pg.model.get_weights())
    assert "diverged" in pg.controls["message"].value
    assert pg.controls["play"].playing is False


# ---------------------------------------------------------------- data
def test_data_controls_split_the_points():
    pg = Playground(seed=0, n_points=400)
    assert (pg.state["n_train"], pg.state["n_test"]) == (200, 200)
    pg.controls["train_ratio"].value = 80
    assert (pg.state["n_train"], pg.state["n_test"]) == (320, 80)
    labels = pg.y_train.copy()
    pg.controls["noise"].value = 50                # on the circle, noise moves the labels
    assert pg.state["noise"] == 50 and not np.array_equal(labels, pg.y_train)
    before = pg.X_train.copy()
    pg.controls["regenerate"].click()
    assert not np.array_equal(before, pg.X_train)


def test_add_point_adds_a_training_point_of_the_chosen_class():
    pg = Playground(dataset="circle", seed=0)
    n_train = pg.state["n_train"]
    blue = pg.figure.axes[1].lines[1]           # training points of class 1
    n_blue = len(blue.get_xdata())
    pg.add_point(4.5, -4.5, 1)
    assert pg.state["n_train"] == n_train + 1 and pg.state["n_added"] == 1
    assert pg.y_train[-1] == 1 and np.array_equal(pg.X_train[-1], [4.5, -4.5])
    assert len(blue.get_xdata()) == n_blue + 1
    pg.add_point(-1.0, 1.0, 0.0)                # a whole number given as a float is a class
    assert pg.y_train[-1] == 0 and pg.state["n_added"] == 2
    with pytest.raises(ValueError, match="label"):
        pg.add_point(0.0, 0.0, 2)               # no third class here
    with pytest.raises(ValueError, match="label"):
        pg.add_point(0.0, 0.0, 0.5)
    with pytest.raises(ValueError, match="x1"):
        pg.add_point(np.nan, 0.0, 0)


def test_clicking_the_heatmap_adds_a_point_with_the_selected_label():
    pg = Playground(dataset="xor", seed=0)
    pg.controls["click_label"].value = 0
    ax_map = pg.figure.axes[1]
    pg.figure.canvas.draw()
    x, y = ax_map.transData.transform((2.0, 3.0))
    event = MouseEvent("button_press_event", pg.figure.canvas, x, y, button=1)
    pg.figure.canvas.callbacks.process("button_press_event", event)
    assert pg.state["n_added"] == 1 and pg.y_train[-1] == 0
    assert np.allclose(pg.X_train[-1], [2.0, 3.0])
    # a click on the network diagram adds nothing
    x, y = pg.figure.axes[0].transAxes.transform((0.5, 0.5))
    event = MouseEvent("button_press_event", pg.figure.canvas, x, y, button=1)
    pg.figure.canvas.callbacks.process("button_press_event", event)
    assert pg.state["n_added"] == 1


def test_regression_clicks_add_targets_and_three_classes_offer_a_third_label():
    pg = Playground(dataset="plane", seed=0)
    assert [v for _, v in pg.controls["click_label"].options] == [-1.0, 1.0]
    pg.add_point(1.0, 1.0, -1.0)
    assert pg.y_train[-1] == -1.0
    pg.controls["dataset"].value = "three_class"
    assert pg.state["n_added"] == 0             # a new dataset forgets added points
    assert [v for _, v in pg.controls["click_label"].options] == [0, 1, 2]
    pg.add_point(1.0, 1.0, 2)
    assert pg.y_train[-1] == 2


# ---------------------------------------------------------------- view
def test_discretize_changes_the_heatmap_to_two_colours():
    pg = Playground(seed=0)
    for _ in range(3):
        pg.tick()
    smooth = heatmap(pg).get_array().copy()
    pg.controls["discretize"].value = True
    sharp = heatmap(pg).get_array()
    assert not np.array_equal(smooth, sharp)
    assert len(np.unique(sharp.reshape(-1, 4), axis=0)) == 2
    assert len(np.unique(smooth.reshape(-1, 4), axis=0)) > 2


def test_show_test_data_shows_the_hollow_test_points():
    pg = Playground(seed=0)
    test_marks = [line for line in pg.figure.axes[1].lines
                  if line.get_markerfacecolor() == "none"]
    assert test_marks
    assert not any(line.get_visible() for line in test_marks)
    pg.controls["show_test"].value = True
    assert all(line.get_visible() for line in test_marks)
    assert all(line.get_markerfacecolor() == "none" for line in test_marks)
    shown = sum(len(line.get_xdata()) for line in test_marks)
    assert shown == pg.state["n_test"]


# ---------------------------------------------------------------- files
def test_export_then_import_round_trips_the_weights_exactly(tmp_path):
    pg = Playground(seed=0, export_path=str(tmp_path / "net.npz"))
    for _ in range(3):
        pg.tick()
    saved = pg.model.get_weights()
    pg.controls["export"].click()
    assert (tmp_path / "net.npz").exists()
    assert "data:application/octet-stream;base64," in pg.controls["message"].value
    for _ in range(3):
        pg.tick()
    assert not same_weights(saved, pg.model.get_weights())
    upload(pg, (tmp_path / "net.npz").read_bytes(), "net.npz")
    assert same_weights(saved, pg.model.get_weights())
    assert pg.state["epoch"] == 0
    assert "Loaded net.npz" in pg.controls["message"].value
    # the file is an ordinary nnlab model
    assert same_weights(saved, nnlab.load_model(tmp_path / "net.npz").get_weights())
    # and the imported weights are now the ones "reset to the same weights" returns to
    pg.tick()
    pg.controls["reset_same"].click()
    assert same_weights(saved, pg.model.get_weights())


def test_import_takes_over_the_files_architecture(tmp_path):
    source = Playground(seed=1, hidden=(3, 5, 2), activation="relu")
    path = source.export_weights(tmp_path / "deep.npz")
    pg = Playground(seed=0)
    assert pg.import_weights(path) is True
    assert pg.hidden == [3, 5, 2] and pg.controls["layers"].value == 3
    assert pg.model.activation.name == "relu"
    assert same_weights(source.model.get_weights(), pg.model.get_weights())


def test_bad_imported_files_give_a_visible_message_and_change_nothing(tmp_path):
    pg = Playground(seed=0)
    model, weights = pg.model, pg.model.get_weights()
    upload(pg, b"this is not a model", "notes.npz")
    message = pg.controls["message"].value
    assert "notes.npz is not a saved nnlab model" in message
    assert pg.model is model and same_weights(weights, pg.model.get_weights())
    assert pg.controls["import"].value == ()          # the same file can be chosen again

    # a real model that does not fit: three inputs while two features are selected
    other = Playground(seed=0, features=("x1", "x2", "x1*x2"))
    path = other.export_weights(tmp_path / "three_inputs.npz")
    upload(pg, open(path, "rb").read(), "three_inputs.npz")
    assert "3 input(s)" in pg.controls["message"].value
    assert pg.model is model

    # a regression network does not fit a classification dataset
    regression = Playground(seed=0, dataset="plane")
    path = regression.export_weights(tmp_path / "plane.npz")
    assert pg.import_weights(path) is False
    assert "linear" in pg.state["message"] and pg.model is model


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("kwargs, name", [
    ({"dataset": "moons"}, "dataset"),
    ({"hidden": (9,)}, r"hidden\[0\]"),
    ({"hidden": (1,) * 7}, "hidden"),
    ({"features": ("x3",)}, "feature"),
    ({"features": ()}, "features"),
    ({"activation": "softmax"}, "activation"),
    ({"learning_rate": 0.5}, "learning_rate"),
    ({"optimizer": "adagrad"}, "optimizer"),
    ({"noise": 80}, "noise"),
    ({"batch_size": 0}, "batch_size"),
])
def test_bad_arguments_are_named_in_the_error(kwargs, name):
    with pytest.raises((ValueError, TypeError), match=name):
        Playground(**kwargs)


def test_the_widget_displays_as_one_ipywidgets_box():
    pg = Playground(seed=0)
    bundle = pg._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert pg.view is pg.view
