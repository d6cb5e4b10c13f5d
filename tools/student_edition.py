"""The student edition: the repository as a student should see it, on the branch `student`.

    python -m tools.student_edition            # what `make student-edition` runs
    python -m tools.student_edition --no-commit

The source repository holds the answers: `solutions/` (model answers, hidden tests), the grading
cases in `tests/grading/cases/`, the instructors' tools. Students get a tree built from it that
holds none of them:

- the README for students (README.md with its source-only parts removed and its student-only
  parts shown, see `student_readme`);
- `course/`, `assignments/` (the released problem sets, made by `make release`), `nnlab/`;
- `pyproject.toml`, `environment.yml`, `postBuild` (what Binder needs), the licences and the
  citation file.

`build` writes that tree to `build/student/`; `commit` records it as one commit on the local
branch `student` with git's plumbing and a temporary index, so the user's work tree, index and
current branch are never touched. The same source gives the same tree (same tree hash); a build
whose tree is already the branch's last commit adds no commit. Publishing the branch is the
instructor's step (INSTRUCTORS.md): `main` ends by printing the push command and the repository
the edition's links open, and warns when the edition was built from uncommitted changes (its
commit message then says so).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

__all__ = ["INCLUDE", "FORBIDDEN_FOLDERS", "student_files", "student_readme", "build", "commit",
           "uncommitted", "next_steps"]

#: Top-level files and folders of the student edition (LICENSE* are added when present).
INCLUDE = ("course", "assignments", "nnlab", "pyproject.toml", "environment.yml", "postBuild",
           "CITATION.cff", "CHANGELOG.md")
#: Never in the student edition, wherever they appear (answers, instructor tools, by-products).
FORBIDDEN_FOLDERS = {"solutions", "tests", "tools", "submitted", "autograded", "feedback",
                     "downloaded", "__pycache__", ".ipynb_checkpoints"}
#: File names that never go to students (gradebook, grades, nbgrader's config with the source
#: directory), whatever folder they are in.
FORBIDDEN_NAMES = {"gradebook.db", "grades.csv", ".nbgrader.log", "nbgrader_config.py"}

SOURCE_ONLY = re.compile(r"<!-- source-only:start -->.*?<!-- source-only:end -->\n?", re.S)
STUDENT_ONLY = re.compile(r"<!-- student-only:start\n(.*?)student-only:end -->\n?", re.S)


def student_readme(text):
    """The README for students, from the repository's README.

    Parts between ``<!-- source-only:start -->`` and ``<!-- source-only:end -->`` are removed;
    parts written as the comment ``<!-- student-only:start`` ... ``student-only:end -->`` are
    shown. One README, two audiences.

    Examples
    --------
    >>> student_readme("A\\n<!-- source-only:start -->\\nmake test\\n<!-- source-only:end -->\\n"
    ...                "<!-- student-only:start\\npip install\\nstudent-only:end -->\\nB\\n")
    'A\\npip install\\nB\\n'
    """
    text = SOURCE_ONLY.sub("", text)
    return STUDENT_ONLY.sub(lambda m: m.group(1), text)


def _tracked(source_root):
    """Files git would commit (tracked, or new and not ignored), or None outside a repository."""
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"],
                             cwd=source_root, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {Path(p) for p in out.decode().split("\0") if p}


#: What a student's own install (README: a venv and `pip install -e .`) and JupyterLab write
#: into their clone of the edition: ignored, so `git status` shows only the student's work.
STUDENT_GITIGNORE = """\
.venv/
*.egg-info/
__pycache__/
.ipynb_checkpoints/
build/
dist/
"""


def student_files(source_root=ROOT):
    """Paths (relative to source_root) of the files that go into the student edition, sorted.

    In a git repository, only files git would commit (ignored files such as caches and
    downloaded data stay out); elsewhere every file under the included folders.
    """
    source_root = Path(source_root)
    tracked = _tracked(source_root)
    top = list(INCLUDE) + sorted(p.name for p in source_root.glob("LICENSE*"))
    found = []
    for name in top:
        path = source_root / name
        candidates = [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []
        for file in candidates:
            relative = file.relative_to(source_root)
            if not file.is_file() or FORBIDDEN_FOLDERS & set(relative.parts[:-1]) \
                    or relative.name in FORBIDDEN_NAMES or relative.suffix == ".pyc" \
                    or any(part.endswith(".egg-info") for part in relative.parts):
                continue
            if tracked is not None and relative not in tracked:
                continue
            found.append(relative)
    return sorted(set(found))


def build(source_root=ROOT, dest=None):
    """Write the student edition of `source_root` into `dest` (default: build/student/).

    `dest` is emptied first, so the result depends on the source only.

    Parameters
    ----------
    source_root : path
        The source repository (course/, assignments/, nnlab/, README.md, ...).
    dest : path, optional
        The folder to (re)create.

    Returns
    -------
    Path of `dest`.
    """
    source_root = Path(source_root).resolve()
    dest = Path(dest or source_root / "build" / "student").resolve()
    if dest == source_root or source_root.is_relative_to(dest):
        raise ValueError(f"dest must be a folder outside the source, but got {dest}")
    for required in ("README.md", "assignments", "course", "nnlab"):
        if not (source_root / required).exists():
            raise ValueError(f"source_root {source_root} has no {required}: is it the course "
                             "repository?")
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for relative in student_files(source_root):
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source_root / relative, target)
    readme = (source_root / "README.md").read_text(encoding="utf-8")
    (dest / "README.md").write_text(student_readme(readme), encoding="utf-8")
    (dest / ".gitignore").write_text(STUDENT_GITIGNORE, encoding="utf-8")
    return dest


def _git(repo, *args, env=None, input=None):
    result = subprocess.run(["git", *args], cwd=repo, env=env, input=input, capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {result.stderr.decode().strip()}")
    return result.stdout.decode().strip()


def commit(tree_dir, repo=ROOT, branch="student", message=None):
    """Commit the files of `tree_dir` as the whole tree of `branch` in `repo`.

    Uses a temporary index (GIT_INDEX_FILE), `hash-object`, `update-index`, `write-tree` and
    `commit-tree`: the work tree, the index and HEAD of `repo` stay as they are.

    Returns
    -------
    (tree hash, commit hash, created): `created` is False when the branch already had this tree
    (no commit is added then).
    """
    tree_dir = Path(tree_dir).resolve()
    files = sorted(p for p in tree_dir.rglob("*") if p.is_file())
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(scratch) / "index")}
        hashes = _git(repo, "hash-object", "-w", "--no-filters", "--stdin-paths", env=env,
                      input="\n".join(str(p) for p in files).encode()).split()
        entries = "".join(
            f"{'100755' if os.access(p, os.X_OK) else '100644'} {sha}\t"
            f"{p.relative_to(tree_dir).as_posix()}\n" for p, sha in zip(files, hashes))
        _git(repo, "update-index", "--add", "--index-info", env=env, input=entries.encode())
        tree = _git(repo, "write-tree", env=env)
    ref = f"refs/heads/{branch}"
    parent = subprocess.run(["git", "rev-parse", "--verify", "-q", ref], cwd=repo,
                            capture_output=True, text=True).stdout.strip()
    if parent and _git(repo, "rev-parse", f"{parent}^{{tree}}") == tree:
        return tree, parent, False
    if message is None:
        source = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo,
                                capture_output=True, text=True).stdout.strip() or "unknown"
        message = f"Student edition built from {source} (make student-edition)"
    args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
    identity = {}
    if not subprocess.run(["git", "config", "user.email"], cwd=repo,
                          capture_output=True).stdout.strip():
        identity = {f"GIT_{who}_{what}": value for who in ("AUTHOR", "COMMITTER")
                    for what, value in (("NAME", "nnlab student edition"),
                                        ("EMAIL", "student-edition@nnlab.invalid"))}
    new = _git(repo, *args, env={**os.environ, **identity})
    _git(repo, "update-ref", ref, new, *([parent] if parent else []))
    return tree, new, True


def uncommitted(source_root=ROOT):
    """Files of the edition (README.md included) whose state in the work tree is not committed:
    modified, staged, or new and not ignored. [] when clean or outside a repository."""
    paths = ["README.md", *INCLUDE, *sorted(p.name for p in Path(source_root).glob("LICENSE*"))]
    result = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all", "--",
                             *paths], cwd=source_root, capture_output=True, text=True)
    if result.returncode != 0:
        return []
    return [line[3:] for line in result.stdout.splitlines() if line.strip()]


def next_steps(source_root=ROOT, branch="student"):
    """What to do after a build: where the links point, and the push command.

    The links of the edition (Binder, nbgitpuller) open `repository` at `student_branch` of
    ``[tool.nnlab]`` in pyproject.toml (tools.links); the local branch `branch` must reach it.
    """
    from tools.links import read_config

    repository, published = read_config(Path(source_root) / "pyproject.toml")
    lines = [f"The edition's Binder and nbgitpuller links open github.com/{repository}, branch "
             f"{published} ([tool.nnlab] in pyproject.toml)."]
    if repository == "nnlab-course/nnlab":
        lines.append("  That is the project's own repository: set `repository` (and "
                     "`student_branch`) in [tool.nnlab] to yours, run `python -m tools.links` "
                     "and `make student-edition` again (INSTRUCTORS.md, section 2).")
    remotes = subprocess.run(["git", "remote", "-v"], cwd=source_root, capture_output=True,
                             text=True).stdout.split("\n")
    remote = next((line.split()[0] for line in remotes
                   if repository.lower() in line.lower().replace(":", "/")), None)
    target = branch if published == branch else f"{branch}:{published}"
    if remote is None:
        lines.append("Publish it (no remote of this repository points at "
                     f"github.com/{repository} yet):\n"
                     f"  git remote add public git@github.com:{repository}.git\n"
                     f"  git push public {target}")
    else:
        lines.append(f"Publish it:\n  git push {remote} {target}")
    return lines


def main(argv=None, root=ROOT):
    parser = argparse.ArgumentParser(prog="python -m tools.student_edition",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--dest", default=str(root / "build" / "student"),
                        help="where to write the tree (default: build/student)")
    parser.add_argument("--branch", default="student",
                        help="branch to commit to (default: student)")
    parser.add_argument("--no-commit", action="store_true", help="only write the folder")
    args = parser.parse_args(argv)
    dest = build(root, args.dest)
    count = sum(1 for p in dest.rglob("*") if p.is_file())
    print(f"student edition: {count} files in {dest}")
    dirty = uncommitted(root)
    if dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        print(f"WARNING: built from uncommitted changes ({shown}): the edition holds them, but "
              "no commit of this repository does. Commit them and run make student-edition "
              "again.", file=sys.stderr)
    if not args.no_commit:
        message = None
        if dirty:
            head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                                  capture_output=True, text=True).stdout.strip() or "unknown"
            message = (f"Student edition built from {head} plus uncommitted changes to "
                       f"{', '.join(dirty)} (make student-edition)")
        tree, sha, created = commit(dest, root, args.branch, message)
        state = "committed" if created else "unchanged, no new commit"
        print(f"branch {args.branch}: {sha[:12]} (tree {tree[:12]}), {state}; "
              f"see it with `git ls-tree -r {args.branch}`")
        for line in next_steps(root, args.branch):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
