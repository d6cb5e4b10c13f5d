"""Friendly self-checks for the ungraded exercises in the lessons.

A self-check never raises: a wrong answer prints a hint and "Run All" carries on. Pass the
condition as a function (usually a ``lambda``): then even an answer the student has not defined
yet, or has left at ``None``, gives a hint instead of an error.

    >>> check(1 + 1 == 2, "Right!", "Not yet: add the two numbers.")
    ✅ Right!
    True
    >>> check(lambda: answer_never_defined == 3, "Right!", "Not yet: what is 1 + 2?")
    ❌ Not yet: what is 1 + 2? (`answer_never_defined` is not defined yet: run the cell that \
defines it, above this one.)
    False
    >>> check_close(lambda: None, 0.5, "Right!", "Not yet: halve it.")
    ❌ Not yet: halve it.
    False
"""

__all__ = ["check", "check_close"]


def check(condition, success="Correct!", hint="Not quite yet: have another look."):
    """Print ✅ + `success` when `condition` is true, else ❌ + `hint`; return the outcome.

    `condition` may also be a function of no arguments. If it reads a name that is not defined,
    the hint says so; any other error it raises counts as "not yet" and its message is shown.
    """
    try:
        ok = bool(condition() if callable(condition) else condition)
    except NameError as error:
        name = getattr(error, "name", None) or str(error)
        print(f"❌ {hint} (`{name}` is not defined yet: run the cell that defines it, "
              "above this one.)")
        return False
    except Exception as error:  # a self-check must never stop the notebook
        print(f"❌ {hint} ({type(error).__name__}: {error})")
        return False
    print(f"✅ {success}" if ok else f"❌ {hint}")
    return ok


def check_close(actual, expected, success="Correct!", hint="Not quite yet.", tol=1e-6):
    """Like `check`, for numbers or arrays that should agree to within `tol`.

    `actual` may be a function of no arguments (e.g. ``lambda: my_answer``), so that an answer
    not defined yet gives a hint. An answer still at ``None`` is simply "not yet".
    """
    import numpy as np

    def close():
        value = actual() if callable(actual) else actual
        if value is None:
            return False
        a = np.asarray(value, dtype=float)
        e = np.asarray(expected, dtype=float)
        return a.shape == e.shape and np.allclose(a, e, atol=tol, rtol=tol)

    return check(close, success, hint)
