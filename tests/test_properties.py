"""Property-based tests: shapes, seeds and gradient accumulation hold for any valid input."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlab
from nnlab import optimizers
from nnlab.training import minibatches

sizes = st.lists(st.integers(1, 6), min_size=2, max_size=4)
activation = st.sampled_from(["tanh", "sigmoid", "relu", "leaky_relu", "linear"])
output = st.sampled_from(["sigmoid", "linear", "softmax"])
LOSS = {"sigmoid": "binary_crossentropy", "linear": "mse", "softmax": "categorical_crossentropy"}


def data(layer_sizes, out, n, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, layer_sizes[0]))
    if out == "softmax":
        return X, rng.integers(0, layer_sizes[-1], size=n)
    if out == "sigmoid":
        return X, rng.integers(0, 2, size=(n, layer_sizes[-1])).astype(float)
    return X, rng.normal(size=(n, layer_sizes[-1]))


@settings(max_examples=40, deadline=None)
@given(layer_sizes=sizes, act=activation, out=output, n=st.integers(1, 9), seed=st.integers(0, 99))
def test_shapes(layer_sizes, act, out, n, seed):
    model = nnlab.MLP(layer_sizes, activation=act, output_activation=out, seed=seed)
    model.compile(loss=LOSS[out])
    X, y = data(layer_sizes, out, n, seed)
    assert model.predict(X).shape == (n, layer_sizes[-1])
    loss, grads = model.loss_and_gradients(X, y)
    assert np.isfinite(loss)
    assert [g.shape for g in grads] == [w.shape for w in model.get_weights()]
    if out == "softmax":
        np.testing.assert_allclose(model.predict(X).sum(axis=1), 1.0)


@settings(max_examples=25, deadline=None)
@given(layer_sizes=sizes, act=activation, seed=st.integers(0, 2**32 - 1),
       batch_size=st.one_of(st.none(), st.integers(1, 12)),
       opt=st.sampled_from(["sgd", "adam", "rmsprop"]))
def test_same_seed_gives_identical_weights_and_history(layer_sizes, act, seed, batch_size, opt):
    X, y = data(layer_sizes, "sigmoid", 15, 0)
    runs = []
    for _ in range(2):
        model = nnlab.MLP(layer_sizes, activation=act, seed=seed).compile(optimizer=opt)
        history = model.fit(X, y, epochs=3, batch_size=batch_size)
        runs.append((model.get_weights(), history.history))
    for a, b in zip(runs[0][0], runs[1][0]):
        np.testing.assert_array_equal(a, b)
    assert runs[0][1] == runs[1][1]


@settings(max_examples=25, deadline=None)
@given(batch=st.integers(1, 8), steps=st.integers(2, 5), groups=st.integers(1, 4),
       seed=st.integers(0, 1000), opt=st.sampled_from(["sgd", "momentum", "adam", "rmsprop"]),
       shuffle=st.booleans())
def test_accumulation_equals_one_large_batch(batch, steps, groups, seed, opt, shuffle):
    """batch_size=b with accumulation_steps=k updates exactly as batch_size=b*k (equal batches)."""
    n = batch * steps * groups
    X, y = data([3, 4, 1], "sigmoid", n, seed)
    make = {"sgd": lambda: optimizers.SGD(0.3), "momentum": lambda: optimizers.SGD(0.3, 0.9),
            "adam": lambda: optimizers.Adam(0.05), "rmsprop": lambda: optimizers.RMSprop(0.01)}
    weights = []
    for b, k in [(batch * steps, 1), (batch, steps)]:
        model = nnlab.MLP([3, 4, 1], seed=seed).compile(optimizer=make[opt]())
        model.fit(X, y, epochs=3, batch_size=b, accumulation_steps=k, shuffle=shuffle, seed=seed)
        weights.append(model.get_weights())
    for a, b in zip(*weights):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 50), batch_size=st.one_of(st.none(), st.integers(1, 60)),
       shuffle=st.booleans(), seed=st.integers(0, 100))
def test_minibatches_cover_every_sample_once(n, batch_size, shuffle, seed):
    X = np.arange(n * 2).reshape(n, 2)
    y = np.arange(n)
    batches = list(minibatches(X, y, batch_size, shuffle, seed))
    assert sorted(np.concatenate([yb for _, yb in batches])) == list(range(n))
    size = n if batch_size is None else batch_size
    assert all(len(yb) == size for _, yb in batches[:-1]) and 0 < len(batches[-1][1]) <= size
    for Xb, yb in batches:
        np.testing.assert_array_equal(Xb[:, 0] // 2, yb)
