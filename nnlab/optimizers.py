"""Optimizers: how a gradient g turns into a change of the weights w.

    SGD        v = momentum * v - lr * g;          w += v
    RMSprop    s = rho * s + (1 - rho) * g^2;      w -= lr * g / (sqrt(s) + epsilon)
    Adam       m = b1 * m + (1 - b1) * g;          s = b2 * s + (1 - b2) * g^2
               m_hat = m / (1 - b1^t);             s_hat = s / (1 - b2^t)
               w -= lr * m_hat / (sqrt(s_hat) + epsilon)          (Kingma & Ba, Algorithm 1,
                                                                   who write v for s)

An optimizer keeps one slot of state (v, s, m) per parameter array, in the order the parameters
are given to `step`, so one optimizer belongs to one model.
"""

import inspect

import numpy as np

from .validation import check_nonnegative, check_positive, lookup

__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "get", "build", "OPTIMIZERS", "VARIANTS",
           "MENU"]


def _check_fraction(value, name):
    value = check_nonnegative(value, name)
    if value >= 1:
        raise ValueError(f"{name} must be in [0, 1), but got {value!r}")
    return value


class Optimizer:
    """Base class: `step(params, grads)` updates every array in `params` in place."""

    name = "optimizer"

    def __init__(self, learning_rate):
        self.learning_rate = check_positive(learning_rate, "learning_rate")
        self.iterations = 0

    def step(self, params, grads):
        """Apply one update. `params` and `grads` are equally long lists of same-shaped arrays."""
        if len(params) != len(grads):
            raise ValueError(f"grads has {len(grads)} arrays but params has {len(params)}")
        self.iterations += 1
        for i, (w, g) in enumerate(zip(params, grads)):
            self.update(i, w, g)

    def update(self, i, w, g):  # pragma: no cover - every optimizer overrides it
        raise NotImplementedError

    def reset(self):
        """Forget the state (velocities, averages, step count)."""
        self.iterations = 0

    def get_config(self):
        """The constructor arguments, e.g. to save a model with its optimizer settings.

        Read from the constructor's signature: every argument is kept under its own name, so a
        new optimizer needs no `get_config` of its own.

        >>> SGD(0.1, momentum=0.5).get_config()
        {'learning_rate': 0.1, 'momentum': 0.5}
        """
        names = inspect.signature(type(self).__init__).parameters
        return {name: getattr(self, name) for name in names if name != "self"}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum.

    Without momentum this is plain gradient descent, w -= lr * g. With momentum the update v is a
    running, decaying sum of past steps: a ball rolling downhill that keeps some of its speed.
    """

    name = "sgd"

    def __init__(self, learning_rate=0.01, momentum=0.0):
        super().__init__(learning_rate)
        self.momentum = _check_fraction(momentum, "momentum")
        self.velocities = {}

    def update(self, i, w, g):
        if self.momentum == 0.0:
            w -= self.learning_rate * g         # v = -lr * g; w += v
            return
        v = self.velocities.get(i)
        if v is None:
            v = self.velocities[i] = np.zeros_like(w)
        v *= self.momentum
        v -= self.learning_rate * g            # v = momentum * v - lr * g
        w += v

    def reset(self):
        super().reset()
        self.velocities = {}


class RMSprop(Optimizer):
    """Divide each step by a running root-mean-square of recent gradients.

    Parameters with large gradients take smaller steps and vice versa, so one learning rate
    suits all of them.
    """

    name = "rmsprop"

    def __init__(self, learning_rate=0.001, rho=0.9, epsilon=1e-7):
        super().__init__(learning_rate)
        self.rho = _check_fraction(rho, "rho")
        self.epsilon = check_positive(epsilon, "epsilon")
        self.squares = {}

    def update(self, i, w, g):
        s = self.squares.get(i)
        if s is None:
            s = self.squares[i] = np.zeros_like(w)
        s *= self.rho
        s += (1.0 - self.rho) * g * g                                    # s = rho s + (1 - rho) g^2
        w -= self.learning_rate * g / (np.sqrt(s) + self.epsilon)

    def reset(self):
        super().reset()
        self.squares = {}


class Adam(Optimizer):
    """Momentum (the mean m of gradients) plus RMSprop (the mean s of their squares).

    Both averages start at zero, so early on they are too small; dividing by (1 - beta^t)
    corrects that bias.
    """

    name = "adam"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        super().__init__(learning_rate)
        self.beta_1 = _check_fraction(beta_1, "beta_1")
        self.beta_2 = _check_fraction(beta_2, "beta_2")
        self.epsilon = check_positive(epsilon, "epsilon")
        self.means = {}
        self.squares = {}

    def update(self, i, w, g):
        m = self.means.get(i)
        if m is None:
            m = self.means[i] = np.zeros_like(w)
            self.squares[i] = np.zeros_like(w)
        s = self.squares[i]
        b1, b2, t = self.beta_1, self.beta_2, self.iterations
        m *= b1
        m += (1.0 - b1) * g                    # m = b1 m + (1 - b1) g
        s *= b2
        s += (1.0 - b2) * g * g                # s = b2 s + (1 - b2) g^2
        m_hat = m / (1.0 - b1**t)
        s_hat = s / (1.0 - b2**t)
        w -= self.learning_rate * m_hat / (np.sqrt(s_hat) + self.epsilon)

    def reset(self):
        super().reset()
        self.means = {}
        self.squares = {}


#: The optimizers by name, the one registry: `get`, `MLP.compile`, configs and saved files,
#: the playground (its menu, share codes and exported scripts) and the DescentExplorer's race
#: all find them here. To add an optimizer, write its class and add it here.
OPTIMIZERS = {"sgd": SGD, "rmsprop": RMSprop, "adam": Adam}

#: Named settings of a registered optimizer that menus offer besides the plain ones:
#: label -> (name in OPTIMIZERS, settings besides the learning rate).
VARIANTS = {"momentum": ("sgd", {"momentum": 0.9})}


def _menu():
    menu = {}
    for name, cls in OPTIMIZERS.items():
        menu[cls.__name__] = (name, {})
        menu.update({label: v for label, v in VARIANTS.items() if v[0] == name})
    return menu


#: What menus offer, in order: each optimizer under its class name, then its variants.
#: label -> (name in OPTIMIZERS, settings besides the learning rate).
MENU = _menu()


def build(label, learning_rate, **settings):
    """A new optimizer for a label of `MENU` at `learning_rate`; `settings` override the
    variant's own.

    >>> build('momentum', 0.1)
    SGD(learning_rate=0.1, momentum=0.9)
    >>> build('momentum', 0.1, momentum=0.5)
    SGD(learning_rate=0.1, momentum=0.5)
    """
    if label not in MENU:
        raise ValueError(f"optimizer must be one of {', '.join(map(repr, MENU))}, but got "
                         f"{label!r}")
    name, preset = MENU[label]
    return OPTIMIZERS[name](learning_rate, **{**preset, **settings})


def get(name, **kwargs):
    """Return a new optimizer called `name` (built with `kwargs`), or `name` if it is one already.

    >>> get('adam', learning_rate=0.01)
    Adam(learning_rate=0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-07)
    """
    if isinstance(name, Optimizer):
        return name
    return lookup(OPTIMIZERS, name, "optimizer")(**kwargs)
