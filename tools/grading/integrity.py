"""Tamper-resistant autograding: the grader's side of the integrity guard.

Threat: a student who can put any Python in an answer cell and knows this repository. Student
code and the tests share one kernel, so an answer cell can replace `np.allclose`, the `nnlab`
functions the hidden tests compare with, or IPython's error display, and turn failed tests into
points. `GuardedExecute` replaces nbgrader's `Execute` step of `autograde`:

1. it starts the kernel with the guard (tools/grading/guard.py) as its first line, handing it,
   through a file the guard reads and deletes, a fresh random key, the hashes of the test cells
   and the module names the instructor's cells bind (`np` -> numpy, ...);
2. after each test cell it runs a probe cell with a fresh random nonce, so that the guard checks
   again what the test cell's call into student code may have changed;
3. when the notebook has run it reads the guard's signed record and decides, per test cell:
   a cell scores 0 (an `IntegrityError` output, which nbgrader grades as a failed test) if the
   guard found the references or the cell-running machinery tampered with *while* it ran, if its
   code never started under the guard, or if the record is incomplete or forged. Changes made
   *before* a test cell are undone by the guard before the test's code runs: the test then
   grades the answers honestly. Either way the submission is flagged, with the reasons.

Flags are written to `autograded/<student>/<set>/integrity.json` and reported by `make grade`
and in the `flags` column of grades.csv.
"""

import ast
import json
import os
import secrets
import shutil
import stat
import tempfile
from pathlib import Path

from nbformat.notebooknode import NotebookNode
from nbformat.v4 import new_code_cell
from nbgrader.preprocessors import Execute

from tools.grading.guard import PROBE, cell_hash

__all__ = ["GuardedExecute", "configure", "RESULTS", "NO_RECORD", "kernel_never_started",
           "save_flags", "load_flags", "read_record"]

#: Flags of the notebooks graded in this process since the worker last cleared it.
RESULTS = {}
FLAGS_FILE = "integrity.json"
#: What the record says when the kernel never ran the guard: it did not start (or died first).
NO_RECORD = "the guard left no record (it did not start)"
#: Largest guard record read, bytes (a few hundred bytes per test cell).
MAX_RECORD = 2**20
GUARD_LINE = "__import__('tools.grading.guard').grading.guard.install()"


def _is_test(cell):
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def _is_answer(cell):
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("solution"))


def pins(notebook):
    """{name: "module" or "module:attribute"} bound by the imports of the instructor's cells.

    A name imported from different places, or also bound otherwise (a test's `_reference`,
    say), is left out: the cell that uses it binds it itself.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    ...     "import numpy as np\\nfrom nnlab import activations\\nimport os.path\\n"
    ...     "from nnlab.losses import mse as ref"), nbformat.v4.new_code_cell(
    ...     "import numpy as np\\nfrom nnlab.metrics import mse as ref\\nos = 1")])
    >>> pins(nb)
    {'np': 'numpy', 'activations': 'nnlab:activations'}
    """
    found, other = _bindings(notebook)
    return {name: targets.pop() for name, targets in found.items()
            if len(targets) == 1 and name not in other}


def _bindings(notebook):
    """({name: {import targets}}, {names bound otherwise}) in the instructor's cells."""
    found, other = {}, set()
    for cell in notebook.cells:
        if cell.cell_type != "code" or _is_answer(cell):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                other.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                other.add(node.id)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    name = alias.asname or alias.name.split(".")[0]
                    found.setdefault(name, set()).add(alias.name if alias.asname else name)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    if alias.name != "*":
                        found.setdefault(alias.asname or alias.name, set()).add(
                            f"{node.module}:{alias.name}")
    return found, other


def read_record(path, key):
    """The guard's records [(kind, detail)], and a problem (str) if the record was forged,
    reordered or cut, else None."""
    import hashlib

    entries, problem = [], None
    try:  # the kernel could write this folder: no link, no FIFO, no endless file
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return [], NO_RECORD
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return [], "the guard's record was altered"
        lines = f.read(MAX_RECORD).decode(errors="replace").splitlines()
    for expected, line in enumerate(lines, start=1):
        body, _, sig = line.rpartition("\t")
        good = hashlib.blake2b(body.encode(), key=key, digest_size=16).hexdigest()
        number, _, rest = body.partition(" ")
        if not secrets.compare_digest(sig, good) or number != str(expected):
            problem = "the guard's record was altered"
            break
        kind, _, detail = rest.partition(" ")
        entries.append((kind, detail))
    if not entries or entries[0][0] != "start":
        problem = problem or "the guard did not start"
    return entries, problem


def judge(entries, problem, tests):
    """Decide from the guard's record: (tainted {test hash: reason}, flags [reason]).

    `tests` lists (test hash, probe nonce or None if no probe was sent) of every test cell.
    """
    tainted, flags = {}, []
    if problem:
        return {h: problem for h, _ in tests}, [problem]
    pending, current, started, probed = [], None, set(), set()
    for kind, detail in entries:
        if kind == "tamper":
            pending.append(detail)
            where, _, reason = detail.partition(" ")
            if reason not in flags:
                flags.append(reason)
        elif kind == "note":  # reported, not held against a test (the jail stopped it)
            if detail not in flags:
                flags.append(detail)
        elif kind == "kill":
            flags.append(f"grading stopped: {detail}")
            for h, _ in tests:
                tainted.setdefault(h, f"grading stopped: {detail}")
        elif kind == "exec":
            current = detail
            started.add(detail)
            for item in pending:
                where, _, reason = item.partition(" ")
                if where == "machinery":  # it was running this very cell
                    tainted.setdefault(detail, f"tampering before this test: {reason}")
            pending = []
        elif kind == "probe":
            probed.add(detail)
            if pending and current is not None:
                tainted.setdefault(current, "tampering while this test ran: "
                                   + "; ".join(i.partition(" ")[2] for i in pending))
            pending = []
    for h, nonce in tests:
        if h not in started:
            tainted.setdefault(h, "this test's code never ran under the integrity guard")
        elif nonce is None or nonce not in probed:
            tainted.setdefault(h, "the integrity check after this test never ran")
    for reason in tainted.values():
        if reason not in flags and not any(reason.endswith(f"{f}") for f in flags) \
                and not reason.startswith("tampering "):  # its reasons are flagged already
            flags.append(reason)
    return tainted, flags


class GuardedExecute(Execute):
    """nbgrader's Execute with the integrity guard in the kernel (see the module docstring)."""

    def preprocess(self, nb, resources, *args, **kwargs):
        key = secrets.token_bytes(32)
        scratch = Path(tempfile.mkdtemp(prefix="nnlab-guard-"))
        log = scratch / "record.log"
        settings = scratch / "settings.json"
        test_hashes = [cell_hash(c.source) for c in nb.cells if _is_test(c)]
        fd = os.open(settings, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump({"key": key.hex(), "log": str(log), "tests": test_hashes,
                       "pins": pins(nb), "own": sorted(_bindings(nb)[1])}, f)
        self._probes = {}
        self.extra_arguments = [*self.extra_arguments,
                                f"--IPKernelApp.exec_lines={GUARD_LINE}"]
        os.environ["NNLAB_GUARD"] = str(settings)
        outcome = None
        try:
            outcome = super().preprocess(nb, resources, *args, **kwargs)
        finally:
            os.environ.pop("NNLAB_GUARD", None)
            entries, problem = read_record(log, key)
            tests = [(h, self._probes.get(h)) for h in test_hashes]
            tainted, flags = judge(entries, problem, tests)
            if problem:  # nothing the guard said can be trusted
                tainted = {cell_hash(c.source): problem for c in nb.cells if _is_test(c)}
            shutil.rmtree(scratch, ignore_errors=True)  # the kernel may have added to it
            info = resources.get("nbgrader", {})
            RESULTS[info.get("notebook", "")] = flags
            for cell in nb.cells:
                if _is_test(cell) and cell_hash(cell.source) in tainted:
                    cell.outputs.append(NotebookNode(
                        output_type="error", ename="IntegrityError",
                        evalue=tainted[cell_hash(cell.source)],
                        traceback=[f"IntegrityError: {tainted[cell_hash(cell.source)]} "
                                   "(this test scores 0; see INSTRUCTORS.md, integrity)"]))
        return outcome

    def preprocess_cell(self, cell, resources, index):
        cell, resources = super().preprocess_cell(cell, resources, index)
        if _is_test(cell):
            nonce = secrets.token_hex(12)
            self._probes[cell_hash(cell.source)] = nonce
            self.execute_cell(new_code_cell(PROBE.format(nonce=nonce)), index,
                              store_history=False)
            self.nb.cells[index] = cell  # nbclient stored the probe in the test cell's place
        return cell, resources


def configure(config):
    """Autograde with GuardedExecute instead of nbgrader's Execute (a traitlets Config)."""
    from nbgrader.converters import Autograde

    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    config.Autograde.autograde_preprocessors = [GuardedExecute if step is Execute else step
                                                for step in steps]
    return config


def kernel_never_started():
    """Whether a notebook just graded had no kernel that ran the guard (RESULTS says so)."""
    return any(NO_RECORD in flags for flags in RESULTS.values())


def save_flags(course_dir, assignment, student):
    """Write the flags of the notebooks just graded next to the autograded notebook; if
    nothing was executed (graded before, no --force), keep and return the saved flags."""
    if not RESULTS:
        return load_flags(course_dir, assignment, student)
    flags = sorted({reason for found in RESULTS.values() for reason in found})
    folder = Path(course_dir) / "autograded" / student / assignment
    if folder.is_dir():
        (folder / FLAGS_FILE).write_text(json.dumps(flags, indent=1) + "\n")
    return flags


def load_flags(course_dir, assignment, student):
    """The flags saved when the submission was last autograded ([] if none)."""
    path = Path(course_dir) / "autograded" / student / assignment / FLAGS_FILE
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return []
