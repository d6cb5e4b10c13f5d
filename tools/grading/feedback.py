"""Feedback without hidden tests.

nbgrader writes feedback from the autograded notebook, into which `autograde` has restored the
hidden tests (nbgrader issues #917, #1363): a student would read them in the feedback HTML. The
preprocessor `RedactHiddenTests` runs last when feedback is generated and, in every test cell,

- replaces each region between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS`` by one
  comment line, so the visible asserts stay as they were and the hidden ones are gone;
- replaces each error's traceback (which quotes the lines around the failure, hidden ones
  included) by the error's name and message, plus the failing line when it is a visible one:
  "AssertionError: step(0) must be 1" says what failed without showing how it was tested;

and, in every cell, drops output lines that quote a hidden test (a student's code could print
the source of the test calling it). The score of each test cell is nbgrader's, shown as usual.

`mark_waiting` then marks a feedback page whose written answers still wait for a grader (at
the top and at each such question: nbgrader shows them as 0).
"""

import re
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

__all__ = ["RedactHiddenTests", "configure", "redact_source", "HIDDEN_NOTE", "mark_waiting"]

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
HIDDEN_NOTE = "# ... hidden tests ran here (their code is not shown) ..."
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CELL_LINE = re.compile(r"(?:Cell In\s*\[\d*\]|<ipython-input-[^>]*>|File [^,]*),? line (\d+)")
#: Output lines are dropped when they quote a hidden line at least this long (shorter lines,
#: like `import nnlab`, say nothing a student does not know).
MIN_QUOTE = 16


def redact_source(source):
    """(source with each hidden region replaced by one comment, hidden line numbers (1-based),
    the hidden lines' text).

    Examples
    --------
    >>> text, hidden, lines = redact_source("assert a\\n### BEGIN HIDDEN TESTS\\nassert b\\n"
    ...                                     "### END HIDDEN TESTS\\nprint('ok')")
    >>> print(text)
    assert a
    # ... hidden tests ran here (their code is not shown) ...
    print('ok')
    >>> hidden, lines
    ({2, 3, 4}, ['assert b'])
    """
    kept, hidden, secret, inside = [], set(), [], False
    for number, line in enumerate(source.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith(BEGIN):
            inside = True
            hidden.add(number)
            kept.append(line[:len(line) - len(line.lstrip())] + HIDDEN_NOTE)
        elif inside:
            hidden.add(number)
            if stripped.startswith(END):
                inside = False
            elif stripped:
                secret.append(stripped)
        else:
            kept.append(line)
    return "\n".join(kept), hidden, secret


def _is_test(cell):
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and meta.get("grade") and not meta.get("solution")


class RedactHiddenTests(Preprocessor):
    """Remove hidden tests, and tracebacks that quote them, from a notebook (see the module)."""

    enabled = Bool(True, help="nbconvert preprocessors are off by default; this one never is")

    def preprocess(self, nb, resources):
        secrets, hidden_lines = [], {}
        for index, cell in enumerate(nb.cells):
            if _is_test(cell) and BEGIN in cell.source:
                original = cell.source.split("\n")
                cell.source, hidden, secret = redact_source(cell.source)
                hidden_lines[index] = (hidden, original)
                secrets += [s for s in secret if len(s) >= MIN_QUOTE]
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            hidden, original = hidden_lines.get(index, (set(), []))
            cell.outputs = [out for out in (self._output(o, hidden, original, secrets)
                                            for o in cell.outputs) if out is not None]
        return nb, resources

    @staticmethod
    def _quotes(text, secrets):
        return any(s in text for s in secrets)

    def _clean(self, text, secrets):
        return "".join(line for line in text.splitlines(keepends=True)
                       if not self._quotes(line, secrets))

    def _output(self, output, hidden, original, secrets):
        if output.output_type == "error":
            return self._error(output, hidden, original, secrets)
        if output.output_type == "stream":
            output.text = self._clean(output.text, secrets)
            return output if output.text else None
        for key, value in list(output.get("data", {}).items()):
            text = "".join(value) if isinstance(value, list) else value
            if isinstance(text, str) and self._quotes(text, secrets):
                if key != "text/plain":
                    del output.data[key]
                else:
                    output.data[key] = self._clean(text, secrets)
        return output if output.get("data") or output.output_type != "display_data" else None

    def _error(self, output, hidden, original, secrets):
        """Name and message of the error, and the failing line if the student may see it."""
        plain = [ANSI.sub("", line) for line in output.get("traceback", [])]
        numbers = [int(m.group(1)) for line in plain for m in CELL_LINE.finditer(line)]
        message = self._clean(str(output.get("evalue", "")), secrets).strip()
        name = output.get("ename", "Error")
        lines = [f"{name}: {message}" if message else name]
        if original and numbers:
            line = numbers[0]
            if line in hidden:
                lines.append("(in a hidden test: it checks your answer on other inputs and "
                             "edge cases; the message above says what it found)")
            elif 0 < line <= len(original):
                lines.append(f"(at line {line}: {original[line - 1].strip()})")
        output.evalue = message
        output.traceback = lines
        return output


def configure(config):
    """Make nbgrader's feedback redact hidden tests (an nbgrader traitlets Config)."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    config.GenerateFeedback.preprocessors = [GetGrades, CSSHTMLHeaderPreprocessor,
                                             RedactHiddenTests]
    return config


def mark_waiting(course_dir, assignment, student, questions):
    """Say at the top of each feedback page, and at each question, that the written answers
    wait for a grader: the score shown is not final (nbgrader prints 0 for them)."""
    import html

    from tools import grades_table
    from tools.collect_report import write_atomic

    text = grades_table.waiting_text(questions)
    banner = (f'<div class="nnlab-waiting" style="border:2px solid #b35900;padding:0.5em;'
              f'margin:0.5em 0;font-weight:bold">{html.escape(text)}. The score below is not '
              "final: a grader has not read these answers yet.</div>")
    for page in (Path(course_dir) / "feedback" / student / assignment).glob("*.html"):
        content = page.read_text(encoding="utf-8")
        if "nnlab-waiting" in content:
            continue
        for name, points in questions:
            said = f"{grades_table.WAITING}, {points:g} points"
            # nbgrader's table of contents: <a href="#name">Written response</a> (Score: 0 / 2)
            content = re.sub(rf'(href="#{re.escape(name)}">[^<]*</a>\s*)\(Score: [^)]*\)',
                             lambda m, said=said: f"{m.group(1)}({said})", content)
            # and the cell's heading: <a name="name"></a>...Score: 0.0 / 2.0 <a href="#top">
            content = re.sub(rf'(<a name="{re.escape(name)}"></a>.{{0,400}}?)Score: [\d.]+ / '
                             r"[\d.]+", lambda m, said=said: f"{m.group(1)}{said}", content,
                             flags=re.S)
        content = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, content, count=1)
        write_atomic(page, content.encode("utf-8"))
