"""Dense.backward: one layer's share of backpropagation, checked by finite differences."""

import numpy as np

from nnlab import Dense, activations, layers


def numerical(f, x, eps=1e-6):
    """Central differences of the scalar f() with respect to the array x, changed in place."""
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        saved = x[idx]
        x[idx] = saved + eps
        up = f()
        x[idx] = saved - eps
        down = f()
        x[idx] = saved
        g[idx] = (up - down) / (2 * eps)
    return g


def test_a_lone_layer_gives_dW_db_and_dL_dX():
    rng = np.random.default_rng(0)
    layer = Dense(3, 2, activation="tanh", seed=1)
    layer.b[...] = rng.normal(size=2)
    X, G = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))

    def loss():                                  # L = sum(G * tanh(X W + b))
        return float(np.sum(G * np.tanh(X @ layer.W + layer.b)))

    a = layer.forward(X)
    delta = G * (1 - a**2)                       # dL/dz by hand: tanh' = 1 - tanh^2
    dW, db, delta_prev = layer.backward(delta)
    np.testing.assert_allclose(dW, numerical(loss, layer.W), rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(db, numerical(loss, layer.b), rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(delta_prev, numerical(loss, X), rtol=1e-7, atol=1e-9)
    assert layer.delta is delta


def test_delta_prev_is_the_delta_of_the_layer_below():
    """BP2: (delta @ W.T) * f'(z) of the layer below, here for a sigmoid layer feeding a
    softmax one (whose Jacobian is not elementwise), against dL/dz of the lower layer."""
    rng = np.random.default_rng(1)
    below, top = Dense(3, 4, "sigmoid", seed=2), Dense(4, 3, "softmax", seed=3)
    top.below = below
    X, G = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    z_below = X @ below.W + below.b
    softmax, sigmoid = activations.softmax, activations.sigmoid

    def loss():                                  # as a function of z_below
        return float(np.sum(G * softmax(sigmoid(z_below) @ top.W + top.b)))

    out = top.forward(below.forward(X))
    delta_top = out * (G - np.sum(G * out, axis=1, keepdims=True))   # softmax's Jacobian
    _, _, delta_prev = top.backward(delta_top)
    np.testing.assert_allclose(delta_prev, numerical(loss, z_below), rtol=1e-6, atol=1e-9)


def test_dense_takes_a_stack_of_settings_at_once():
    """z = X @ W + b for P settings at once equals each setting's product written out."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(5, 2))
    Ws, bs = rng.normal(size=(4, 2, 3)), rng.normal(size=(4, 3))
    z, a = layers.dense(X, Ws, bs[:, None, :], activations.get("tanh"))
    assert z.shape == a.shape == (4, 5, 3)
    for p in range(4):
        by_hand = np.array([[sum(X[i, k] * Ws[p, k, j] for k in range(2)) + bs[p, j]
                             for j in range(3)] for i in range(5)])
        np.testing.assert_allclose(z[p], by_hand, rtol=1e-12)
        np.testing.assert_allclose(a[p], np.tanh(by_hand), rtol=1e-12)


def test_the_initialiser_follows_the_activation():
    assert layers.INITIALIZER_FOR["relu"] == "he"
    # He: sqrt(2 / n_in); Glorot: sqrt(2 / (n_in + n_out))
    assert layers.init_std(8, 2, "relu") == 0.5
    assert layers.init_std(6, 2, "sigmoid") == 0.5
    W = Dense(400, 300, activation="relu", seed=0).W
    assert abs(W.std() - np.sqrt(2 / 400)) < 0.002
