"""hub/demo.py (`make hub`) pieces that need no root: its --help, and publishing the student
edition as fast-forward commits (what nbgitpuller's weekly pull needs)."""

import subprocess
import sys
from pathlib import Path

from hub import demo

REPO = Path(__file__).resolve().parents[2]


def test_help_is_whole():
    out = subprocess.run([sys.executable, "-m", "hub.demo", "--help"], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout
    assert out.startswith("usage: python -m hub.demo")
    assert "until Ctrl-C" in out and "their passwords are new)." in out
    assert "--port PORT  the hub's port" in out


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_publishing_again_adds_a_fast_forward_commit_or_none(tmp_path, monkeypatch):
    edition = {"README.md": "# week 1\n", "course/01.ipynb": "{}"}

    def fake_build(source_root, dest):  # stands in for tools.student_edition.build
        for name, text in edition.items():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_text(text)

    monkeypatch.setattr("tools.student_edition.build", fake_build)
    dest = tmp_path / "student-edition"
    demo.publish_student_edition(dest)
    first = git(dest, "rev-parse", "HEAD")
    demo.publish_student_edition(dest)
    assert git(dest, "rev-parse", "HEAD") == first, "an unchanged edition adds no commit"

    edition["README.md"] = "# week 2\n"
    del edition["course/01.ipynb"]
    edition["course/02.ipynb"] = "{}"
    demo.publish_student_edition(dest)
    assert git(dest, "rev-list", "--parents", "-n", "1", "HEAD").split()[1:] == [first]
    assert git(dest, "ls-files").split() == ["README.md", "course/02.ipynb"]
    assert (dest / "README.md").read_text() == "# week 2\n"


def test_the_exchange_service_help_names_its_environment():
    out = subprocess.run([sys.executable, "-m", "hub.exchange.service", "--help"], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout
    assert "usage: python -m hub.exchange.service" in out and "JUPYTERHUB_API_TOKEN" in out
