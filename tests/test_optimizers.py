"""Optimizer steps checked by hand against the formulas in API.md, for a few steps."""

import numpy as np
import pytest

from nnlab import optimizers

GRADS = [np.array([0.5, -1.0]), np.array([0.1, 0.3]), np.array([-0.2, 0.0])]


def run(opt, grads=GRADS, w0=(1.0, -2.0)):
    w = np.array(w0)
    history = []
    for g in grads:
        opt.step([w], [g])
        history.append(w.copy())
    return history


def test_sgd_without_momentum_is_plain_descent():
    out = run(optimizers.SGD(learning_rate=0.1))
    w = np.array([1.0, -2.0])
    for g, got in zip(GRADS, out):
        w = w - 0.1 * g
        np.testing.assert_allclose(got, w, rtol=0, atol=1e-15)


def test_sgd_with_momentum():
    out = run(optimizers.SGD(learning_rate=0.1, momentum=0.9))
    w, v = np.array([1.0, -2.0]), np.zeros(2)
    for g, got in zip(GRADS, out):
        v = 0.9 * v - 0.1 * g
        w = w + v
        np.testing.assert_allclose(got, w, rtol=0, atol=1e-15)


def test_rmsprop():
    out = run(optimizers.RMSprop(learning_rate=0.01, rho=0.8, epsilon=1e-7))
    w, s = np.array([1.0, -2.0]), np.zeros(2)
    for g, got in zip(GRADS, out):
        s = 0.8 * s + 0.2 * g**2
        w = w - 0.01 * g / (np.sqrt(s) + 1e-7)
        np.testing.assert_allclose(got, w, rtol=0, atol=1e-15)


def test_adam():
    out = run(optimizers.Adam(learning_rate=0.01, beta_1=0.8, beta_2=0.9, epsilon=1e-7))
    w, m, v = np.array([1.0, -2.0]), np.zeros(2), np.zeros(2)
    for t, (g, got) in enumerate(zip(GRADS, out), start=1):
        m = 0.8 * m + 0.2 * g
        v = 0.9 * v + 0.1 * g**2
        m_hat, v_hat = m / (1 - 0.8**t), v / (1 - 0.9**t)
        w = w - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-7)
        np.testing.assert_allclose(got, w, rtol=0, atol=1e-15)


def test_first_adam_step_has_size_learning_rate():
    """Bias correction makes the first step lr * sign(g), whatever the size of g."""
    w = np.array([0.0, 0.0])
    optimizers.Adam(learning_rate=0.1).step([w], [np.array([1e-3, -50.0])])
    np.testing.assert_allclose(w, [-0.1, 0.1], rtol=1e-3)


def test_state_is_kept_per_parameter_and_reset():
    opt = optimizers.SGD(learning_rate=1.0, momentum=0.5)
    a, b = np.zeros(1), np.zeros(1)
    opt.step([a, b], [np.ones(1), -np.ones(1)])
    opt.step([a, b], [np.ones(1), -np.ones(1)])
    np.testing.assert_allclose([a[0], b[0]], [-2.5, 2.5])
    opt.reset()
    assert opt.velocities == {} and opt.iterations == 0


@pytest.mark.parametrize("lr", [0, -0.1, float("nan")])
def test_non_positive_learning_rate_is_rejected(lr):
    with pytest.raises(ValueError, match="learning_rate must be a positive"):
        optimizers.Adam(learning_rate=lr)


def test_bad_hyperparameters_and_names():
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\)"):
        optimizers.SGD(momentum=1.0)
    with pytest.raises(TypeError, match="learning_rate must be a positive number"):
        optimizers.SGD(learning_rate="fast")
    with pytest.raises(ValueError, match="valid names are: 'sgd', 'rmsprop', 'adam'"):
        optimizers.get("adagrad")
    assert isinstance(optimizers.get("ADAM", learning_rate=0.5), optimizers.Adam)
    with pytest.raises(ValueError, match="grads has 1 arrays but params has 2"):
        optimizers.SGD().step([np.zeros(1), np.zeros(1)], [np.zeros(1)])


@pytest.mark.parametrize("name", list(optimizers.OPTIMIZERS))
def test_get_config_gives_back_every_constructor_argument(name):
    """One mechanism for every optimizer: the settings given are the settings saved."""
    cls = optimizers.OPTIMIZERS[name]
    defaults = cls().get_config()
    changed = {key: (value / 2 if key != "learning_rate" else value * 3)
               for key, value in defaults.items()}
    opt = cls(**changed)
    assert opt.get_config() == changed
    assert type(opt)(**opt.get_config()).get_config() == changed


def test_the_menu_offers_every_registered_optimizer_and_its_variants():
    menu = optimizers.MENU
    assert list(menu) == ["SGD", "momentum", "RMSprop", "Adam"]
    for cls in optimizers.OPTIMIZERS.values():
        assert menu[cls.__name__] == (cls.name, {})
    momentum = optimizers.build("momentum", 0.1)
    assert isinstance(momentum, optimizers.SGD) and momentum.get_config() == {
        "learning_rate": 0.1, "momentum": 0.9}
    assert optimizers.build("momentum", 0.1, momentum=0.5).momentum == 0.5
    assert isinstance(optimizers.build("Adam", 0.01), optimizers.Adam)
    with pytest.raises(ValueError, match="optimizer must be one of 'SGD', 'momentum'"):
        optimizers.build("adamw", 0.1)
