"""The problem sets as files: nbgrader metadata, validation, released copies up to date, and
the student environment (postBuild) hiding the instructor's tools."""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import harness
import nbformat
import pytest
from harness import CASES, ROOT, ProblemSet, nbgrader_meta, problem_sets, source_notebook_path

from tools.release import nbgrader_env, release

GRADE_ID = re.compile(r"^[a-zA-Z0-9_-]+$")


def test_the_four_problem_sets_exist():
    assert len(problem_sets()) >= 4, problem_sets()


@pytest.mark.parametrize("pset", problem_sets())
def test_every_problem_set_has_simulated_students(pset):
    assert (CASES / f"{pset}.py").exists(), f"write tests/grading/cases/{pset}.py"
    ps = ProblemSet(pset)  # loads and checks the cases against the notebook
    # COPIER = ({transfer answer cell: wrong source}, [test cells it loses]): the student who
    # copies what the lessons print and gets every task written in no lesson wrong
    sources, lost = ps.cases.COPIER
    assert sources and set(sources) <= set(ps.answers), f"COPIER names unknown cells {set(sources)}"
    assert lost and set(lost) <= set(ps.points), f"COPIER loses unknown tests {lost}"


@pytest.mark.parametrize("pset", problem_sets())
def test_source_notebook_follows_the_conventions(pset):
    path = source_notebook_path(pset)
    assert path.stem == pset, "one notebook per set, named like its folder"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    ids = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, "commit without outputs"
        meta = nbgrader_meta(cell)
        if not meta:
            continue
        assert meta.get("schema_version") == 3
        assert GRADE_ID.match(meta["grade_id"]), meta["grade_id"]
        ids.append(meta["grade_id"])
        if harness.is_answer(cell):
            assert "### BEGIN SOLUTION" in cell.source and not meta.get("locked")
        if harness.is_test(cell):
            assert meta.get("locked") and meta.get("points", 0) > 0, meta
            assert "### BEGIN HIDDEN TESTS" in cell.source, f"{meta['grade_id']}: hidden tests"
            assert "print(" in cell.source.split("### END HIDDEN TESTS")[-1], \
                f"{meta['grade_id']}: a friendly message on success"
    assert len(ids) == len(set(ids)), f"grade_ids must be unique: {ids}"
    written = [c for c in nb.cells if c.cell_type == "markdown" and nbgrader_meta(c).get("grade")
               and nbgrader_meta(c).get("solution") and nbgrader_meta(c).get("points", 0) > 0]
    assert written, "at least one manually graded written answer"


@pytest.mark.parametrize("pset", problem_sets())
def test_the_introduction_states_prerequisites_time_and_the_warning_rule(pset):
    nb = nbformat.read(source_notebook_path(pset), as_version=4)
    intro = nb.cells[0].source
    assert re.search(r"\*\*Prerequisites:\*\*.*lessons? \d\d", intro), "name the lessons it needs"
    assert re.search(r"\*\*Time:\*\* about \d", intro), "give an honest time estimate"
    assert "a test cell that prints any warning scores 0" in intro.lower(), "state the warning rule"


@pytest.mark.parametrize("pset", problem_sets())
def test_solution_passes_nbgrader_validation_without_stderr(pset):
    from nbgrader.validator import Validator

    # validate_all: every code cell, not only the tests, must run without errors or stderr
    results = Validator(validate_all=True).validate(str(source_notebook_path(pset)))
    assert not results, json.dumps(results, indent=1)[:3000]


def _normalised(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("widgets", None)
    return nbformat.writes(nb)


def test_released_assignments_are_up_to_date(tmp_path):
    """Releasing again gives the committed assignments/ (else: run `make release`)."""
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    shutil.copytree(ROOT / "solutions", tmp_path / "solutions",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    release(tmp_path)
    fresh = {p.relative_to(tmp_path / "assignments") for p in (tmp_path / "assignments").rglob("*")
             if p.is_file()}
    committed = {p.relative_to(ROOT / "assignments") for p in (ROOT / "assignments").rglob("*")
                 if p.is_file() and ".ipynb_checkpoints" not in p.parts}
    assert fresh == committed, "assignments/ holds other files than a release makes: make release"
    stale = [str(p) for p in sorted(fresh) if p.suffix == ".ipynb" and
             _normalised(tmp_path / "assignments" / p) != _normalised(ROOT / "assignments" / p)]
    assert not stale, f"out of date, run `make release`: {stale}"


# --- the student environment -------------------------------------------------------------------

INSTRUCTOR_PLUGINS = {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"}
STUDENT_PLUGINS = {"@jupyter/nbgrader:validate-assignment", "@jupyter/nbgrader:assignment-list"}


def _labextension_commands():
    """The `jupyter labextension ...` commands of postBuild, as argument lists."""
    commands = []
    for line in (ROOT / "postBuild").read_text().splitlines():
        words = shlex.split(line, comments=True)
        if words[:2] == ["jupyter", "labextension"]:
            commands.append(words[2:])
    return commands


def test_postbuild_is_a_strict_executable_script():
    script = (ROOT / "postBuild").read_text()
    assert script.startswith("#!"), "postBuild needs a shebang"
    assert re.search(r"^set -e", script, re.MULTILINE), "postBuild must stop on the first error"
    assert os.access(ROOT / "postBuild", os.X_OK), "postBuild must be executable"
    subprocess.run(["bash", "-n", str(ROOT / "postBuild")], check=True)


def test_postbuild_hides_exactly_the_instructor_plugins(tmp_path):
    """Run postBuild's labextension commands against an empty config: the two instructor
    plugins end up disabled and locked, the students' Validate and assignment list do not."""
    commands = _labextension_commands()
    disabled = {name for args in commands if args[0] == "disable" for name in args[1:]}
    assert disabled == INSTRUCTOR_PLUGINS
    # the plugin ids exist in the installed nbgrader extension (no typo disables nothing)
    static = Path(sys.prefix, "share", "jupyter", "labextensions", "@jupyter", "nbgrader")
    shipped = "".join(p.read_text(errors="ignore") for p in static.rglob("*.js"))
    for plugin in INSTRUCTOR_PLUGINS | STUDENT_PLUGINS:
        assert f'"{plugin}"' in shipped, f"{plugin} is not a plugin of nbgrader's lab extension"

    env = {**nbgrader_env(), "JUPYTER_CONFIG_DIR": str(tmp_path)}
    jupyter = Path(sys.executable).parent / "jupyter"
    for args in commands:
        subprocess.run([str(jupyter), "labextension", *args, "--level=user"], env=env,
                       check=True, capture_output=True)
    page_config = json.loads((tmp_path / "labconfig" / "page_config.json").read_text())
    off = {name for name, on in page_config.get("disabledExtensions", {}).items() if on}
    locked = {name for name, on in page_config.get("lockedExtensions", {}).items() if on}
    assert off == INSTRUCTOR_PLUGINS
    assert INSTRUCTOR_PLUGINS <= locked
    assert not (off | locked) & STUDENT_PLUGINS


PROBE = """
import nnlab

def _helper(x):
    return nnlab.activations.sigmoid(x)

def delegates(x):          # nnlab reached through a function of the notebook
    return _helper(x) * 2

def imports_inside(x):     # nnlab imported inside the answer
    import nnlab.activations as acts
    return acts.sigmoid(x)

def honest(x):
    return x * 2
"""


def _nnlab_checks(pset):
    """(cell id, source of its `_uses_nnlab` definition) for every test cell that defines one."""
    import ast
    found = []
    for cell in nbformat.read(source_notebook_path(pset), as_version=4).cells:
        if harness.is_test(cell) and "def _uses_nnlab" in cell.source:
            tree = ast.parse(cell.source)
            found += [(nbgrader_meta(cell)["grade_id"], ast.get_source_segment(cell.source, node))
                      for node in ast.walk(tree)
                      if isinstance(node, ast.FunctionDef) and node.name == "_uses_nnlab"]
    return found


@pytest.mark.parametrize("pset", problem_sets())
def test_every_check_that_an_answer_avoids_nnlab_sees_through_helpers(pset):
    """A hidden test's `_uses_nnlab` must follow the functions an answer calls: a copy cut short
    passes every answer that calls nnlab through a helper of its own."""
    for grade_id, definition in _nnlab_checks(pset):
        namespace = {"__name__": "__main__", "_given_softmax": None}
        exec("import dis, inspect, types\nimport numpy as np\n" + PROBE + definition, namespace)
        uses = namespace["_uses_nnlab"]
        assert uses(namespace["delegates"]), f"{pset} {grade_id}: misses nnlab behind a helper"
        assert uses(namespace["imports_inside"]), f"{pset} {grade_id}: misses an import inside"
        assert not uses(namespace["honest"]), f"{pset} {grade_id}: flags an honest answer"
