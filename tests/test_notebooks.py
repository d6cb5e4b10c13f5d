"""Every lesson notebook runs top to bottom in a fresh kernel, without errors and without stderr.

Its self-checks run twice: as committed, with the placeholders (each must print its hint, ❌,
and never raise), and with the reference answer kept in the exercise cell's metadata
(``metadata.nnlab.answer``: the code that replaces the placeholder), when each must print ✅.

This is what a student does with "Restart Kernel and Run All Cells". Each notebook in course/ is
executed in memory (its outputs are never written back) by a fresh `python3` kernel of the
environment running the tests, with course/ as the working folder. Any error, and any text on
stderr (warnings included), fails the test and is shown. Output widgets (e.g. from
`ipywidgets.interact`) keep their own outputs in the widget state: those are checked too.
"""

import re
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "course"
NOTEBOOKS = sorted(COURSE.glob("*.ipynb"))
CELL_TIMEOUT = 120  # seconds; a lesson takes a few seconds in all
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def kernel_manager():
    """A manager for the `python3` kernel of *this* environment (not one found elsewhere).

    Only this environment's kernelspec folder is searched; without one, jupyter_client falls back
    to the native kernel, which is `sys.executable` as well.
    """
    kernels = Path(sys.prefix) / "share" / "jupyter" / "kernels"
    specs = KernelSpecManager(kernel_dirs=[str(kernels)])
    return KernelManager(kernel_name="python3", kernel_spec_manager=specs)


def problems_in(outputs, where):
    """Human-readable descriptions of error and stderr outputs."""
    found = []
    for out in outputs:
        if out.get("output_type") == "error":
            trace = ("\n".join(out.get("traceback", []))
                     or f"{out.get('ename')}: {out.get('evalue')}")
            found.append(f"{where}: error\n{ANSI_COLOUR.sub('', trace)}")
        elif out.get("output_type") == "stream" and out.get("name") == "stderr":
            found.append(f"{where}: stderr\n{out.get('text', '')}")
    return found


def problems(nb):
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            found += problems_in(cell.get("outputs", []), f"cell {index}")
    widgets = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for model_id, model in widgets.items():
        if model.get("model_name") == "OutputModel":
            found += problems_in(model.get("state", {}).get("outputs", []),
                                 f"output widget {model_id[:8]}")
    return found


def execute(nb, name):
    client = NotebookClient(nb, km=kernel_manager(), timeout=CELL_TIMEOUT,
                            resources={"metadata": {"path": str(COURSE)}})
    try:
        client.execute()
    except CellTimeoutError as error:
        pytest.fail(f"{name}: a cell took longer than {CELL_TIMEOUT} s\n{error}")
    except CellExecutionError as error:
        pytest.fail(f"{name} stopped with an error:\n{ANSI_COLOUR.sub('', str(error))}")
    found = problems(nb)
    assert not found, f"{name} wrote errors or to stderr:\n\n" + "\n\n".join(found)


def self_checks(nb):
    """[(exercise cell index, [check cell indices])]: the cells with a reference answer in
    ``metadata.nnlab.answer``, each with the code cells after it (up to the next markdown cell)
    that call check or check_close."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "answer" not in cell.metadata.get("nnlab", {}):
            continue
        checks = []
        for later in range(index + 1, len(nb.cells)):
            if nb.cells[later].cell_type != "code":
                break
            if re.search(r"\bcheck(_close)?\(", nb.cells[later].source):
                checks.append(later)
        found.append((index, checks))
    return found


def stdout(cell):
    return "".join(out.get("text", "") for out in cell.get("outputs", [])
                   if out.get("output_type") == "stream" and out.get("name") == "stdout")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_cleanly(path):
    """As committed: no error, no stderr; every self-check prints its hint."""
    nb = nbformat.read(path, as_version=4)
    execute(nb, path.name)
    for exercise, checks in self_checks(nb):
        for index in checks:
            text = stdout(nb.cells[index])
            assert "❌" in text and "✅" not in text, (
                f"{path.name}: with the placeholder of cell {exercise}, the self-check in cell "
                f"{index} should print its hint (❌), but printed {text!r}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_self_checks_accept_the_reference_answers(path):
    """With every exercise cell replaced by its reference answer, every self-check says ✅."""
    nb = nbformat.read(path, as_version=4)
    exercises = self_checks(nb)
    if not exercises:
        pytest.fail(f"{path.name} has no exercise with a reference answer "
                    "(metadata.nnlab.answer) and a self-check after it")
    for exercise, checks in exercises:
        assert checks, f"{path.name}: exercise cell {exercise} has no self-check after it"
        nb.cells[exercise].source = nb.cells[exercise].metadata["nnlab"]["answer"]
    execute(nb, f"{path.name} (with the reference answers)")
    for exercise, checks in exercises:
        for index in checks:
            text = stdout(nb.cells[index])
            assert "✅" in text and "❌" not in text, (
                f"{path.name}: with the reference answer in cell {exercise}, the self-check in "
                f"cell {index} printed {text!r}")


def test_there_are_notebooks_to_run():
    assert NOTEBOOKS, f"no notebooks found in {COURSE}"


def test_problems_are_detected():
    """The checker itself notices stderr text and errors, in cells and in output widgets."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="fine\n"),
                    nbformat.v4.new_output("stream", name="stderr", text="UserWarning: careful\n")]
    nb.cells.append(cell)
    nb.metadata["widgets"] = {WIDGET_STATE: {"state": {"abc123456": {
        "model_name": "OutputModel",
        "state": {"outputs": [{"output_type": "error", "ename": "ValueError",
                               "evalue": "bad", "traceback": []}]}}}}}
    found = problems(nb)
    assert len(found) == 2
    assert "UserWarning: careful" in found[0]
    assert "ValueError: bad" in found[1]
