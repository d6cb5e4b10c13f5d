"""Friendly self-checks for the ungraded exercises in the lessons.

A self-check never raises: a wrong answer prints a hint and "Run All" carries on.

    >>> check(1 + 1 == 2, "Right!", "Not yet: add the two numbers.")
    ✅ Right!
    True
"""

__all__ = ["check", "check_close"]


def check(condition, success="Correct!", hint="Not quite yet: have another look."):
    """Print ✅ + `success` when `condition` is true, else ❌ + `hint`; return the outcome.

    `condition` may also be a function of no arguments; an error it raises counts as "not yet"
    and its message is shown.
    """
    try:
        ok = bool(condition() if callable(condition) else condition)
    except Exception as error:  # a self-check must never stop the notebook
        print(f"❌ {hint} ({type(error).__name__}: {error})")
        return False
    print(f"✅ {success}" if ok else f"❌ {hint}")
    return ok


def check_close(actual, expected, success="Correct!", hint="Not quite yet.", tol=1e-6):
    """Like `check`, for numbers or arrays that should agree to within `tol`."""
    import numpy as np

    def close():
        a = np.asarray(actual, dtype=float)
        e = np.asarray(expected, dtype=float)
        return a.shape == e.shape and np.allclose(a, e, atol=tol, rtol=tol)

    return check(close, success, hint)
