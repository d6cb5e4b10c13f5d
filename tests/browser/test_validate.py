"""nbgrader's Validate button on the released problem sets, in a real JupyterLab.

For every student notebook in assignments/ (by glob): Validate reports success on a completed
copy (and failures on the first set as released), made by putting the instructor's answers
(solutions/, without the solution markers) into the answer cells. Also: the instructor-only
extensions that postBuild disables are absent from the page, while Validate is there.
"""

from pathlib import Path

import nbformat
import pytest

from .labdriver import postbuild_disabled_extensions

REPO = Path(__file__).resolve().parents[2]
RELEASED = sorted(path.relative_to(REPO).as_posix()
                  for path in (REPO / "assignments").glob("*/*.ipynb"))
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def completed(released, source):
    """The released notebook with each answer cell replaced by the instructor's answer."""
    answers = {}
    for cell in source.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            lines = [line for line in cell.source.splitlines()
                     if line.strip() not in MARKERS]
            answers[meta["grade_id"]] = "\n".join(lines)
    done = 0
    for cell in released.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
            done += 1
    assert done, "no answer cell of the released notebook matches the solutions"
    return released


def validate(notebook, timeout=120_000):
    """Click Validate and return (css classes, text) of nbgrader's result dialog."""
    page = notebook.page
    page.locator("jp-button.validate-button").first.click()
    message = page.locator("#validation-message")
    message.wait_for(timeout=timeout)
    result = message.get_attribute("class"), message.inner_text()
    page.locator(".jp-Dialog .jp-Dialog-button").first.click()
    return result


@pytest.mark.parametrize("path", RELEASED)
def test_validate_fails_on_the_release_and_passes_when_completed(path, lab_root,
                                                                   open_notebook):
    # Validate failing on an untouched release is nbgrader's behaviour, the same for every
    # set: checked on the first one (that no released file holds an answer is checked for
    # every set by tests/grading/test_student_edition.py); the completed copy of every set
    # must pass. (This keeps the browser tests' time while the check-my-work test was added.)
    if path == RELEASED[0]:
        notebook = open_notebook(path)
        classes, text = validate(notebook)
        notebook.close()
        assert "validation-failed" in classes, f"Validate did not report failures:\n{text}"
        assert "NotImplementedError" in text

    released = nbformat.read(REPO / path, as_version=4)
    source_path = REPO / "solutions" / Path(path).relative_to("assignments")
    source = nbformat.read(source_path, as_version=4)
    copy = Path(path).with_name(Path(path).stem + "_completed.ipynb")
    nbformat.write(completed(released, source), lab_root / copy)
    notebook = open_notebook(copy.as_posix())
    classes, text = validate(notebook)
    notebook.close()
    assert "validation-success" in classes, f"Validate failed on a completed copy:\n{text}"
    assert "passes all the tests" in text


def test_student_sees_validate_but_not_instructor_tools(open_notebook):
    disabled = postbuild_disabled_extensions(REPO / "postBuild")
    if not RELEASED:
        pytest.skip("no released problem set in assignments/ yet")
    notebook = open_notebook(RELEASED[0])
    page = notebook.page
    assert page.locator("jp-button.validate-button").count() == 1
    if "@jupyter/nbgrader:create-assignment" in disabled:
        # the create-assignment extension adds a "Create Assignment" panel on the right
        assert page.get_by_text("Create Assignment", exact=True).count() == 0
    if "@jupyter/nbgrader:formgrader" in disabled:
        page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").first.click()
        items = page.locator(".lm-Menu-itemLabel").all_inner_texts()
        page.keyboard.press("Escape")
        assert not any("Formgrader" in item for item in items), items
    notebook.close()


def half_finished(released, source, solved=("weighted_sum", "step_and_sigmoid", "relu_family")):
    """ps1 as a student leaves it halfway: parts 1-2 solved, part 3 with a wrong AND bias, the
    rest as released."""
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in
               completed(nbformat.from_dict(released), source).cells
               if c.metadata.get("nbgrader", {}).get("solution")}
    for cell in released.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in solved:
            cell.source = answers[grade_id]
        elif grade_id == "gate_weights":
            cell.source = answers[grade_id].replace('gates["AND"] = ((1.0, 1.0), -2.0)',
                                                    'gates["AND"] = ((1.0, 1.0), -0.5)')
            assert cell.source != answers[grade_id]
    return released


def test_check_my_work_on_a_half_finished_ps1(lab_root, open_notebook):
    """The student runs every cell (Run All stops at the first failing test, as it does for
    them), then the check-my-work cell at the end: one short line per part, the assertion's
    message first, no test code, in a box that fits on the screen."""
    path = "assignments/ps1_neurons_and_gates/ps1_neurons_and_gates.ipynb"
    released = nbformat.read(REPO / path, as_version=4)
    assert "check_my_work()" in released.cells[-1].source, "ps1 has no check-my-work cell"
    source = nbformat.read(REPO / "solutions" / Path(path).relative_to("assignments"),
                           as_version=4)
    copy = Path(path).with_name("ps1_half_finished.ipynb")
    nbformat.write(half_finished(nbformat.read(REPO / path, as_version=4), source),
                   lab_root / copy)
    notebook = open_notebook(copy.as_posix())
    notebook.run_all()
    page = notebook.page
    page.evaluate("""async () => {
        const panel = window.jupyterapp.shell.currentWidget;
        panel.content.activeCellIndex = panel.content.widgets.length - 1;
        await window.jupyterapp.commands.execute('notebook:run-cell');
    }""")
    output = page.locator(".jp-NotebookPanel .jp-CodeCell").last.locator(".jp-OutputArea")
    output.get_by_text("parts pass").wait_for(timeout=60_000)
    notebook.wait_idle()
    text = output.inner_text()
    height = output.bounding_box()["height"]
    notebook.close()
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0].startswith("ps1_half_finished.ipynb")
    parts = {line.split(" ", 1)[1].split(".")[0]: line for line in lines[1:-1]}
    assert sorted(parts) == list("12345678"), lines
    assert parts["1"].endswith("passed") and parts["2"].endswith("passed")
    assert ": failed: AND" in parts["3"] and "[0. 1. 1. 1.]" in parts["3"]
    assert all(parts[n].endswith(": not started") for n in "45678"), lines
    assert lines[-1] == "2 of 7 parts pass."
    for code in ("assert", "Traceback", "_separable", "_Wire", "def ", "The following cell"):
        assert code not in text
    assert height < 400, f"the check's output is {height:.0f} px high"
