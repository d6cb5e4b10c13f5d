"""Saving and loading: exact round trips, and clear errors that execute nothing."""

import io
import os
import zipfile

import numpy as np
import pytest

import nnlab
import nnlab.io
from nnlab import optimizers


@pytest.fixture
def model():
    m = nnlab.MLP([3, 5, 2], activation="relu", output_activation="softmax", l2=0.01, seed=0)
    m.compile(loss="categorical_crossentropy", optimizer=optimizers.RMSprop(0.02, rho=0.8))
    rng = np.random.default_rng(0)
    m.fit(rng.normal(size=(20, 3)), rng.integers(0, 2, size=20), epochs=3)
    return m


def test_round_trip_is_exact(model, tmp_path):
    path = model.save(tmp_path / "model")
    assert path.endswith("model.npz") and os.path.exists(path)
    loaded = nnlab.load_model(path)
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert loaded.layer_sizes == [3, 5, 2] and loaded.l2 == 0.01
    assert loaded.activation.name == "relu" and loaded.output_activation.name == "softmax"
    assert loaded.loss.name == "categorical_crossentropy"
    assert isinstance(loaded.optimizer, optimizers.RMSprop)
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    X = np.random.default_rng(1).normal(size=(4, 3))
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_an_uncompiled_model_round_trips(tmp_path):
    m = nnlab.MLP([2, 1], seed=3)
    loaded = nnlab.load_model(m.save(tmp_path / "plain.npz"))
    assert loaded.loss is None
    np.testing.assert_array_equal(loaded.get_weights()[0], m.get_weights()[0])


def test_saving_leaves_no_temporary_files(model, tmp_path):
    model.save(tmp_path / "a.npz")
    assert sorted(os.listdir(tmp_path)) == ["a.npz"]


def test_missing_file(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        nnlab.load_model(tmp_path / "nothing.npz")


def test_truncated_file(model, tmp_path):
    path = model.save(tmp_path / "m.npz")
    data = open(path, "rb").read()
    broken = tmp_path / "broken.npz"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="broken.npz is not a saved nnlab model"):
        nnlab.load_model(broken)


def test_file_from_another_program(tmp_path):
    text = tmp_path / "notes.npz"
    text.write_text("just some text")
    with pytest.raises(ValueError, match="notes.npz is not a saved nnlab model: it is not an "
                                         r"\.npz \(zip\) archive"):
        nnlab.load_model(text)
    other = tmp_path / "other.npz"
    np.savez(other, weights=np.ones(3))
    with pytest.raises(ValueError, match="other.npz is not a saved nnlab model.*nnlab_config"):
        nnlab.load_model(other)
    single = tmp_path / "single.npy"
    np.save(single, np.ones(3))
    with pytest.raises(ValueError, match="single.npy is not a saved nnlab model"):
        nnlab.load_model(single)


class Boom:
    """Unpickling this would run code: loading must never do it."""

    def __reduce__(self):
        return (os.system, ("touch PWNED",))


def test_pickled_objects_are_refused_and_never_executed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "evil.npz"
    config = np.array('{"format": "nnlab.MLP/1", "layer_sizes": [2, 1], "activation": "tanh", '
                      '"output_activation": "sigmoid", "l1": 0, "l2": 0, "loss": null, '
                      '"optimizer": null, "metrics": []}')
    evil = np.empty(1, dtype=object)
    evil[0] = Boom()
    np.savez(path, nnlab_config=config, W1=evil, b1=np.zeros(1))
    with pytest.raises(ValueError, match="evil.npz is not a saved nnlab model"):
        nnlab.load_model(path)
    assert not (tmp_path / "PWNED").exists()


def test_config_that_does_not_fit_the_weights(model, tmp_path):
    path = model.save(tmp_path / "m.npz")
    with zipfile.ZipFile(path) as z:
        entries = {name: z.read(name) for name in z.namelist()}
    buffer = io.BytesIO()
    np.save(buffer, np.zeros((9, 9)))
    entries["W1.npy"] = buffer.getvalue()
    bad = tmp_path / "mismatch.npz"
    with zipfile.ZipFile(bad, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    with pytest.raises(ValueError, match="mismatch.npz is not a saved nnlab model.*shape"):
        nnlab.load_model(bad)


# ---------------------------------------------------------------- what cannot be restored
def my_metric(y_true, y_pred):
    return 0.5


class MySGD(optimizers.SGD):
    """A custom optimizer that happens to share SGD's name."""


@pytest.mark.parametrize("custom, named", [
    (lambda m: m.compile(metrics=["accuracy", my_metric]), "metric 'my_metric'"),
    (lambda m: m.compile(loss=nnlab.losses.Loss("binary_crossentropy", lambda y, p: 0.0,
                                                lambda y, p: 0 * p)), "loss"),
    (lambda m: m.compile(optimizer=MySGD(0.1)), "optimizer 'MySGD'"),
    (lambda m: setattr(m, "activation", nnlab.activations.Activation(
        "tanh", np.tanh, lambda z, a: 1 - a * a)), "activation 'tanh'"),
])
def test_save_refuses_custom_objects_before_writing_anything(custom, named, tmp_path):
    m = nnlab.MLP([2, 3, 1], seed=0).compile()
    custom(m)
    with pytest.raises(ValueError, match=f"{named}.*custom object.*load_model could not"):
        m.save(tmp_path / "custom.npz")
    with pytest.raises(ValueError, match=named):
        m.get_config()
    assert os.listdir(tmp_path) == []


def test_load_model_names_the_file_when_the_config_names_an_unknown_object(model, tmp_path):
    path = model.save(tmp_path / "m.npz")
    with zipfile.ZipFile(path) as z:
        entries = {name: z.read(name) for name in z.namelist()}
    config = np.load(path)["nnlab_config"]
    for key, value in [("metrics", '["accuracy", "f1"]'), ("loss", '"hinge"'),
                       ("optimizer", '{"name": "adam", "config": {"momentum": 1}}')]:
        text = str(config)
        start = text.index(f'"{key}": ') + len(key) + 4
        end = text.index(', "', start) if key != "metrics" else text.index("]", start) + 1
        changed = text[:start] + value + text[end:]
        buffer = io.BytesIO()
        np.save(buffer, np.array(changed))
        bad = tmp_path / f"unknown-{key}.npz"
        with zipfile.ZipFile(bad, "w") as z:
            for name, data in entries.items():
                z.writestr(name, buffer.getvalue() if name == "nnlab_config.npy" else data)
        with pytest.raises(ValueError, match=f"unknown-{key}.npz is not a saved nnlab model"):
            nnlab.load_model(bad)


def test_get_config_and_from_config_round_trip(model):
    config = model.get_config()
    assert config == {"layer_sizes": [3, 5, 2], "activation": "relu",
                      "output_activation": "softmax", "l1": 0.0, "l2": 0.01,
                      "loss": "categorical_crossentropy",
                      "optimizer": {"name": "rmsprop",
                                    "config": {"learning_rate": 0.02, "rho": 0.8,
                                               "epsilon": 1e-7}},
                      "metrics": ["accuracy"]}
    import json
    again = nnlab.MLP.from_config(json.loads(json.dumps(config)), seed=5)
    assert again.get_config() == config
    assert isinstance(again.optimizer, optimizers.RMSprop) and again.optimizer.iterations == 0
    plain = nnlab.MLP([2, 1], output_activation="linear")
    assert nnlab.MLP.from_config(plain.get_config()).loss is None
    with pytest.raises(ValueError, match="config must have the keys"):
        nnlab.MLP.from_config({"layer_sizes": [2, 1], "colour": "red"})
    with pytest.raises(TypeError, match="config must be a dict"):
        nnlab.MLP.from_config([2, 1])


def test_io_knows_files_not_networks():
    """io writes and reads a config and arrays; the network calls it (no cycle, no import
    hidden inside a method)."""
    import ast
    import inspect

    import nnlab.io
    import nnlab.network

    def imported(module):
        names = set()
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if isinstance(node, ast.ImportFrom):
                names |= {node.module or ""} | {alias.name for alias in node.names}
            elif isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
        return names

    assert not {"network", "MLP", "nnlab.network"} & imported(nnlab.io)
    assert "io" in imported(nnlab.network)


def test_io_round_trips_a_config_and_arrays(tmp_path):
    weights = [np.arange(6.0).reshape(2, 3), np.array([1.0, -2.0, 0.5])]
    path = nnlab.io.write(tmp_path / "plain", {"layer_sizes": [2, 3], "note": "x"}, weights)
    assert path.endswith(".npz")
    config, back = nnlab.io.read(path)
    assert config == {"format": nnlab.io.FORMAT, "layer_sizes": [2, 3], "note": "x"}
    assert all(np.array_equal(a, b) for a, b in zip(weights, back, strict=True))
