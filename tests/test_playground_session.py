"""PlaygroundSession: the playground's logic, headless (no widgets, no matplotlib).

Expected values come from elsewhere: a network trained by hand with plain nnlab calls, finite
differences for gradients, counting by hand for the confusion matrix, and a subprocess for the
exported script.
"""

import json
import re
import subprocess
import sys

import numpy as np
import pytest

import nnlab
from nnlab import MLP, datasets, optimizers
from nnlab.model_selection import train_test_split
from nnlab.playground import PlaygroundSession


def same(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


# ---------------------------------------------------------------- training
def test_ticks_are_the_epochs_of_a_network_trained_by_hand():
    s = PlaygroundSession(dataset="spiral", hidden=[8, 8], learning_rate=0.1, seed=5)
    assert s.tick(3) == 3
    s.tick()
    # the same thing with plain nnlab calls and the documented seeds
    rng = np.random.default_rng([5, 0, 0])
    X, y = datasets.spiral(n=500, noise=0.0, seed=rng)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, seed=rng)
    F = datasets.features(X_train, ["x1", "x2"])
    model = MLP([2, 8, 8, 1], activation="tanh", seed=np.random.default_rng([5, 1, 0]))
    model.compile(loss="binary_crossentropy", optimizer=optimizers.SGD(0.1))
    model.fit(F, y_train, epochs=4, batch_size=10, seed=np.random.default_rng([5, 2, 0]))
    assert same(model.get_weights(), s.model.get_weights())
    assert s.epoch == 4 and s.history["epoch"] == [0, 1, 2, 3, 4]
    test = model.evaluate(datasets.features(X_test, ["x1", "x2"]), y_test)
    assert s.history["test_loss"][-1] == test["loss"]
    assert s.history["test_accuracy"][-1] == test["accuracy"]


def test_test_loss_falls_on_xor_with_the_product_feature():
    s = PlaygroundSession(dataset="xor", features=["x1*x2"], seed=3)
    s.tick(200)
    h = s.history["test_loss"]
    assert len(h) == 201 and h[-1] < 0.5 * h[0]
    assert s.state()["test_accuracy"] >= 0.9


def test_reset_same_weights_replays_the_run_and_reset_draws_new_weights():
    s = PlaygroundSession(seed=0)
    initial = s.model.get_weights()
    s.tick(5)
    after_five = s.model.get_weights()
    s.reset(same_weights=True)
    assert same(initial, s.model.get_weights()) and s.epoch == 0
    assert len(s.history["loss"]) == 1
    s.tick(5)
    assert same(after_five, s.model.get_weights())
    s.reset()
    assert not same(initial, s.model.get_weights()) and s.weight_draws == 1


def test_training_settings_keep_the_weights_and_network_settings_rebuild():
    s = PlaygroundSession(seed=0)
    s.tick(2)
    weights = s.model.get_weights()
    assert s.configure(learning_rate=0.3, optimizer="momentum") == "training"
    assert same(weights, s.model.get_weights()) and s.epoch == 2
    assert s.model.optimizer.learning_rate == 0.3 and s.model.optimizer.momentum == 0.9
    assert s.configure(hidden=[3]) == "network"
    assert s.model.layer_sizes == [2, 3, 1] and s.epoch == 0
    assert s.configure(hidden=[3]) is None


def test_regularization_changes_the_reported_loss_by_the_penalty():
    s = PlaygroundSession(seed=0)
    plain = s.history["loss"][-1]
    s.configure(regularization="L2", regularization_rate=0.1)
    w = np.concatenate([layer.W.ravel() for layer in s.model.layers])
    assert s.history["loss"][-1] == pytest.approx(plain + 0.1 * np.sum(w ** 2))
    assert (s.model.l1, s.model.l2) == (0.0, 0.1)


def test_bad_settings_name_themselves_and_change_nothing():
    s = PlaygroundSession(seed=0)
    before = dict(s.config)
    with pytest.raises(ValueError, match="learning_rate"):
        s.configure(hidden=[2], learning_rate=0.5)
    with pytest.raises(TypeError, match="'lr'"):
        s.configure(lr=0.1)
    assert s.config == before
    for kwargs, name in [({"dataset": "moons"}, "dataset"), ({"hidden": [9]}, r"hidden\[0\]"),
                         ({"features": []}, "features"), ({"noise": 80}, "noise"),
                         ({"patience": 0}, "patience"), ({"dataset": "csv"}, "csv")]:
        with pytest.raises((ValueError, TypeError), match=name):
            PlaygroundSession(**kwargs)


@pytest.mark.parametrize("dataset, output, loss", [
    ("plane", "linear", "mse"), ("three_class", "softmax", "categorical_crossentropy"),
    ("circle", "sigmoid", "binary_crossentropy")])
def test_the_dataset_decides_the_output_and_the_loss(dataset, output, loss):
    s = PlaygroundSession(dataset=dataset, seed=0)
    assert s.model.output_activation.name == output and s.model.loss.name == loss
    s.tick(2)
    assert ("test_accuracy" in s.history) == (dataset != "plane")


# ---------------------------------------------------------------- stop conditions
def test_the_epoch_budget_stops_training():
    s = PlaygroundSession(seed=0, max_epochs=7)
    assert s.tick(5) == 5 and s.stopped is None
    assert s.tick(5) == 2 and s.epoch == 7 and "budget" in s.stopped
    assert s.tick(1) == 0


def test_a_loss_plateau_stops_training_after_patience_epochs():
    # learning rate 1e-5: the test loss hardly moves, so it never improves by min_delta
    s = PlaygroundSession(seed=0, learning_rate=0.00001, patience=4, min_delta=0.01)
    assert s.tick(50) == 4
    assert "not improved for 4 epochs" in s.stopped
    s.configure(patience=None)
    assert s.tick(10) == 10 and s.stopped is None


def test_divergence_is_undone_and_reported():
    s = PlaygroundSession(dataset="plane", activation="linear", learning_rate=10.0,
                          batch_size=30, seed=0)
    before = s.model.get_weights()
    with __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("error")
        assert s.tick(3) == 0
    assert s.epoch == 0 and same(before, s.model.get_weights())
    assert "diverged" in s.stopped


# ---------------------------------------------------------------- what is shown
def test_grid_outputs_are_the_networks_outputs_over_the_plane():
    s = PlaygroundSession(dataset="xor", features=["x1", "x1*x2"], hidden=[3], seed=0)
    s.tick(2)
    g = s.grid_outputs(7)
    xs = np.linspace(-6, 6, 7)
    assert np.array_equal(g["x"], xs)
    # row i is x2 = xs[i], column j is x1 = xs[j]
    i, j = 2, 5
    point = datasets.features(np.array([[xs[j], xs[i]]]), ["x1", "x1*x2"])
    assert np.allclose(g["output"][i, j], s.model.predict(point)[0], atol=1e-15)
    hidden = np.tanh(point @ s.model.layers[0].W + s.model.layers[0].b)
    assert np.allclose(g["layers"][0][i, j], hidden[0])
    assert [a.shape for a in g["layers"]] == [(7, 7, 3), (7, 7, 1)]
    assert g["inputs"].shape == (7, 7, 2)


def test_explain_gives_the_formula_numbers_and_finite_difference_gradients():
    s = PlaygroundSession(dataset="circle", hidden=[3, 2], seed=2,
                          regularization="L2", regularization_rate=0.01)
    s.tick(2)
    info = s.explain(2, 1, point=4)
    dense = s.model.layers[1]
    assert info["inputs"] == ["a1_1", "a1_2", "a1_3"]          # the glossary's a = g(z)
    a1 = np.tanh(s.F_train[4] @ s.model.layers[0].W + s.model.layers[0].b)
    assert info["z"] == pytest.approx(a1 @ dense.W[:, 0] + dense.b[0])
    assert info["a"] == pytest.approx(np.tanh(info["z"]))
    assert info["h"] == info["a"]                               # the old key, kept

    def loss_with(i, delta):
        W = dense.W.copy()
        dense.W[i, 0] += delta
        value = s.model.evaluate(s.F_train, s.y_train)["loss"]
        dense.W[...] = W
        return value

    eps = 1e-6
    for i, g in enumerate(info["grad_weights"]):
        numeric = (loss_with(i, eps) - loss_with(i, -eps)) / (2 * eps)
        assert g == pytest.approx(numeric, rel=1e-5, abs=1e-9)
    assert "a2_1 = tanh(z)" in info["text"] and "dLoss/dweight" in info["text"]
    assert s.explain(3, 1)["name"] == "output"
    with pytest.raises(ValueError, match="neuron"):
        s.explain(1, 4)
    with pytest.raises(ValueError, match="layer"):
        s.explain(0, 1)


@pytest.mark.parametrize("dataset", ["circle", "three_class"])
def test_confusion_matrix_counts_true_against_predicted_classes(dataset):
    s = PlaygroundSession(dataset=dataset, seed=1)
    s.tick(3)
    out = s.model.predict(s.F_test)
    predicted = out.argmax(axis=1) if out.shape[1] > 1 else (out[:, 0] >= 0.5)
    k = s.n_classes
    expected = np.zeros((k, k), dtype=int)
    for true, guess in zip(s.y_test, predicted):
        expected[int(true), int(guess)] += 1
    assert np.array_equal(s.confusion_matrix("test"), expected)
    assert s.state()["confusion"] == expected.tolist()
    assert np.trace(expected) / expected.sum() == pytest.approx(s.history["test_accuracy"][-1])


def test_state_is_plain_json():
    s = PlaygroundSession(seed=0)
    s.tick()
    state = json.loads(json.dumps(s.state()))
    assert state["epoch"] == 1 and state["architecture"] == [2, 4, 2, 1]
    assert state["n_train"] + state["n_test"] == 500


# ---------------------------------------------------------------- points and own data
def test_add_point_appends_a_training_point_and_checks_the_label():
    s = PlaygroundSession(dataset="circle", seed=0)
    n = len(s.y_train)
    s.add_point(4.5, -4.5, 1)
    assert len(s.y_train) == n + 1 and s.X_train[-1].tolist() == [4.5, -4.5]
    assert s.F_train.shape == (n + 1, 2) and s.state()["n_added"] == 1
    for bad, name in [((0.0, 0.0, 2), "label"), ((0.0, 0.0, 0.5), "label"),
                      ((np.nan, 0.0, 0), "x")]:
        with pytest.raises(ValueError, match=name):
            s.add_point(*bad)
    r = PlaygroundSession(dataset="plane", seed=0)
    r.add_point(1.0, 1.0, -0.3)
    assert r.y_train[-1] == -0.3


CSV = "x1,x2,label\n1.5,-2,1\n0,3,0\n-1,-1,1\n2.5,2,0\n"


def test_load_csv_trains_on_your_points(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(CSV)
    s = PlaygroundSession(seed=0)
    s.load_csv(str(path))
    assert s.config["dataset"] == "csv" and len(s.y_train) + len(s.y_test) == 4
    points = sorted(map(tuple, np.column_stack([np.concatenate([s.X_train, s.X_test]),
                                                np.concatenate([s.y_train, s.y_test])])))
    assert points == sorted([(1.5, -2, 1), (0, 3, 0), (-1, -1, 1), (2.5, 2, 0)])
    s.tick(2)
    s.load_csv("1,1,0\n2,2,2\n3,3,1\n", kind="three")
    assert s.n_classes == 3 and s.model.n_outputs == 3
    s.load_csv("1,1,0.25\n2,2,-0.5\n", kind="regression")
    assert s.problem == "regression"
    s.configure(dataset="circle")                 # back to generated points, as before
    assert s.own_data is None and len(s.y_train) + len(s.y_test) == 500


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("x1,x2,label\n", "header line but no points"),
    ("1,2,1\n3,,0\n", "line 2: the value in column 2 .x2. is missing"),
    ("1,2,1\n3,abc,0\n", "line 2: 'abc' in column 2 .x2. is not a finite number"),
    ("1,2,1\n1,2,0\n4,4,2\n", "line 3: label 2 is a third class, but the loss"),
    ("1,2,1\n3,4\n", "line 2: expected 3 values"),
    ("1,2,1\n3,4,0.5\n", "line 2: the label must be one of 0, 1"),
    ("1,2,nan\n", "line 1: 'nan' in column 3"),
])
def test_bad_csv_files_name_the_line_and_the_problem(text, message):
    s = PlaygroundSession(seed=0)
    before = s.model
    with pytest.raises(ValueError, match=message):
        s.load_csv(text.encode())
    assert s.model is before and s.config["dataset"] == "circle"


@pytest.mark.parametrize("text", ["", "  \n"])
def test_empty_csv_text_is_called_empty_not_a_missing_file(text):
    with pytest.raises(ValueError, match="the CSV is empty"):
        PlaygroundSession(seed=0).load_csv(text)


def test_a_missing_csv_file_is_named():
    with pytest.raises(ValueError, match="nowhere.csv does not exist"):
        PlaygroundSession(seed=0).load_csv("nowhere.csv")


# ---------------------------------------------------------------- share codes
def test_a_share_code_restores_the_setup_and_the_run():
    s = PlaygroundSession(dataset="spiral", features=["x1", "x2", "sin(x1)"], hidden=[6, 3],
                          optimizer="Adam", learning_rate=0.01, noise=10, train_ratio=70,
                          seed=42)
    s.regenerate()
    s.reset()
    s.add_point(1.0, 2.0, 1)
    code = s.to_code()
    assert code.startswith("pg1_") and re.fullmatch(r"[A-Za-z0-9_.~-]+", code)   # URL-safe
    assert "dspiral" in code and "f015" in code and "h6x3" in code and "A1.0x2.0x1.0" in code
    t = PlaygroundSession.from_code(code)
    assert t.config == s.config
    assert np.array_equal(t.X_train, s.X_train) and np.array_equal(t.y_test, s.y_test)
    s.reset(same_weights=True)
    s.tick(5)
    t.tick(5)
    assert same(s.model.get_weights(), t.model.get_weights())
    # a link works too
    u = PlaygroundSession.from_code(f"https://example.org/lab?playground={code}")
    assert u.config == s.config


def test_damaged_or_foreign_codes_are_refused():
    with pytest.raises(ValueError, match="not a playground share code"):
        PlaygroundSession.from_code("hello")
    with pytest.raises(ValueError, match="damaged .unknown field 'zzz'"):
        PlaygroundSession.from_code("pg1_s0_zzz")
    with pytest.raises(ValueError, match="damaged .cannot read the field 'nabc'"):
        PlaygroundSession.from_code("pg1_nabc_s0")
    with pytest.raises(ValueError, match="noise"):          # an edited code: a bad value
        PlaygroundSession.from_code("pg1_n95_s0")
    assert PlaygroundSession.from_code("pg1_dthree_h_s3").config == \
        PlaygroundSession(dataset="three_class", hidden=[], seed=3).config
    s = PlaygroundSession(seed=0)
    s.load_csv(CSV)
    with pytest.raises(ValueError, match="csv="):
        PlaygroundSession.from_code(s.to_code())
    t = PlaygroundSession.from_code(s.to_code(), csv=CSV)
    assert np.array_equal(t.X_train, s.X_train)


# ---------------------------------------------------------------- export as a script
def run_script(tmp_path, text):
    path = tmp_path / "run.py"
    path.write_text(text + "\nnp.save(__import__('sys').argv[1], model.predict(F_test))\n")
    out = tmp_path / "predictions.npy"
    subprocess.run([sys.executable, str(path), str(out)], check=True, cwd=tmp_path,
                   capture_output=True, text=True)
    return np.load(out)


def test_the_exported_script_reproduces_the_predictions(tmp_path):
    s = PlaygroundSession(dataset="xor", features=["x1", "x2", "x1*x2"], hidden=[4],
                          noise=20, seed=7)
    s.tick(10)
    s.configure(learning_rate=0.1, regularization="L1", regularization_rate=0.001)
    s.add_point(3.0, -3.0, 0)
    s.tick(5)
    s.configure(batch_size=3, optimizer="Adam", loss="MSE")
    s.tick(4)
    predictions = run_script(tmp_path, s.to_python())
    assert np.allclose(predictions, s.model.predict(s.F_test), rtol=0, atol=1e-12)


def test_the_script_of_own_data_and_imported_weights(tmp_path):
    source = PlaygroundSession(dataset="three_class", hidden=[5], seed=3)
    source.tick(3)
    path = source.export_weights(tmp_path / "w.npz")
    s = PlaygroundSession(dataset="three_class", seed=0)
    s.load_csv("1,1,0\n2,2,2\n3,3,1\n-1,0,2\n0,-2,1\n4,0,0\n", kind="three")
    s.import_weights(path)
    s.tick(6)
    predictions = run_script(tmp_path, s.to_python())
    assert np.allclose(predictions, s.model.predict(s.F_test), rtol=0, atol=1e-12)


# ---------------------------------------------------------------- weights files
def test_exported_weights_record_the_features_and_import_selects_them(tmp_path):
    source = PlaygroundSession(features=["x1^2", "x2^2"], hidden=[3, 5], activation="relu",
                               seed=1)
    source.tick(2)
    path = source.export_weights(tmp_path / "net")
    assert path.endswith(".npz")
    assert same(nnlab.load_model(path).get_weights(), source.model.get_weights())
    s = PlaygroundSession(seed=0)                          # features x1, x2
    s.import_weights(path)
    assert s.features == ["x1^2", "x2^2"] and s.hidden == [3, 5]
    assert s.config["activation"] == "relu" and s.epoch == 0
    assert same(s.model.get_weights(), source.model.get_weights())
    s.tick()
    s.reset(same_weights=True)
    assert same(s.model.get_weights(), source.model.get_weights())


def test_bad_weight_files_change_nothing(tmp_path):
    s = PlaygroundSession(seed=0)
    model = s.model
    with pytest.raises(ValueError, match="notes.npz is not a saved nnlab model"):
        s.import_weights(b"not a model", name="notes.npz")
    plane = PlaygroundSession(dataset="plane", seed=0)
    with pytest.raises(ValueError, match="linear"):
        s.import_weights(plane.export_weights(tmp_path / "plane.npz"))
    plain = MLP([3, 2, 1], seed=0)                         # no features recorded
    plain.compile()
    with pytest.raises(ValueError, match="3 input"):
        s.import_weights(plain.save(tmp_path / "plain.npz"))
    assert s.model is model
