"""`make hub`: the course's JupyterHub on this machine, with a demonstration class, for an
instructor to try (as root; INSTRUCTORS.md, "A course JupyterHub").

It installs the hub (hub/classroom.py), publishes the student edition as a local git repository
for nbgitpuller (/srv/nnlab/student-edition), creates the users `teacher` (the instructor, with
the course in ~/nnlab) and `student1`, `student2` with fresh passwords, prints the passwords and
the links, and runs the hub on http://127.0.0.1:8000 until Ctrl-C. Running it again keeps the
users and their work (their passwords are new).
"""

import argparse
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

from hub import classroom

DEMO_ROOT = Path("/srv/nnlab")
INSTRUCTOR = "teacher"
STUDENTS = ("student1", "student2")


def publish_student_edition(dest=DEMO_ROOT / "student-edition"):
    """The student edition as a git repository at `dest`: what the demo's nbgitpuller links pull.

    A publish adds one commit on top of the last one (a fast-forward, as nbgitpuller's pull
    expects), and none when nothing changed; the first makes the repository.
    """
    import tempfile

    from tools.student_edition import build

    dest = Path(dest)
    env = dict(os.environ, GIT_AUTHOR_NAME="nnlab", GIT_AUTHOR_EMAIL="nnlab@localhost",
               GIT_COMMITTER_NAME="nnlab", GIT_COMMITTER_EMAIL="nnlab@localhost")

    def git(*args):
        return subprocess.run(["git", "-C", str(dest), *args], env=env, check=True,
                              capture_output=True, text=True)

    with tempfile.TemporaryDirectory() as scratch:
        built = Path(scratch) / "edition"
        build(classroom.REPO, built)
        dest.mkdir(parents=True, exist_ok=True)
        if not (dest / ".git").exists():
            git("init", "--quiet", "--initial-branch=main")
        for old in dest.iterdir():  # the new tree replaces the old one; the history stays
            if old.name != ".git":
                shutil.rmtree(old) if old.is_dir() and not old.is_symlink() else old.unlink()
        for new in built.iterdir():
            shutil.move(str(new), dest / new.name)
    git("add", "--all")
    if git("status", "--porcelain").stdout.strip():
        git("commit", "--quiet", "-m", "Student edition")
    return dest


def pull_link(hub_url, repo, notebook):
    """An nbgitpuller link that clones `repo` (a local path) into ~/nnlab and opens `notebook`
    in it: tools.links' link, the one INSTRUCTORS.md's links come from."""
    from tools.links import nbgitpuller_url

    return nbgitpuller_url(repo, "main", notebook, hub=hub_url)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m hub.demo", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8000,
                        help="the hub's port on 127.0.0.1 (default: %(default)s)")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        sys.exit("make hub creates Linux users and runs JupyterHub: run it as root")
    edition = publish_student_edition()
    classroom.install(safe_directories=[edition])
    passwords = {name: secrets.token_urlsafe(9) for name in (INSTRUCTOR, *STUDENTS)}
    classroom.add_instructor(INSTRUCTOR, passwords[INSTRUCTOR])
    for name in STUDENTS:
        classroom.add_student(name, passwords[name])
    url = f"http://127.0.0.1:{args.port}"
    lesson = sorted((edition / "course").glob("01_*.ipynb"))[0].relative_to(edition)
    print(f"\nThe course hub: {url}  (Ctrl-C stops it)\n")
    for name, password in passwords.items():
        role = "instructor" if name == INSTRUCTOR else "student"
        print(f"  {role:10} {name:10} password {password}")
    print(f"\nLesson 01 for a student (nbgitpuller):\n  {pull_link(url, edition, lesson)}")
    print(f"The instructor's course folder: ~{INSTRUCTOR}/nnlab (Nbgrader > Formgrader)\n",
          flush=True)
    classroom.main(["start", "--port", str(args.port)])


if __name__ == "__main__":
    main()
