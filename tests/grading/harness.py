"""A simulated class for the grading tests.

Conventions shared by every problem set (one notebook per set):

- `solutions/<set>/<set>.ipynb` is the nbgrader source; `assignments/<set>/<set>.ipynb` the
  committed student version made from it by `make release`.
- `tests/grading/cases/<set>.py` describes the students who are not simply "the solution":

      ALTERNATIVE = {"<answer grade_id>": "<full cell source>", ...}   # at least two cells,
                    # correct but written differently: full marks
      WRONG = ("<answer grade_id>", "<source>", ["<test grade_id>", ...])   # those tests lose
                    # all their points, every other test keeps them
      FAILING = ("<answer grade_id>", ["<test grade_id>", ...])   # the cell into which the
                    # harness injects an exception, an endless loop, a memory bomb, a syntax
                    # error; the listed tests then score 0

Students are built from the *released* notebook by writing sources into its answer cells (the
instructor's solution, unless the student says otherwise). Expected scores come from the points
of the test cells of the *source* notebook.
"""

import importlib.util
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "cases"

#: What the harness writes into the FAILING answer cell, by kind of student.
BREAKAGES = {
    "exception": 'raise RuntimeError("a bug in my answer")\n',
    "infinite_loop": "while True:\n    pass\n",
    # grows until the address-space limit turns the next allocation into a MemoryError
    "memory_bomb": "hog = [bytearray(64 * 2**20) for _ in range(10**6)]\n",
    "syntax_error": "def broken(:\n    return\n",
}
NOT_IMPLEMENTED = "raise NotImplementedError()\n"


def problem_sets():
    """Every folder of solutions/ holding a notebook: all of them are tested."""
    return sorted(p.name for p in (ROOT / "solutions").iterdir()
                  if p.is_dir() and any(p.glob("*.ipynb")))


def source_notebook_path(pset):
    paths = sorted((ROOT / "solutions" / pset).glob("*.ipynb"))
    if len(paths) != 1:
        raise AssertionError(f"solutions/{pset} must hold exactly one notebook, found {paths}")
    return paths[0]


def released_notebook_path(pset):
    return ROOT / "assignments" / pset / source_notebook_path(pset).name


def nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def is_answer(cell):
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and meta.get("solution", False) and not meta.get("grade")


def is_test(cell):
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and meta.get("grade", False) and not meta.get("solution")


class ProblemSet:
    """What the tests need to know about one set: answers, tests, points, cases."""

    def __init__(self, pset):
        self.name = pset
        self.released_name = source_notebook_path(pset).name
        self.source = nbformat.read(source_notebook_path(pset), as_version=4)
        self.answers = {nbgrader_meta(c)["grade_id"]: c.source
                        for c in self.source.cells if is_answer(c)}
        self.points = {nbgrader_meta(c)["grade_id"]: float(nbgrader_meta(c)["points"])
                       for c in self.source.cells if is_test(c)}
        self.total = sum(self.points.values())
        # each test cell tests the answer cell before it
        self.tests_of = {}
        current = None
        for cell in self.source.cells:
            if is_answer(cell):
                current = nbgrader_meta(cell)["grade_id"]
                self.tests_of[current] = []
            elif is_test(cell) and current is not None:
                self.tests_of[current].append(nbgrader_meta(cell)["grade_id"])
        self.cases = load_cases(pset, self)

    def released(self):
        path = released_notebook_path(self.name)
        if not path.exists():
            raise AssertionError(f"{path.relative_to(ROOT)} is missing: run `make release`")
        return nbformat.read(path, as_version=4)

    def student(self, sources=None, drop_tests=False, edit_tests=None):
        """A student's notebook: the released one with answers written in.

        sources : {answer grade_id: source}, overriding the solution for those cells
        drop_tests : delete every test cell
        edit_tests : {test grade_id: source} written over those test cells
        """
        nb = self.released()
        sources = {**self.answers, **(sources or {})}
        cells = []
        for cell in nb.cells:
            grade_id = nbgrader_meta(cell).get("grade_id")
            if is_answer(cell):
                cell.source = sources[grade_id]
            elif is_test(cell):
                if drop_tests:
                    continue
                if edit_tests and grade_id in edit_tests:
                    cell.source = edit_tests[grade_id]
            cells.append(cell)
        nb.cells = cells
        return nb

    def expected(self, lost=()):
        """Expected autograded score when the tests in `lost` score 0 and the others in full."""
        return self.total - sum(self.points[t] for t in set(lost))


def load_cases(pset, problem_set):
    """Import tests/grading/cases/<pset>.py and check it against the notebook."""
    path = CASES / f"{pset}.py"
    if not path.exists():
        raise AssertionError(f"problem set {pset} has no simulated students: "
                             f"write tests/grading/cases/{pset}.py (see tests/grading/harness.py)")
    spec = importlib.util.spec_from_file_location(f"grading_cases_{pset}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    answers, tests = problem_set.answers, problem_set.points

    alternative = module.ALTERNATIVE
    assert isinstance(alternative, dict) and len(alternative) >= 2, \
        f"{path.name}: ALTERNATIVE must rewrite at least two answer cells"
    assert set(alternative) <= set(answers), \
        f"{path.name}: ALTERNATIVE names unknown answer cells {set(alternative) - set(answers)}"
    wrong_cell, wrong_source, wrong_lost = module.WRONG
    failing_cell, failing_lost = module.FAILING
    for cell in (wrong_cell, failing_cell):
        assert cell in answers, f"{path.name}: {cell!r} is not an answer cell of {pset}"
    for lost in (wrong_lost, failing_lost):
        assert lost and set(lost) <= set(tests), \
            f"{path.name}: unknown or no test cells in {lost} (tests: {sorted(tests)})"
    return module
