"""Every public name of API.md exists and is documented; the core never imports widget libraries."""

import ast
import importlib
import pathlib
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


NNLAB = pathlib.Path(nnlab.__file__).parent


def _modules():
    """Every module of the package: dotted name -> path."""
    found = {}
    for path in sorted(NNLAB.rglob("*.py")):
        parts = ("nnlab",) + path.relative_to(NNLAB).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(name, path, modules):
    """The package's modules that module `name` imports, anywhere in it (also inside a
    function: an import hidden in a method is still an import)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            source = (f"{base}.{node.module}" if node.module else base) if node.level else \
                node.module
            for alias in node.names:           # `from pkg import submodule`: the submodule
                found.add(f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules
                          else source)
    return {m for m in found if m in modules and m != name}


CORE = sorted(m for m in _modules() if not m.startswith("nnlab.widgets"))


def test_core_imports_no_widget_libraries():
    """Every module of the core (nnlab without nnlab.widgets), imported together."""
    code = (f"import sys, importlib; [importlib.import_module(m) for m in {CORE!r}]; "
            "bad = [m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules]; "
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    assert {"nnlab.playground.session", "nnlab.learning_curves", "nnlab.decision_line",
            "nnlab.io", "nnlab.landscape"} <= set(CORE)


def test_the_core_never_imports_the_widgets():
    modules = _modules()
    for name in CORE:
        widgets = {m for m in _imports(name, modules[name], modules) if m.startswith("nnlab.w")}
        assert not widgets, f"{name} imports {widgets}"


def test_the_import_graph_has_no_cycle():
    """Modules import each other in one direction only (a package's __init__ gathering its
    modules aside): no module needs, even lazily, a module that needs it."""
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()
             if path.name != "__init__.py"}
    for name in graph:                                   # __init__ files re-export; skip them
        graph[name] = {m for m in graph[name] if m in graph}
    assert graph["nnlab.network"] >= {"nnlab.io", "nnlab.training"}     # the graph is read
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name)


def _private_access(path):
    """Uses of another object's or module's `_name` in a file (self._x and cls._x are fine;
    so are dunders and protocol names such as _repr_mimebundle_)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                and not node.attr.endswith("_"):
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                found.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
        elif isinstance(node, ast.ImportFrom):
            parts = (node.module or "").split(".") + [a.name for a in node.names]
            if any(p.startswith("_") and not p.startswith("__") for p in parts):
                found.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
    return found


def test_no_module_reaches_into_another_ones_private_names():
    found = [hit for path in _modules().values() for hit in _private_access(path)]
    assert found == []


def test_the_private_access_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from ._validation import check\nx = model._forward(X)\nself._ok = 1\n")
    assert [hit.split(" ", 1)[1] for hit in _private_access(bad)] == [
        "from ._validation import check", "model._forward"]
