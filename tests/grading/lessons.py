"""What a student can copy from the lessons: the answers behind every "Answer" button.

Each lesson's try-this prompts have their answers in collapsible `<details>` blocks of its
markdown. A student who copies the lessons copies those too; the simulated copier of
test_simulated_class.py does, for the parts of a problem set they answer (each cases file names
them in FROM_LESSONS, with the words that give the answer away).
"""

import re
from functools import cache

import nbformat
from harness import ROOT

DETAILS = re.compile(r"<details>(.*?)</details>", re.S)


def _plain(text):
    """Whitespace folded to single spaces, so that a quote may cross a line break."""
    return " ".join(text.split())


@cache
def lesson_markdown():
    """{lesson file stem: [the source of each markdown cell]} for every lesson of course/."""
    lessons = {}
    for path in sorted((ROOT / "course").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        lessons[path.stem] = [c.source for c in nb.cells if c.cell_type == "markdown"]
    return lessons


def lesson_answers():
    """{lesson file stem: [the text of each <details> answer block]}."""
    return {stem: [_plain(m.group(1)) for cell in cells for m in DETAILS.finditer(cell)]
            for stem, cells in lesson_markdown().items()}


def answer_quoting(lesson, quote):
    """The answer block of `lesson` (a file stem such as "04_the_perceptron") that contains
    `quote` (whitespace folded), or None."""
    for answer in lesson_answers().get(lesson, []):
        if _plain(quote) in answer:
            return answer
    return None


def lessons_matching(pattern):
    """[(lesson stem, matched text)] for every lesson markdown cell where the regular expression
    `pattern` matches (case-insensitive, whitespace folded)."""
    found = []
    for stem, cells in lesson_markdown().items():
        for cell in cells:
            match = re.search(pattern, _plain(cell), re.I)
            if match:
                found.append((stem, match.group(0)))
    return found
