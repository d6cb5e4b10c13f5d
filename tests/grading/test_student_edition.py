"""The student edition (`make student-edition`): what it holds, what it never holds, its branch,
and a fresh clone of that branch installed as Binder would install it.

The install test is the slow one (a fresh virtualenv, pip from its cache): it runs once, for the
whole module, and every check of the clone reuses it.
"""

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from harness import ROOT, ProblemSet, is_answer, is_test, nbgrader_meta, problem_sets

from tools.student_edition import build, commit, student_readme

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "BEGIN MARK SCHEME", "nbgrader_config")


def normalise(text):
    return " ".join(text.split())


def texts(root):
    """{relative path: text} of every text file under root; notebooks as their cell sources."""
    found = {}
    for path in sorted(Path(root).rglob("*")):
        if not path.is_file() or ".git" in path.relative_to(root).parts:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # compressed data
        if path.suffix == ".ipynb":
            text = "\n".join(c.source for c in nbformat.reads(text, as_version=4).cells)
        found[str(path.relative_to(root))] = text
    return found


def regions(source, begin, end):
    """The text between each `### BEGIN ...` and `### END ...` line of a cell."""
    return [m.group(1) for m in re.finditer(rf"### {begin}\n(.*?)### {end}", source, re.S)]


def secrets():
    """{what: text} that must never reach a student: every solution region, every hidden-test
    region, every model answer of a written question, every simulated student's answer."""
    found = {}
    for pset in problem_sets():
        ps = ProblemSet(pset)
        for cell in ps.source.cells:
            grade_id = nbgrader_meta(cell).get("grade_id")
            if is_answer(cell):
                for i, region in enumerate(regions(cell.source, "BEGIN SOLUTION", "END SOLUTION")):
                    found[f"{pset}/{grade_id} solution {i}"] = region
            elif is_test(cell):
                for i, region in enumerate(regions(cell.source, "BEGIN HIDDEN TESTS",
                                                   "END HIDDEN TESTS")):
                    found[f"{pset}/{grade_id} hidden tests {i}"] = region
            elif cell.cell_type == "markdown" and nbgrader_meta(cell).get("solution"):
                found[f"{pset}/{grade_id} model answer"] = cell.source
        for grade_id, source in ps.cases.ALTERNATIVE.items():
            found[f"{pset} grading case ALTERNATIVE {grade_id}"] = source
        found[f"{pset} grading case WRONG"] = ps.cases.WRONG[1]
    return {what: normalise(text) for what, text in found.items() if normalise(text)}


def leaks(root):
    """[(file, what)] for every marker or secret found in a file under root."""
    needles = secrets()
    found = []
    for name, text in texts(root).items():
        flat = normalise(text)
        found += [(name, marker) for marker in MARKERS if marker in text]
        found += [(name, what) for what, needle in needles.items() if needle in flat]
    return found


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    return build(ROOT, tmp_path_factory.mktemp("edition") / "student")


def test_the_edition_holds_what_a_student_needs(edition):
    top = {p.name for p in edition.iterdir()}
    assert {"README.md", "course", "assignments", "nnlab", "pyproject.toml", "environment.yml",
            "postBuild"} <= top
    assert {p.name for p in ROOT.glob("LICENSE*")} <= top, "the licences travel with the course"
    released = sorted(p.relative_to(ROOT) for p in (ROOT / "assignments").rglob("*.ipynb"))
    assert released and all((edition / p).exists() for p in released)
    assert os.access(edition / "postBuild", os.X_OK), "Binder runs postBuild: keep it executable"
    assert not top & {"solutions", "tests", "tools", "benchmarks", "nbgrader_config.py"}, top
    assert not list(edition.rglob("__pycache__")) and not list(edition.rglob("*.pyc"))


def test_no_file_holds_an_answer_a_hidden_test_or_a_grading_case(edition):
    assert not leaks(edition)


def test_the_leak_check_finds_the_answers_in_the_source():
    """The same check on the source tree finds every kind of secret: it can fail."""
    found = {what for _, what in leaks(ROOT)}
    for kind in ("solution", "hidden tests", "model answer", "grading case"):
        assert any(kind in what for what in found), f"no {kind} found in the source"


def test_the_student_readme_comes_from_the_readme(edition):
    readme = (edition / "README.md").read_text()
    assert readme == student_readme((ROOT / "README.md").read_text())
    assert "make test" not in readme and "student-only" not in readme
    assert "source-only" not in readme and "pip install" in readme
    badge = re.search(r"\(https://mybinder\.org/badge_logo\.svg\)\]\(([^)]+)\)", readme).group(1)
    assert "/student?" in badge, f"the Binder badge must open the student branch: {badge}"


def _git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture(scope="module")
def repo(tmp_path_factory, edition):
    """A repository with work in progress (a commit, a staged and an unstaged change), on which
    the edition is committed to `student` twice from two builds."""
    repo = tmp_path_factory.mktemp("repo")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "teacher@example.org")
    _git(repo, "config", "user.name", "Teacher")
    (repo / "notes.md").write_text("draft\n")
    _git(repo, "add", "notes.md")
    _git(repo, "commit", "-q", "-m", "private work")
    (repo / "staged.md").write_text("staged\n")
    _git(repo, "add", "staged.md")
    (repo / "notes.md").write_text("draft, edited\n")
    before = (_git(repo, "rev-parse", "HEAD"), _git(repo, "status", "--porcelain"),
              _git(repo, "symbolic-ref", "HEAD"))
    first = commit(edition, repo)
    second = commit(build(ROOT, repo.parent / "second-build"), repo)
    after = (_git(repo, "rev-parse", "HEAD"), _git(repo, "status", "--porcelain"),
             _git(repo, "symbolic-ref", "HEAD"))
    return {"path": repo, "first": first, "second": second, "before": before, "after": after}


def test_the_branch_holds_exactly_the_edition(repo, edition):
    listed = _git(repo["path"], "ls-tree", "-r", "--name-only", "student").splitlines()
    files = sorted(str(p.relative_to(edition)) for p in edition.rglob("*") if p.is_file())
    assert sorted(listed) == files
    mode = _git(repo["path"], "ls-tree", "student", "postBuild").split()[0]
    assert mode == "100755"


def test_building_again_gives_the_same_tree_and_no_new_commit(repo):
    tree, sha, created = repo["first"]
    assert created
    assert repo["second"] == (tree, sha, False)
    assert _git(repo["path"], "rev-list", "--count", "student") == "1"


def test_committing_leaves_the_work_tree_index_and_branch_alone(repo):
    assert repo["after"] == repo["before"]
    assert "staged.md" not in _git(repo["path"], "ls-tree", "-r", "--name-only", "student")


# --- a fresh clone, installed as Binder would ---------------------------------------------------


def _binder_requirements(environment_yml):
    """environment.yml's packages as pip arguments, read by tests/test_environment.py's reader
    (conda's `python` and `pip` left out)."""
    spec = importlib.util.spec_from_file_location("environment_reader",
                                                  ROOT / "tests" / "test_environment.py")
    reader = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reader)
    env = reader.read_environment(environment_yml)
    packages = [d for d in env["dependencies"]
                if reader.requirement_name(d) not in ("python", "pip")]
    return packages + [arg for entry in env["pip"] for arg in shlex.split(entry)]


@pytest.fixture(scope="module")
def clone(tmp_path_factory, repo):
    """`git clone -b student`, a fresh venv, environment.yml's packages with pip, postBuild."""
    base = tmp_path_factory.mktemp("binder")
    clone = base / "nnlab"
    subprocess.run(["git", "clone", "-q", "-b", "student", str(repo["path"]), str(clone)],
                   check=True)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env['PATH']}",
               JUPYTER_CONFIG_DIR=str(base / "jupyter-config"), PIP_DISABLE_PIP_VERSION_CHECK="1")
    requirements = _binder_requirements(clone / "environment.yml")
    assert requirements[-2:] == ["-e", "."], requirements
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *requirements],
                   cwd=clone, env=env, check=True)
    subprocess.run(["bash", "./postBuild"], cwd=clone, env=env, check=True, capture_output=True)
    return {"path": clone, "venv": venv, "env": env}


def _execute(clone, notebook, allow_errors=False):
    """Run a notebook with the clone's Jupyter; the executed notebook."""
    output = notebook.with_name(notebook.stem + ".out.ipynb")
    result = subprocess.run(
        [str(clone["venv"] / "bin" / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
         f"--output={output.name}", "--ExecutePreprocessor.timeout=300",
         *(["--allow-errors"] if allow_errors else []), str(notebook)],
        cwd=notebook.parent, env=clone["env"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return nbformat.read(output, as_version=4)


def test_the_clone_installed_nnlab_from_itself(clone):
    out = subprocess.run([str(clone["venv"] / "bin" / "python"), "-c",
                          "import nnlab, json; print(json.dumps(nnlab.__file__))"],
                         cwd="/", env=clone["env"], capture_output=True, text=True, check=True)
    assert Path(json.loads(out.stdout)).is_relative_to(clone["path"])
    assert not (clone["path"] / "solutions").exists()


def test_lesson_01_runs_in_the_clone(clone):
    lesson = sorted((clone["path"] / "course").glob("01_*.ipynb"))[0]
    nb = _execute(clone, lesson)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors


def test_a_problem_set_from_the_clone_works_with_correct_answers(clone):
    """The released notebook from the clone, answers filled in: every visible test passes.
    Untouched, the tests fail, each with its own error rather than a broken notebook."""
    ps = ProblemSet(problem_sets()[0])
    released = clone["path"] / "assignments" / ps.name / ps.released_name
    nb = nbformat.read(released, as_version=4)
    for cell in nb.cells:
        if is_answer(cell):
            cell.source = ps.answers[nbgrader_meta(cell)["grade_id"]]
    answered = released.with_name("answered.ipynb")
    nbformat.write(nb, answered)
    done = _execute(clone, answered)
    tests = [c for c in done.cells if is_test(c)]
    assert tests and all(o.output_type == "stream" and o.name == "stdout"
                         for c in tests for o in c.outputs), "a visible test failed"

    untouched = _execute(clone, released, allow_errors=True)
    failed = [c for c in untouched.cells if is_test(c)
              and any(o.output_type == "error" for o in c.outputs)]
    assert len(failed) == len(tests)
    shutil.rmtree(clone["path"] / "assignments" / ps.name / ".ipynb_checkpoints",
                  ignore_errors=True)


def test_a_students_install_leaves_git_status_clean(edition, tmp_path):
    """The README's install (a venv, pip install -e ., JupyterLab) writes .venv/, *.egg-info/,
    __pycache__/ and checkpoints into the clone: the edition's .gitignore keeps them out of
    `git status`, which then shows only the student's own work."""
    clone = tmp_path / "clone"
    shutil.copytree(edition, clone)
    _git(clone, "init", "-q")
    _git(clone, "add", "-A")
    _git(clone, "-c", "user.email=s@example.org", "-c", "user.name=S", "commit", "-q", "-m", "e")
    for made in (".venv/bin/python", "nnlab.egg-info/PKG-INFO", "nnlab/__pycache__/a.pyc",
                 "course/.ipynb_checkpoints/01-checkpoint.ipynb", "build/lib/x.py"):
        (clone / made).parent.mkdir(parents=True, exist_ok=True)
        (clone / made).write_text("")
    assert _git(clone, "status", "--porcelain") == ""
    (clone / "course" / "my_notes.ipynb").write_text("{}")
    assert _git(clone, "status", "--porcelain") == "?? course/my_notes.ipynb"
