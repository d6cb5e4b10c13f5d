"""Your own data: points from a CSV file, and labels checked against the kind of problem.

A playground CSV has three columns: x1, x2 and the label (a class 0, 1 or 2, or for regression
a target value). An optional header line is skipped. Anything else is refused with the line
and the problem named, so a student knows what to fix in the file.
"""

import csv
import io
import os

import numpy as np

__all__ = ["parse_csv", "check_label", "KINDS"]

#: kind of problem -> the classes allowed (None: any finite target)
KINDS = {"binary": (0, 1), "three": (0, 1, 2), "regression": None}
_LOSS_NAMES = {"binary_crossentropy": "binary cross-entropy", "mse": "MSE",
               "categorical_crossentropy": "categorical cross-entropy"}


def check_label(label, n_classes, dataset="this dataset"):
    """`label` as a float if it is a class (n_classes 2 or 3) or a finite target (None)."""
    if isinstance(label, bool) or not isinstance(label, (int, float, np.number)) \
            or not np.isfinite(label):
        raise ValueError(f"label must be a number, but got {label!r}")
    if n_classes is not None and label not in range(n_classes):
        raise ValueError(f"label must be a class from 0 to {n_classes - 1} for the dataset "
                         f"{dataset!r}, but got {label!r}")
    return float(label)


def _read_text(source):
    if isinstance(source, (bytes, bytearray)):
        return bytes(source).decode("utf-8-sig"), "the CSV"
    source_str = os.fspath(source)
    if not source_str.strip():
        raise ValueError("the CSV is empty: it needs one line per point, x1, x2, label")
    if "\n" not in source_str and "," not in source_str:
        if not os.path.exists(source_str):
            raise ValueError(f"{source_str} does not exist (load_csv takes a file name or the "
                             "CSV text itself)")
        with open(source_str, encoding="utf-8-sig") as f:
            return f.read(), source_str
    return source_str, "the CSV"


def _number(cell):
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def parse_csv(source, kind, loss_name="binary_crossentropy"):
    """Points X (n, 2) and labels y (n,) from CSV text or a file.

    Parameters
    ----------
    source : str, path or bytes
    kind : 'binary', 'three' or 'regression'
    loss_name : str
        The loss trained on, named in the error about a class the loss cannot take.

    Examples
    --------
    >>> X, y = parse_csv("x1,x2,label\\n1.5,-2,1\\n0,3,0\\n", "binary")
    >>> X.tolist(), y.tolist()
    ([[1.5, -2.0], [0.0, 3.0]], [1.0, 0.0])
    >>> parse_csv("1,2,1\\n3,,0\\n", "binary")
    Traceback (most recent call last):
    ...
    ValueError: the CSV, line 2: the value in column 2 (x2) is missing
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}, but got {kind!r}")
    text, name = _read_text(source)
    rows = [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text)), start=1)
            if any(cell.strip() for cell in row)]
    if not rows:
        raise ValueError(f"{name} is empty: it needs one line per point, x1, x2, label")
    columns = ("x1", "x2", "label" if KINDS[kind] else "target")
    if all(_number(cell) is None for cell in rows[0][1]):
        rows = rows[1:]                        # a header line
        if not rows:
            raise ValueError(f"{name} has a header line but no points")
    X, y = [], []
    for number, row in rows:
        where = f"{name}, line {number}"
        if len(row) != 3:
            raise ValueError(f"{where}: expected 3 values (x1, x2, {columns[2]}), but found "
                             f"{len(row)}")
        values = []
        for i, cell in enumerate(row):
            if not cell.strip():
                raise ValueError(f"{where}: the value in column {i + 1} ({columns[i]}) is "
                                 "missing")
            value = _number(cell)
            if value is None:
                raise ValueError(f"{where}: {cell.strip()!r} in column {i + 1} ({columns[i]}) "
                                 "is not a finite number")
            values.append(value)
        label, classes = values[2], KINDS[kind]
        if classes is not None and label not in classes:
            if kind == "binary" and label == 2:
                raise ValueError(
                    f"{where}: label 2 is a third class, but the loss "
                    f"({_LOSS_NAMES.get(loss_name, loss_name)}) has two classes, 0 and 1; "
                    "for three classes choose the data 'three classes (softmax)' first (in "
                    "code: load_csv(..., kind='three'))")
            raise ValueError(f"{where}: the label must be one of "
                             f"{', '.join(map(str, classes))}, but it is {row[2].strip()!r}")
        X.append(values[:2])
        y.append(label)
    return np.array(X, dtype=np.float64), np.array(y, dtype=np.float64)
