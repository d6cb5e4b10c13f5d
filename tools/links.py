"""The lesson list with Binder links, generated from the notebooks and pyproject.toml.

The repository and branch are named in one place, ``[tool.nnlab]`` in pyproject.toml. From them
and from the notebooks in course/ this module writes the lesson table (number, title, one-line
summary, a Binder launch link) between the markers

    <!-- lessons:start -->
    <!-- lessons:end -->

in README.md and course/README.md, plus a Binder badge that opens lesson 01; and the
nbgitpuller links of INSTRUCTORS.md (lesson 01 and each problem set on a JupyterHub) between
``<!-- nbgitpuller:start -->`` and ``<!-- nbgitpuller:end -->``.

    python -m tools.links            rewrite both files
    python -m tools.links --check    exit 1 (and say which file) if either is out of date

A lesson's title is the first heading of its first markdown cell ("# 01 · The neuron" gives
"The neuron"); its summary is ``metadata["nnlab"]["summary"]`` when the notebook has one, else
the first sentence of the first paragraph after that heading.
"""

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START = "<!-- lessons:start -->"
END = "<!-- lessons:end -->"
#: INSTRUCTORS.md's nbgitpuller links (section 7) are generated between these
PULL_START = "<!-- nbgitpuller:start -->"
PULL_END = "<!-- nbgitpuller:end -->"
BADGE = "https://mybinder.org/badge_logo.svg"
#: course/NN_short_name.ipynb
LESSON_FILE = re.compile(r"^(\d\d)_[a-z0-9_]+\.ipynb$")


# ---------------------------------------------------------------- configuration
def read_config(pyproject=ROOT / "pyproject.toml"):
    """(repository, branch) that students' links open, from ``[tool.nnlab]`` of pyproject.toml.

    The branch is ``student_branch`` when the table sets it (the student edition that
    `make student-edition` builds, without the answers), else ``branch``.
    """
    text = Path(pyproject).read_text(encoding="utf-8")
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: read the two keys with a regular expression
        table = _nnlab_table(text)
    else:
        table = tomllib.loads(text).get("tool", {}).get("nnlab", {})
    missing = [key for key in ("repository", "branch") if not table.get(key)]
    if missing:
        raise ValueError(f"{pyproject} must set {', '.join(missing)} in its [tool.nnlab] table, "
                         f'e.g. repository = "owner/name" and branch = "main"')
    return table["repository"], table.get("student_branch") or table["branch"]


def _nnlab_table(text):
    """The string keys of the [tool.nnlab] table, without a TOML parser."""
    section = re.search(r"^\[tool\.nnlab\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    if section is None:
        return {}
    pairs = re.findall(r'^\s*([A-Za-z_][\w-]*)\s*=\s*"([^"]*)"', section.group(1), re.M)
    return dict(pairs)


def binder_url(repository, branch, notebook):
    """Launch link that opens `notebook` (a file name in course/) in JupyterLab on Binder."""
    return (f"https://mybinder.org/v2/gh/{repository}/{branch}"
            f"?urlpath=lab/tree/course/{notebook}")


def nbgitpuller_url(repository, branch, path, hub="https://HUB", folder="nnlab"):
    """Link that clones `repository` (GitHub's owner/name, or any git URL or absolute path)
    into ~/<folder> on a JupyterHub with nbgitpuller, or pulls its updates, and opens `path`
    (relative to the repository) in JupyterLab.

    >>> nbgitpuller_url("org/course", "student", "course/01_the_neuron.ipynb")
    'https://HUB/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Forg%2Fcourse&branch=student&targetpath=nnlab&urlpath=lab%2Ftree%2Fnnlab%2Fcourse%2F01_the_neuron.ipynb'
    >>> nbgitpuller_url("/srv/edition", "main", "x.ipynb", hub="http://127.0.0.1:8000")
    'http://127.0.0.1:8000/hub/user-redirect/git-pull?repo=%2Fsrv%2Fedition&branch=main&targetpath=nnlab&urlpath=lab%2Ftree%2Fnnlab%2Fx.ipynb'
    """
    from urllib.parse import urlencode

    repository = str(repository)
    if "://" not in repository and not repository.startswith("/"):
        repository = f"https://github.com/{repository}"
    query = urlencode({"repo": repository, "branch": branch,
                       "targetpath": folder, "urlpath": f"lab/tree/{folder}/{path}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


# ---------------------------------------------------------------- reading the lessons
def lessons(course=ROOT / "course"):
    """One dict per lesson notebook, in order: number, file, title, summary."""
    found = []
    for path in sorted(Path(course).glob("*.ipynb")):
        match = LESSON_FILE.match(path.name)
        if match is None:
            continue
        title, summary = describe(path)
        found.append({"number": match.group(1), "file": path.name, "title": title,
                      "summary": summary})
    return found


def describe(path):
    """(title, summary) of one notebook; see the module docstring."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    title, paragraphs = None, []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell.get("source", ""))
        heading = re.search(r"^#\s+(.+?)\s*$", source, re.M)
        if heading is None:
            continue
        title = _strip_number(heading.group(1))
        after = source[heading.end():]
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", after) if p.strip()]
        break
    if title is None:
        raise ValueError(f"{path} has no markdown heading ('# Title') to take its title from")
    summary = nb.get("metadata", {}).get("nnlab", {}).get("summary")
    if not summary:
        text = next((p for p in paragraphs if not p.startswith(("#", "!", "|", "<"))), "")
        summary = _first_sentence(text)
    return title, " ".join(summary.split())


def _strip_number(title):
    """'01 · The neuron', 'Lesson 1: The neuron' -> 'The neuron'."""
    return re.sub(r"^(lesson\s*)?\d+\s*[·:.\-–—]?\s*", "", title.strip(), flags=re.I) or title


def _first_sentence(text):
    text = " ".join(text.split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return match.group(1) if match else text


# ---------------------------------------------------------------- writing the section
def render(lessons_, repository, branch):
    """The generated Markdown between the markers (without the markers)."""
    lines = ["## Lessons", ""]
    if lessons_:
        first = binder_url(repository, branch, lessons_[0]["file"])
        lines += [f"[![Binder]({BADGE})]({first}) Launch the course in your browser, "
                  "no installation needed (the first start takes a minute or two).", ""]
    lines += ["| # | lesson | what it is about | run it |",
              "|---|--------|------------------|--------|"]
    for lesson in lessons_:
        url = binder_url(repository, branch, lesson["file"])
        summary = lesson["summary"].replace("|", "\\|")
        lines.append(f"| {lesson['number']} | [{lesson['title']}](course/{lesson['file']}) "
                     f"| {summary} | [Binder]({url}) |")
    return "\n".join(lines)


def render_pull(repository, branch, lessons_, sets):
    """The nbgitpuller links of INSTRUCTORS.md: lesson 01 and each problem set (HUB stands for
    the hub's address)."""
    paths = [f"course/{lessons_[0]['file']}"] if lessons_ else []
    paths += [f"assignments/{name}/{name}.ipynb" for name in sets]
    lines = ["```"]
    for path in paths:
        lines += [f"# {path}", nbgitpuller_url(repository, branch, path)]
    return "\n".join(lines + ["```"])


def _section(text, path, start=START, end=END):
    if text.count(start) != 1 or text.count(end) != 1 or text.index(start) > text.index(end):
        raise ValueError(f"{path} must contain the markers {start} and {end} once each, "
                         "in that order")
    head, rest = text.split(start)
    _, tail = rest.split(end)
    return head, tail


def updated(text, section, path, prefix=""):
    """`text` with the part between the markers replaced by `section`.

    `prefix` is put in front of the links to the notebooks ('' from course/, 'course/' from the
    top of the repository).
    """
    head, tail = _section(text, path)
    if prefix != "course/":
        section = section.replace("](course/", f"]({prefix}")
    return f"{head}{START}\n{section}\n{END}{tail}"


def targets(root=ROOT):
    """The files that carry the lesson list, with the prefix their links to notebooks need."""
    return [(Path(root) / "README.md", "course/"), (Path(root) / "course" / "README.md", "")]


def generate(root=ROOT):
    """{path: (current text, up-to-date text)} for every file that carries the lesson list."""
    root = Path(root)
    repository, branch = read_config(root / "pyproject.toml")
    section = render(lessons(root / "course"), repository, branch)
    result = {}
    for path, prefix in targets(root):
        current = path.read_text(encoding="utf-8")
        result[path] = (current, updated(current, section, path, prefix))
    instructors = root / "INSTRUCTORS.md"
    if instructors.exists() and PULL_START in instructors.read_text(encoding="utf-8"):
        current = instructors.read_text(encoding="utf-8")
        sets = sorted(p.name for p in (root / "assignments").iterdir()
                      if p.is_dir() and (p / f"{p.name}.ipynb").exists()) \
            if (root / "assignments").is_dir() else []
        head, tail = _section(current, instructors, PULL_START, PULL_END)
        block = render_pull(repository, branch, lessons(root / "course"), sets)
        result[instructors] = (current, f"{head}{PULL_START}\n{block}\n{PULL_END}{tail}")
    return result


def out_of_date(root=ROOT):
    """Paths whose lesson list differs from what would be generated now."""
    return [path for path, (old, new) in generate(root).items() if old != new]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.links",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if a lesson list is out of date")
    args = parser.parse_args(argv)
    stale = []
    for path, (old, new) in generate().items():
        if old == new:
            continue
        stale.append(path)
        if not args.check:
            path.write_text(new, encoding="utf-8")
    relative = [str(p.relative_to(ROOT)) for p in stale]
    if args.check:
        if stale:
            print(f"out of date: {', '.join(relative)}; run `python -m tools.links`")
            return 1
        print("lesson lists are up to date")
        return 0
    print(f"updated {', '.join(relative)}" if stale else "lesson lists were already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
