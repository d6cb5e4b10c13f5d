"""Input checks shared by the whole library.

Every public function validates what it is given and, when something is wrong, raises an error
that names the argument, says what was expected and what was given. These helpers keep those
messages consistent.
"""

import numbers

import numpy as np


def _describe(value):
    """A short description of a value for error messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{value!r} ({type(value).__name__})"


def as_float_array(value, name, ndim=None, allow_1d=False):
    """Convert `value` to a finite float64 array, or raise naming `name`.

    Parameters
    ----------
    value : array-like
    name : str
        The argument's name, used in error messages.
    ndim : int or None
        Required number of dimensions (after promoting a 1-D array when `allow_1d`).
    allow_1d : bool
        With ``ndim=2``, accept a 1-D array and return it unchanged (callers decide what it means).
    """
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of numbers, but got {_describe(value)}")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{name} must be an array of numbers, but got {_describe(value)}: {error}"
        ) from None
    if ndim is not None and array.ndim != ndim and not (allow_1d and array.ndim == 1):
        expected = f"{ndim}-D" + (" or 1-D" if allow_1d else "")
        raise ValueError(f"{name} must be a {expected} array, but got shape {array.shape}")
    if array.size and not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(
            f"{name} contains {bad} NaN or infinite value(s); all values must be finite"
        )
    return array


def check_X(X, n_features=None, name="X"):
    """Return X as a finite (n_samples, n_features) float64 array.

    A 1-D X is rejected with a hint, because it is ambiguous (one sample or one feature?).
    """
    X = as_float_array(X, name)
    if X.ndim == 1:
        raise ValueError(
            f"{name} must be 2-D (n_samples, n_features), but got a 1-D array of shape {X.shape}; "
            f"use {name}.reshape(-1, 1) for one feature or {name}.reshape(1, -1) for one sample"
        )
    if X.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_samples, n_features), but got shape {X.shape}")
    if X.shape[0] == 0:
        raise ValueError(f"{name} must contain at least one sample, but got shape {X.shape}")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(
            f"{name} has {X.shape[1]} features but the model expects {n_features}"
        )
    return X


def check_same_length(X, y, x_name="X", y_name="y"):
    if len(X) != len(y):
        raise ValueError(
            f"{x_name} and {y_name} must have the same number of samples, "
            f"but {x_name} has {len(X)} and {y_name} has {len(y)}"
        )


def check_binary_labels(y, name="y"):
    """Return y as a 1-D float array of 0/1 labels."""
    y = as_float_array(y, name)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of 0/1 labels, but got shape {y.shape}")
    bad = ~np.isin(y, (0.0, 1.0))
    if bad.any():
        raise ValueError(
            f"{name} must contain only the labels 0 and 1, but got {np.unique(y[bad])[:5].tolist()}"
        )
    return y


def check_positive(value, name, integer=False):
    """Return `value` if it is a positive number (an integer when `integer`), else raise."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        expected = "a positive integer" if integer else "a positive number"
        raise TypeError(f"{name} must be {expected}, but got {_describe(value)}")
    if not np.isfinite(value) or value <= 0:
        expected = "a positive integer" if integer else "a positive finite number"
        raise ValueError(f"{name} must be {expected}, but got {value!r}")
    return int(value) if integer else float(value)


def check_nonnegative(value, name, integer=False):
    """Return `value` if it is >= 0 (an integer when `integer`), else raise."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        expected = "a non-negative integer" if integer else "a non-negative number"
        raise TypeError(f"{name} must be {expected}, but got {_describe(value)}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be >= 0, but got {value!r}")
    return int(value) if integer else float(value)


def check_rng(seed, name="seed"):
    """Turn `seed` (None, an int or a numpy Generator) into a numpy Generator."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
        if seed is not None and seed < 0:
            raise ValueError(f"{name} must be a non-negative integer, but got {seed}")
        return np.random.default_rng(seed)
    raise TypeError(
        f"{name} must be None, an int or a numpy.random.Generator, but got {_describe(seed)}"
    )


def lookup(registry, name, what):
    """Find `name` (case-insensitive) in `registry`, else raise a ValueError listing names."""
    if not isinstance(name, str):
        raise TypeError(
            f"{what} must be a name (str) or a {what} object, but got {_describe(name)}"
        )
    key = name.strip().lower()
    if key not in registry:
        valid = ", ".join(repr(k) for k in registry)
        raise ValueError(f"unknown {what} {name!r}; valid names are: {valid}")
    return registry[key]
