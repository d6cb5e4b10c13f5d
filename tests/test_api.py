"""Every public name of API.md exists and is documented; the core never imports widget libraries."""

import importlib
import subprocess
import sys

import pytest

import nnlab

API = {
    "nnlab": ["Neuron", "Perceptron", "MLP", "Dense", "History", "load_model"],
    "nnlab.activations": ["step", "linear", "sigmoid", "tanh", "relu", "leaky_relu", "softmax",
                          "get", "Activation"],
    "nnlab.losses": ["mse", "binary_crossentropy", "categorical_crossentropy", "get", "Loss"],
    "nnlab.metrics": ["accuracy", "mse", "get"],
    "nnlab.optimizers": ["SGD", "Adam", "RMSprop", "get"],
    "nnlab.gates": ["AND", "OR", "NAND", "NOR", "XOR", "truth_table", "GATES"],
    "nnlab.datasets": ["logic_gate", "blobs", "circle", "xor", "gauss", "spiral", "plane",
                       "gauss_regression", "iris"],
    "nnlab.model_selection": ["train_test_split", "kfold", "cross_validate"],
    "nnlab.gradcheck": ["gradcheck"],
}
METHODS = {
    "MLP": ["get_weights", "set_weights", "compile", "forward", "backward", "loss_and_gradients",
            "fit", "evaluate", "predict", "save"],
    "Neuron": ["weighted_sum"],
    "Perceptron": ["fit", "predict"],
}


@pytest.mark.parametrize("module, name", [(m, n) for m, names in API.items() for n in names])
def test_public_name_exists_with_a_docstring(module, name):
    obj = getattr(importlib.import_module(module), name)
    if callable(obj) and not isinstance(obj, (nnlab.Neuron, nnlab.losses.Loss)):
        assert (obj.__doc__ or "").strip(), f"{module}.{name} has no docstring"


@pytest.mark.parametrize("cls, method", [(c, m) for c, ms in METHODS.items() for m in ms])
def test_methods_are_documented(cls, method):
    assert (getattr(getattr(nnlab, cls), method).__doc__ or "").strip()


def test_class_docstrings_give_shapes():
    for cls in (nnlab.MLP, nnlab.Dense, nnlab.Neuron, nnlab.Perceptron):
        doc = cls.__doc__
        assert "Parameters" in doc and ("shape" in doc.lower() or "(n_in, n_out)" in doc), cls


def test_core_imports_no_widget_libraries():
    code = ("import sys, nnlab, nnlab.datasets, nnlab.io; "
            "bad = [m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules]; "
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
