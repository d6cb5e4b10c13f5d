"""nnlab.datasets.digits(): the shipped copy of the UCI optical digits, checked against sklearn."""

import fnmatch
from pathlib import Path

import numpy as np
import pytest

from nnlab import datasets

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "nnlab" / "data"


def test_digits_equal_scikit_learns_copy():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")  # a test-only reference
    reference = sklearn_datasets.load_digits()
    X, y = datasets.digits()
    assert X.dtype == np.float64 and X.shape == (1797, 64)
    assert y.shape == (1797,) and np.issubdtype(y.dtype, np.integer)
    np.testing.assert_array_equal(X, reference.data)
    np.testing.assert_array_equal(y, reference.target)
    # the images: row i reshaped to 8x8 is sklearn's images[i]
    np.testing.assert_array_equal(X[5].reshape(8, 8), reference.images[5])


def test_digits_values_and_labels():
    X, y = datasets.digits()
    assert X.min() == 0 and X.max() == 16 and np.all(X == np.round(X))
    assert sorted(np.unique(y).tolist()) == list(range(10))
    assert np.bincount(y).min() >= 170          # roughly 180 of each digit


def test_digits_file_is_package_data_with_its_attribution():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["nnlab"]
    for name in ("digits.csv.gz", "README.md"):
        assert any(fnmatch.fnmatch(f"data/{name}", p) for p in patterns), (
            f"nnlab/data/{name} is not in [tool.setuptools.package-data]")
    readme = (DATA / "README.md").read_text()
    for words in ("Alpaydin", "Kaynak", "CC BY 4.0", "10.24432/C50P49"):
        assert words in readme and words in datasets.digits.__doc__
