"""The multi-layer perceptron: gradients, learning, training modes, callbacks, divergence."""

import warnings

import numpy as np
import pytest

import nnlab
from nnlab import datasets, optimizers
from nnlab.gradcheck import gradcheck, numerical_gradients
from nnlab.model_selection import train_test_split

LOSS_FOR_OUTPUT = {"sigmoid": "binary_crossentropy", "softmax": "categorical_crossentropy",
                   "linear": "mse", "tanh": "mse"}


def small_problem(n_in, n_out, output, seed=0, n=7):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_in))
    if output == "softmax":
        y = rng.integers(0, n_out, size=n)
    elif output == "sigmoid":
        y = rng.integers(0, 2, size=(n, n_out)).astype(float)
    else:
        y = rng.normal(size=(n, n_out))
    return X, y


def randomize_biases(model, seed=0):
    """Biases start at 0; random ones test their gradients too and keep ReLU's z off its kink
    (a dead unit upstream would otherwise give z = 0 exactly, where ReLU has no derivative)."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        layer.b[...] = rng.normal(0.0, 0.3, size=layer.b.shape)


@pytest.mark.parametrize("sizes", [[3, 1], [3, 4, 1], [3, 5, 4, 2], [2, 3, 3, 3, 3]])
@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "leaky_relu", "linear"])
@pytest.mark.parametrize("output", ["sigmoid", "softmax", "linear"])
@pytest.mark.parametrize("l1, l2", [(0.0, 0.0), (0.01, 0.02)])
def test_backprop_matches_finite_differences(sizes, activation, output, l1, l2):
    n_out = max(sizes[-1], 3) if output == "softmax" else sizes[-1]
    sizes = sizes[:-1] + [n_out]
    model = nnlab.MLP(sizes, activation=activation, output_activation=output, l1=l1, l2=l2,
                      seed=1)
    model.compile(loss=LOSS_FOR_OUTPUT[output], optimizer="sgd")
    randomize_biases(model)
    X, y = small_problem(sizes[0], n_out, output)
    assert gradcheck(model, X, y) < 1e-6


@pytest.mark.parametrize("loss", ["mse", "binary_crossentropy"])
def test_gradients_without_the_output_shortcut(loss):
    """sigmoid + MSE and tanh hidden: the general chain rule path (no p - y shortcut)."""
    model = nnlab.MLP([2, 3, 2], output_activation="sigmoid", seed=2).compile(loss=loss)
    X, y = small_problem(2, 2, "sigmoid")
    assert gradcheck(model, X, y) < 1e-6


def test_softmax_with_mse_uses_the_full_jacobian():
    model = nnlab.MLP([2, 4, 3], output_activation="softmax", seed=3).compile(loss="mse")
    X, y = small_problem(2, 3, "linear")
    assert gradcheck(model, X, y) < 1e-6


def test_gradcheck_detects_a_wrong_gradient():
    model = nnlab.MLP([2, 3, 1], seed=0).compile()
    X, y = small_problem(2, 1, "sigmoid")
    true = model.loss_and_gradients
    model.loss_and_gradients = lambda X, y: (true(X, y)[0], [1.01 * g for g in true(X, y)[1]])
    assert gradcheck(model, X, y) > 1e-4


def tiny_gradient_problem(sizes, output, scale):
    """A model whose gradients are all about `scale` (1e-4 ... 1e-8): the inputs are shrunk and
    the targets are the model's own outputs, nudged by `scale`, so the output errors are small."""
    model = nnlab.MLP(sizes, activation="tanh", output_activation=output, seed=3)
    model.compile(loss=LOSS_FOR_OUTPUT[output], optimizer="sgd")
    randomize_biases(model)
    rng = np.random.default_rng(4)
    X = rng.normal(size=(6, sizes[0]))
    p = model.predict(X)
    y = p + scale * rng.normal(size=p.shape)
    if output == "softmax":
        y = np.abs(y) / np.abs(y).sum(axis=1, keepdims=True)    # rows of probabilities
    return model, X, y


def largest_gradient(model, X, y):
    return max(np.abs(g).max() for g in model.loss_and_gradients(X, y)[1])


@pytest.mark.parametrize("scale", [1e-4, 1e-6, 1e-8])
@pytest.mark.parametrize("sizes, output", [([3, 4, 1], "sigmoid"), ([3, 4, 3], "softmax"),
                                           ([2, 3, 3, 2], "linear")])
def test_tiny_gradients_pass_and_doubled_ones_are_caught(sizes, output, scale):
    model, X, y = tiny_gradient_problem(sizes, output, scale)
    assert largest_gradient(model, X, y) < 100 * scale
    assert gradcheck(model, X, y) < 1e-6
    true = model.loss_and_gradients
    model.loss_and_gradients = lambda X, y: (true(X, y)[0], [2 * g for g in true(X, y)[1]])
    # every gradient twice too large: caught whenever it is larger than the rounding noise
    # of finite differences (about 1e-10), i.e. at every scale here
    assert gradcheck(model, X, y) > 1e-4 if scale >= 1e-6 else gradcheck(model, X, y) > 1e-6


def test_a_doubled_gradient_around_1e_4_is_caught():
    """The old formula |a - n| / max(1, |a|, |n|) let this pass with 1e-4."""
    model, X, y = tiny_gradient_problem([3, 4, 1], "sigmoid", 1e-3)
    assert 1e-5 < largest_gradient(model, X, y) < 1e-3
    true = model.loss_and_gradients
    model.loss_and_gradients = lambda X, y: (true(X, y)[0], [2 * g for g in true(X, y)[1]])
    assert gradcheck(model, X, y) > 0.05


def test_relative_error_formula():
    """|a - n| / max(|a| + |n|, tiny), by hand."""
    from nnlab.gradcheck import TINY, relative_error
    np.testing.assert_allclose(relative_error([2.0, -1.0, 0.0, 0.0], [1.0, 1.0, 0.0, 1e-9]),
                               [1 / 3, 1.0, 0.0, 1e-9 / TINY])
    np.testing.assert_allclose(relative_error([2e4], [1e4]), relative_error([2e-2], [1e-2]))


def test_backward_keeps_deltas_and_matches_loss_and_gradients():
    model = nnlab.MLP([2, 2, 1], seed=4).compile()
    X, y = small_problem(2, 1, "sigmoid")
    loss, grads = model.loss_and_gradients(X, y)
    model.forward(X)
    again = model.backward(y)
    for g, h in zip(grads, again):
        np.testing.assert_array_equal(g, h)
    out = model.layers[-1]
    np.testing.assert_allclose(out.delta, (out.a - y) / y.size)
    numeric = numerical_gradients(model, X, y)
    np.testing.assert_allclose(grads[0], numeric[0], atol=1e-8)


def test_predict_does_not_disturb_a_pending_backward():
    model = nnlab.MLP([2, 3, 1], seed=5).compile()
    X, y = small_problem(2, 1, "sigmoid")
    model.forward(X)
    model.predict(np.zeros((3, 2)))
    _, expected = model.loss_and_gradients(X, y)
    model.forward(X)
    model.predict(np.ones((2, 2)))
    for g, h in zip(model.backward(y), expected):
        np.testing.assert_array_equal(g, h)


def test_xor_is_learned_for_most_seeds():
    """A 2-4-1 net learns XOR for at least 16 of 20 seeds (a few get stuck: test a rate)."""
    X, y = datasets.logic_gate("xor")
    learned = 0
    for seed in range(20):
        model = nnlab.MLP([2, 4, 1], activation="tanh", output_activation="sigmoid", seed=seed)
        model.compile(loss="binary_crossentropy", optimizer=optimizers.Adam(0.05))
        model.fit(X, y, epochs=500)
        learned += model.evaluate(X, y)["accuracy"] == 1.0
    assert learned >= 16


def test_two_blob_example_with_one_sigmoid_unit():
    """The seed's Keras example: Dense(1, sigmoid), binary cross-entropy, Adam."""
    X, y = datasets.blobs(200, seed=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=42)
    model = nnlab.MLP([2, 1], output_activation="sigmoid", seed=0)
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    model.fit(X_train, y_train, epochs=300, batch_size=32)
    assert model.evaluate(X_test, y_test)["accuracy"] == 1.0


def test_iris_reaches_ninety_percent():
    X, y, _, _ = datasets.iris()
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, seed=0)
    model = nnlab.MLP([4, 8, 3], activation="tanh", output_activation="softmax", seed=0)
    model.compile(loss="categorical_crossentropy", optimizer=optimizers.Adam(0.01))
    history = model.fit(X_train, y_train, epochs=200, batch_size=16)
    assert model.evaluate(X_test, y_test)["accuracy"] >= 0.9
    assert history.history["loss"][-1] < history.history["loss"][0]


def count_updates(batch_size, n=23, accumulation_steps=1):
    calls = []
    X, y = small_problem(2, 1, "sigmoid", n=n)
    model = nnlab.MLP([2, 1], seed=0).compile(optimizer="sgd")
    original = model.optimizer.step
    model.optimizer.step = lambda p, g: (calls.append(1), original(p, g))
    model.fit(X, y, epochs=2, batch_size=batch_size, accumulation_steps=accumulation_steps)
    return len(calls)


def test_full_batch_stochastic_and_mini_batch_step_counts():
    assert count_updates(None) == 2                    # one step per epoch
    assert count_updates(1) == 2 * 23                  # one step per sample
    assert count_updates(5) == 2 * 5                   # ceil(23 / 5) = 5 batches, last has 3
    assert count_updates(5, accumulation_steps=2) == 2 * 3   # batches 2 + 2 + 1


def test_every_sample_is_used_once_per_epoch():
    seen = []

    class Spy:
        def on_batch_end(self, step, logs):
            seen.append(logs["size"])

    X, y = small_problem(2, 1, "sigmoid", n=23)
    model = nnlab.MLP([2, 1], seed=0).compile()
    model.fit(X, y, epochs=3, batch_size=5, callbacks=[Spy()])
    assert seen == [5, 5, 5, 5, 3] * 3


def test_batch_logs_say_when_the_weights_were_updated():
    updates = []

    class Spy:
        def __init__(self, model):
            self.model, self.last = model, model.get_weights()[0]

        def on_batch_end(self, step, logs):
            now = self.model.get_weights()[0]
            assert logs["updated"] == (not np.array_equal(now, self.last))
            updates.append(logs["updated"])
            self.last = now

    X, y = small_problem(2, 1, "sigmoid", n=23)
    model = nnlab.MLP([2, 1], seed=0).compile(optimizer="sgd")
    model.fit(X, y, epochs=2, batch_size=5, accumulation_steps=2, callbacks=[Spy(model)])
    assert updates == [False, True, False, True, True] * 2     # every 2nd batch, and the last


def test_gradient_accumulation_equals_one_large_batch():
    X, y = small_problem(3, 1, "sigmoid", n=64)
    weights = []
    for batch_size, steps in [(32, 1), (8, 4)]:
        model = nnlab.MLP([3, 5, 1], seed=7).compile(optimizer=optimizers.SGD(0.5, momentum=0.9))
        model.fit(X, y, epochs=5, batch_size=batch_size, accumulation_steps=steps, seed=11)
        weights.append(model.get_weights())
    for a, b in zip(*weights):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


@pytest.mark.parametrize("n, batch_size, steps", [(23, 5, 2), (24, 5, 3), (90, 8, 4), (10, 3, 5),
                                                  (7, 2, 2)])
def test_uneven_accumulation_groups_equal_one_large_batch(n, batch_size, steps):
    """The last group holds fewer or smaller batches: weighting each batch's gradient by its
    samples still gives the update of the large batch (the old mean of batch means did not)."""
    X, y = small_problem(3, 1, "sigmoid", n=n)
    weights = []
    for size, k in [(batch_size * steps, 1), (batch_size, steps)]:
        model = nnlab.MLP([3, 5, 1], l2=0.01, seed=7)
        model.compile(optimizer=optimizers.SGD(0.5, momentum=0.9))
        model.fit(X, y, epochs=5, batch_size=size, accumulation_steps=k, seed=11)
        weights.append(model.get_weights())
    for a, b in zip(*weights):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


def test_one_accumulated_update_is_the_sample_mean_gradient():
    """By hand: batches of 3, 3 and 1 accumulated into one SGD step of lr * full-batch gradient."""
    X, y = small_problem(2, 1, "sigmoid", n=7)
    model = nnlab.MLP([2, 3, 1], seed=2).compile(optimizer=optimizers.SGD(0.1))
    start = model.get_weights()
    _, full = model.loss_and_gradients(X, y)
    model.fit(X, y, epochs=1, batch_size=3, accumulation_steps=3, shuffle=False)
    for w0, g, w1 in zip(start, full, model.get_weights()):
        np.testing.assert_allclose(w1, w0 - 0.1 * g, rtol=0, atol=1e-14)


def test_stopping_mid_group_discards_the_pending_gradients_and_says_so():
    X, y = small_problem(2, 1, "sigmoid", n=40)
    seen = []

    class StopAfter:
        def __init__(self, model, batches):
            self.model, self.batches = model, batches

        def on_batch_end(self, step, logs):
            seen.append((logs["updated"], self.model.get_weights()))
            if step + 1 == self.batches:
                self.model.stop_training = True

    model = nnlab.MLP([2, 3, 1], seed=0).compile(optimizer="sgd")
    # 8 batches of 5 per epoch, updates after batches 4 and 8; stop after batch 7 of epoch 2
    history = model.fit(X, y, epochs=3, batch_size=5, accumulation_steps=4,
                        callbacks=[StopAfter(model, 15)])
    assert [u for u, _ in seen] == [False, False, False, True] * 3 + [False, False, False]
    assert history.stopped_mid_epoch and history.discarded_batches == 3
    for a, b in zip(model.get_weights(), seen[11][1]):       # the weights of the last update
        np.testing.assert_array_equal(a, b)
    assert history.epoch == [0, 1]                             # the stopped epoch is recorded
    assert len(history.history["loss"]) == 2

    plain = nnlab.MLP([2, 3, 1], seed=0).compile(optimizer="sgd")
    history = plain.fit(X, y, epochs=3, batch_size=5, accumulation_steps=4)
    assert not history.stopped_mid_epoch and history.discarded_batches == 0


def test_a_stopped_epoch_reports_the_loss_of_the_batches_it_trained_on():
    X, y = small_problem(2, 1, "sigmoid", n=20)
    model = nnlab.MLP([2, 1], seed=0).compile(optimizer="sgd")
    logs = {}

    class Stop:
        def on_batch_end(self, step, batch_logs):
            if step == 1:
                return False

        def on_epoch_end(self, epoch, epoch_logs):
            logs.update(epoch_logs)

    history = model.fit(X, y, epochs=2, batch_size=5, shuffle=False, callbacks=[Stop()])
    assert history.stopped_mid_epoch and history.epoch == [0]
    w_start = nnlab.MLP([2, 1], seed=0).compile(optimizer="sgd")
    first = w_start.evaluate(X[:5], y[:5])["loss"]
    w_start.fit(X[:5], y[:5], epochs=1, shuffle=False)
    second = w_start.evaluate(X[5:10], y[5:10])["loss"]
    assert logs["loss"] == pytest.approx((first + second) / 2)


def test_history_metrics_validation_and_epochs():
    X, y = small_problem(2, 1, "sigmoid", n=40)
    model = nnlab.MLP([2, 4, 1], seed=0).compile(metrics=["accuracy", "mse"])
    history = model.fit(X[:30], y[:30], epochs=4, validation_data=(X[30:], y[30:]))
    assert history.epoch == [0, 1, 2, 3]
    assert set(history.history) == {"loss", "accuracy", "mse", "val_loss", "val_accuracy",
                                    "val_mse"}
    assert all(len(v) == 4 for v in history.history.values())
    assert history.history["val_loss"][-1] == pytest.approx(model.evaluate(X[30:], y[30:])["loss"])
    assert not history.diverged and model.history is history


def test_callbacks_can_stop_training():
    X, y = small_problem(2, 1, "sigmoid")
    model = nnlab.MLP([2, 1], seed=0).compile()
    assert len(model.fit(X, y, epochs=50, callbacks=[lambda e, logs: e < 2]).epoch) == 3

    class Stopper:
        def __init__(self, model):
            self.model = model

        def on_epoch_end(self, epoch, logs):
            if epoch == 4:
                self.model.stop_training = True

    assert len(model.fit(X, y, epochs=50, callbacks=[Stopper(model)]).epoch) == 5
    with pytest.raises(TypeError, match="callbacks must hold functions"):
        model.fit(X, y, callbacks=[42])


def test_regularization_adds_its_penalty_to_the_loss():
    X, y = small_problem(2, 1, "sigmoid")
    plain = nnlab.MLP([2, 3, 1], seed=0).compile()
    reg = nnlab.MLP([2, 3, 1], l1=0.1, l2=0.2, seed=0).compile()
    penalty = sum(0.1 * np.abs(W).sum() + 0.2 * (W**2).sum() for W in plain.get_weights()[::2])
    assert reg.loss_and_gradients(X, y)[0] == pytest.approx(plain.loss_and_gradients(X, y)[0]
                                                            + penalty)


def test_l2_shrinks_weights():
    X, y = small_problem(2, 1, "sigmoid", n=50)
    norms = []
    for l2 in (0.0, 0.05):
        model = nnlab.MLP([2, 8, 1], l2=l2, seed=0).compile(optimizer=optimizers.Adam(0.02))
        model.fit(X, y, epochs=200)
        norms.append(sum((W**2).sum() for W in model.get_weights()[::2]))
    assert norms[1] < 0.5 * norms[0]


def test_huge_learning_rate_diverges_with_a_clear_warning_and_finite_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 2))
    y = X @ [3.0, -2.0]
    model = nnlab.MLP([2, 8, 1], activation="relu", output_activation="linear", seed=0)
    model.compile(loss="mse", optimizer=optimizers.SGD(learning_rate=1e6))
    with pytest.warns(RuntimeWarning, match=r"diverged in epoch \d+.*smaller learning rate"):
        history = model.fit(X, y, epochs=20)
    assert history.diverged
    assert all(np.isfinite(w).all() for w in model.get_weights())
    assert all(np.isfinite(v).all() for v in history.history.get("loss", []))


def test_no_numpy_warnings_escape_while_diverging():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(10, 2))
    model = nnlab.MLP([2, 1], output_activation="linear", seed=0)
    model.compile(loss="mse", optimizer=optimizers.SGD(learning_rate=1e6))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, X.sum(axis=1), epochs=200)
    assert [w.category for w in caught] == [RuntimeWarning]
    assert "diverged" in str(caught[0].message)


def test_verbose_shows_a_progress_bar(capsys):
    X, y = small_problem(2, 1, "sigmoid")
    nnlab.MLP([2, 1], seed=0).compile().fit(X, y, epochs=3, verbose=1)
    out = capsys.readouterr().out
    assert "\repoch 3/3 [" in out and "loss:" in out and out.endswith("\n")
    nnlab.MLP([2, 1], seed=0).compile().fit(X, y, epochs=3, verbose=0)
    assert capsys.readouterr().out == ""


def test_weights_layout_and_set_weights():
    model = nnlab.MLP([3, 5, 2], seed=0)
    shapes = [w.shape for w in model.get_weights()]
    assert shapes == [(3, 5), (5,), (5, 2), (2,)]
    assert model.count_params() == 3 * 5 + 5 + 5 * 2 + 2
    weights = model.get_weights()
    weights[0][0, 0] = 123.0
    assert model.layers[0].W[0, 0] != 123.0            # get_weights returns copies
    model.set_weights(weights)
    assert model.layers[0].W[0, 0] == 123.0
    with pytest.raises(ValueError, match=r"weights\[2\] must have shape \(5, 2\)"):
        model.set_weights([weights[0], weights[1], np.zeros((2, 5)), weights[3]])
    with pytest.raises(ValueError, match="weights must hold 4 arrays"):
        model.set_weights(weights[:2])


def test_initialisation_glorot_and_he():
    wide = 400
    tanh = nnlab.MLP([wide, wide, 1], activation="tanh", seed=0).layers[0].W
    relu = nnlab.MLP([wide, wide, 1], activation="relu", seed=0).layers[0].W
    assert tanh.std() == pytest.approx(np.sqrt(2 / (wide + wide)), rel=0.02)
    assert relu.std() == pytest.approx(np.sqrt(2 / wide), rel=0.02)
    assert all((layer.b == 0).all() for layer in nnlab.MLP([2, 3, 1], seed=0).layers)


def test_compile_is_required():
    model = nnlab.MLP([2, 1])
    with pytest.raises(RuntimeError, match="call model.compile"):
        model.fit(np.zeros((2, 2)), [0, 1])


def test_summary(capsys):
    nnlab.MLP([2, 4, 1]).summary()
    out = capsys.readouterr().out
    assert "2 -> 4" in out and "total parameters: 17" in out


def test_compile_reports_accuracy_by_default_only_for_classification():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 2))
    regression = nnlab.MLP([2, 3, 1], output_activation="linear", seed=0).compile(loss="mse")
    assert regression.metrics == []
    assert set(regression.fit(X, X @ [1.0, -2.0], epochs=2).history) == {"loss"}
    assert set(regression.evaluate(X, X @ [1.0, -2.0])) == {"loss"}
    for loss, output, y in [("binary_crossentropy", "sigmoid", (X[:, 0] > 0) * 1.0),
                            ("categorical_crossentropy", "softmax", rng.integers(0, 3, 12))]:
        model = nnlab.MLP([2, 3, 1 if output == "sigmoid" else 3], output_activation=output,
                          seed=0).compile(loss=loss)
        assert [name for name, _ in model.metrics] == ["accuracy"]
        assert set(model.fit(X, y, epochs=2).history) == {"loss", "accuracy"}
    explicit = nnlab.MLP([2, 1], output_activation="linear").compile("mse", metrics=["mse"])
    assert [name for name, _ in explicit.metrics] == ["mse"]
    assert nnlab.MLP([2, 1]).compile(metrics=()).metrics == []


def test_a_metric_that_cannot_read_the_targets_fails_before_training():
    """Soft targets (0.3, 0.7) suit binary cross-entropy but not accuracy, which needs labels."""
    X, _ = small_problem(2, 1, "sigmoid", n=6)
    soft = np.array([0.3, 0.7, 0.2, 0.9, 0.5, 0.1])
    model = nnlab.MLP([2, 1], seed=0).compile(optimizer="sgd")          # accuracy by default
    start = model.get_weights()
    with pytest.raises(ValueError, match="metric 'accuracy' cannot score these targets.*"
                                         "did not start.*y_true must hold class labels"):
        model.fit(X, soft, epochs=3)
    for a, b in zip(start, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    model.compile(optimizer="sgd", metrics=())
    assert len(model.fit(X, soft, epochs=3).epoch) == 3


def test_batch_logs_carry_the_batch_loss_unless_no_callback_wants_it():
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([0.0, 0.0, 1.0, 1.0])

    class Recorder:
        def __init__(self, wants):
            if wants is not None:
                self.wants_batch_loss = wants
            self.logs = []

        def on_batch_end(self, step, logs):
            self.logs.append(dict(logs))

    def run(*recorders):
        model = nnlab.MLP([1, 1], output_activation="sigmoid", seed=0)
        model.compile(loss="binary_crossentropy", optimizer="sgd")
        first = model.predict(X[:2])[:, 0]
        model.fit(X, y, epochs=1, batch_size=2, shuffle=False, callbacks=recorders)
        return first

    quiet = Recorder(False)
    run(quiet)
    assert [sorted(logs) for logs in quiet.logs] == [["size", "updated"]] * 2
    default, quiet = Recorder(None), Recorder(False)
    p = run(default, quiet)
    # the first batch's loss, by hand: mean of -log(1 - p) over two samples of class 0
    assert default.logs[0]["loss"] == pytest.approx(-np.mean(np.log(1 - p)), rel=1e-12)
    assert "loss" in quiet.logs[0]   # one callback that wants it is enough: both see it


def test_the_training_interface_checks_once_and_runs_many_settings():
    """check_data, propagate, objective, penalty and forward_stacked: what training code uses."""
    rng = np.random.default_rng(4)
    X, y = rng.normal(size=(6, 2)), rng.integers(0, 2, 6)
    model = nnlab.MLP([2, 3, 1], l1=0.01, l2=0.02, seed=0).compile("binary_crossentropy", "sgd")
    Xc, Y = model.check_data(X, y)
    assert Y.shape == (6, 1)
    out = model.propagate(Xc)
    assert model.objective(Y, out) == pytest.approx(model.evaluate(X, y)["loss"], rel=1e-12)
    settings = [[w + rng.normal(size=w.shape) for w in model.get_weights()] for _ in range(3)]
    stacks = [np.stack(arrays) for arrays in zip(*settings)]
    outputs = model.forward_stacked(Xc, stacks)
    penalties = model.penalty(stacks[0::2])
    for theta, stacked_out, penalty in zip(settings, outputs, penalties):
        by_hand = 0.01 * sum(np.abs(W).sum() for W in theta[0::2]) \
            + 0.02 * sum((W ** 2).sum() for W in theta[0::2])
        assert penalty == pytest.approx(by_hand, rel=1e-12)
        other = nnlab.MLP([2, 3, 1], seed=1)
        other.set_weights(theta)
        np.testing.assert_allclose(stacked_out, other.predict(X), rtol=1e-12)
    with pytest.raises(ValueError, match="X_val and y_val must have the same number"):
        model.check_data(X, y[:4], names=("X_val", "y_val"))
    with pytest.raises(RuntimeError, match="compile"):
        nnlab.MLP([2, 1]).check_data(X, y)


def test_a_model_saves_and_loads_through_io(tmp_path):
    model = nnlab.MLP([2, 3, 1], seed=0).compile("binary_crossentropy", "adam")
    path = model.save(tmp_path / "model")
    again = nnlab.MLP.load(path)
    assert again.get_config() == model.get_config()
    assert all(np.array_equal(a, b) for a, b in zip(again.get_weights(), model.get_weights()))
    assert nnlab.load_model(path).get_config() == model.get_config()
