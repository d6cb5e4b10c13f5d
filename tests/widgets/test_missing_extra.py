"""Without the course extra, a widget says what to install instead of a bare ModuleNotFoundError."""

import sys

import pytest


def test_a_widget_without_ipywidgets_names_the_extra(monkeypatch):
    import nnlab.widgets  # noqa: F401  (the package stays; its widget modules go)
    for module in [m for m in sys.modules if m.startswith("nnlab.widgets.")]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import ipywidgets now fails
    hint = r'needs ipywidgets.*pip install "nnlab\[course\]"'
    with pytest.raises(ModuleNotFoundError, match=hint) as caught:
        from nnlab.widgets import NeuronExplorer  # noqa: F401
    assert caught.value.name == "ipywidgets"


def test_other_missing_modules_are_not_blamed_on_the_extra(monkeypatch):
    import nnlab.widgets  # noqa: F401  (the package stays; its widget modules go)
    for module in [m for m in sys.modules if m.startswith("nnlab.widgets.")]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setitem(sys.modules, "nnlab.widgets.neuron_explorer", None)
    with pytest.raises(ModuleNotFoundError) as caught:
        from nnlab.widgets import NeuronExplorer  # noqa: F401
    assert "nnlab[course]" not in str(caught.value)
