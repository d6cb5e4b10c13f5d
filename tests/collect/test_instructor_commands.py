"""The instructor's commands say what they do (issue #29): `make release SET=...` and
`make grade SET=...` pass the sets on, `make student-edition` names the repository its links open
and the push command, and warns when it was built from uncommitted changes; the nbgitpuller
links of INSTRUCTORS.md follow [tool.nnlab]."""

import contextlib
import io
import shutil
import subprocess
import sys

import pytest
from harness import ROOT

from tools import links, student_edition


def make_n(*args):
    """What make would run (make -n), with the course environment taken as installed."""
    result = subprocess.run(["make", "-n", "--no-print-directory", "-C", str(ROOT), *args,
                             "NNLAB_ENV=.venv"],
                            capture_output=True, text=True, check=True)
    return " ".join(result.stdout.replace("\\\n", " ").split())


def test_make_release_releases_only_the_sets_named():
    assert make_n("release", "SET=ps1_neurons_and_gates ps2_perceptron").endswith(
        "-m tools.release ps1_neurons_and_gates ps2_perceptron")
    assert make_n("release").endswith("-m tools.release")


def test_make_grade_passes_the_sets_and_the_export_options():
    command = make_n("grade", "SET=ps1_neurons_and_gates ps2_perceptron", "TO_LMS=canvas",
                     "ALLOW_UNGRADED=1")
    assert '--assignment "ps1_neurons_and_gates" --assignment "ps2_perceptron"' in command
    assert '--to-lms "canvas"' in command and "--allow-ungraded" in command
    assert "--assignment" not in make_n("grade") and "--allow-ungraded" not in make_n("grade")


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def source(tmp_path):
    """A small course repository: README, one lesson, one set, nnlab/, [tool.nnlab]."""
    repo = tmp_path / "source"
    for folder in ("course", "assignments/ps1", "nnlab"):
        (repo / folder).mkdir(parents=True)
    (repo / "README.md").write_text("# Course\n")
    (repo / "course" / "01_the_neuron.ipynb").write_text("{}")
    (repo / "assignments" / "ps1" / "ps1.ipynb").write_text("{}")
    (repo / "nnlab" / "__init__.py").write_text("")
    (repo / "pyproject.toml").write_text('[tool.nnlab]\nrepository = "uni-x/nn-course"\n'
                                         'branch = "main"\nstudent_branch = "main"\n')
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-q", "-m", "start")
    return repo


def edition(repo, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert student_edition.main(["--dest", str(tmp_path / "build")], root=repo) == 0
    return out.getvalue(), err.getvalue()


def test_student_edition_prints_the_repository_and_the_push_command(source, tmp_path):
    out, err = edition(source, tmp_path)
    assert err == ""
    assert "open github.com/uni-x/nn-course, branch main" in out
    assert "git remote add public git@github.com:uni-x/nn-course.git" in out
    assert "git push public student:main" in out
    assert "project's own repository" not in out
    git(source, "remote", "add", "origin", "git@github.com:uni-x/nn-course.git")
    assert "git push origin student:main" in edition(source, tmp_path)[0]


def test_student_edition_warns_when_built_from_uncommitted_changes(source, tmp_path):
    head = git(source, "rev-parse", "--short", "HEAD").strip()
    (source / "course" / "01_the_neuron.ipynb").write_text('{"changed": 1}')
    _, err = edition(source, tmp_path)
    assert "WARNING: built from uncommitted changes (course/01_the_neuron.ipynb)" in err
    message = git(source, "log", "-1", "--format=%s", "student")
    assert message.startswith(f"Student edition built from {head} plus uncommitted changes "
                              "to course/01_the_neuron.ipynb")


def test_the_project_repository_is_named_as_a_default_to_change():
    lines = "\n".join(student_edition.next_steps(ROOT))
    assert "nnlab-course/nnlab" in lines and "set `repository`" in lines


def test_nbgitpuller_links_follow_tool_nnlab(tmp_path):
    root = tmp_path / "copy"
    for name in ("course", "assignments"):
        shutil.copytree(ROOT / name, root / name)
    for name in ("README.md", "INSTRUCTORS.md", "pyproject.toml"):
        shutil.copy(ROOT / name, root / name)
    text = (root / "pyproject.toml").read_text()
    (root / "pyproject.toml").write_text(text.replace('repository = "nnlab-course/nnlab"',
                                                      'repository = "uni-x/nn-course"'))
    _, new = links.generate(root)[root / "INSTRUCTORS.md"]
    block = new.split(links.PULL_START)[1].split(links.PULL_END)[0]
    assert block.count("git-pull?repo=https%3A%2F%2Fgithub.com%2Funi-x%2Fnn-course") == \
        1 + len(list((ROOT / "assignments").glob("*/*.ipynb")))
    assert "nnlab-course" not in block


@pytest.mark.parametrize("tool", ["grade", "collect", "release", "lms_export", "notices"])
def test_help_names_the_command_an_instructor_types(tool):
    result = subprocess.run([sys.executable, "-m", f"tools.{tool}", "--help"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert result.stdout.startswith(f"usage: python -m tools.{tool}"), result.stdout[:80]
