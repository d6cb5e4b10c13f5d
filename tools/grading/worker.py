"""The grading workers: limited processes that autograde submissions, one lane or several.

Each worker is a fresh Python process under the resource limits (which the notebook kernels it
starts inherit). It grades a batch of students one after another and appends one JSON line per
event to a results file (not stdout: student code could write there), so the parent knows who
was being graded if the worker dies. With `jobs` > 1 several lanes run at once, each taking the
next batch of students from a shared queue.

nbgrader's gradebook is one SQLite file: workers write to it in short transactions, and every
connection waits up to two minutes for another's lock (SQLite's busy timeout) instead of failing,
so parallel workers neither corrupt it nor lose a score.
"""

import glob
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tools.grading import feedback, integrity, jail
from tools.grading.gradebook import config
from tools.release import ROOT, nbgrader_env

__all__ = ["autograde", "worker_config"]

#: How long a gradebook connection waits for another worker's write lock, seconds.
BUSY_TIMEOUT = 120
#: How often a submission is graded when its kernel never starts, before it is reported as not
#: graded: a kernel that failed to start on a busy machine must not cost a student points.
KERNEL_START_ATTEMPTS = 3
#: For the worker and its kernels. glibc reserves 64 MiB of address space for each thread that
#: allocates under contention (up to 8 per core), and OpenBLAS starts a thread per core: a
#: kernel then counts 1 GiB or more against the address-space limit (RLIMIT_AS) while using
#: 100 MiB, and may fail to start at 2 GiB. Two arenas and one BLAS thread keep it near 400 MiB.
QUIET_THREADS = {"MALLOC_ARENA_MAX": "2", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


def worker_config(course_dir, guard=True, jailed=True):
    """nbgrader's configuration for a worker: the course's, plus redacted feedback, the
    integrity guard around execution, every kernel in a jail, and a patient gradebook
    connection."""
    loaded = config(course_dir)
    root = Path(course_dir).resolve()
    loaded.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}?timeout={BUSY_TIMEOUT}"
    feedback.configure(loaded)
    if guard:
        integrity.configure(loaded)
    if jailed:
        jail.configure(loaded)
    return loaded


def unsafe_files(folder):
    """{relative path: what it is} of the entries of a submission folder that are not plain
    files or folders: a symbolic link (nbgrader would copy what it points to, read with the
    grader's rights, into the working copy), a FIFO, a socket, a device."""
    found = {}
    for path in sorted(Path(folder).rglob("*")):
        if path.is_symlink():
            found[str(path.relative_to(folder))] = f"a symbolic link to {os.readlink(path)}"
        elif not (path.is_file() or path.is_dir()):
            found[str(path.relative_to(folder))] = "not a plain file"
    return found


def _worker(course_dir, assignment, student_ids, results_path, force, make_feedback,
            jailed=True):
    """The worker process: autograde (and write feedback for) each student in turn."""
    from nbgrader.apps import NbGraderAPI

    os.chdir(course_dir)
    api = NbGraderAPI(config=worker_config(course_dir, jailed=jailed))
    ignore = list(api.coursedir.ignore)

    def report(**event):
        with open(results_path, "a") as f:
            f.write(json.dumps(event) + "\n")

    for student in student_ids:
        report(event="start", student=student, time=time.time())
        start = time.perf_counter()
        unsafe = unsafe_files(Path(course_dir) / "submitted" / student / assignment)
        notes = [f"the submission holds {what}: {name} (not used)"
                 for name, what in unsafe.items()]
        if any(name.endswith(".ipynb") for name in unsafe):
            report(event="done", student=student, success=False, flags=notes,
                   error="a notebook of the submission is not a plain file: not graded",
                   seconds=time.perf_counter() - start)
            continue
        api.coursedir.ignore = ignore + [glob.escape(Path(name).name) for name in unsafe]
        result = _autograde(api, assignment, student, force)
        found = notes + [note for notes in jail.FINDINGS.values() for note in notes]
        if found:
            integrity.RESULTS["(the submission and its jail)"] = found
        flags = integrity.save_flags(course_dir, assignment, student)
        if result["success"] and make_feedback:
            api.generate_feedback(assignment, student, force=True)
        report(event="done", student=student, success=bool(result["success"]), flags=flags,
               error=(result.get("error") or "")[-2000:], seconds=time.perf_counter() - start)


def _autograde(api, assignment, student, force):
    """nbgrader's autograde, tried again (up to KERNEL_START_ATTEMPTS in all) while the kernel
    never started; the error of the last attempt says how many were made."""
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        integrity.RESULTS.clear()
        jail.FINDINGS.clear()
        result = api.autograde(assignment, student, force=force or attempt > 1, create=True)
        if result["success"] or not integrity.kernel_never_started():
            return result
    result["error"] = (f"{result.get('error') or ''}\nthe notebook's kernel did not start in "
                       f"{KERNEL_START_ATTEMPTS} attempts")
    return result


def _read_events(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.endswith("\n")]


def _run_worker(course_dir, assignment, student_ids, limits, force, make_feedback, log_file,
                on_done, jailed=True):
    """Grade student_ids in one limited worker; ({student: done-event or None}, crashed_on)."""
    fd, results_path = tempfile.mkstemp(prefix="nnlab-grade-", suffix=".jsonl")
    os.close(fd)
    env = {**nbgrader_env(), **QUIET_THREADS}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    command = [sys.executable, "-m", "tools.grading.worker", str(course_dir), assignment,
               results_path, "--force" if force else "--no-force",
               "--feedback" if make_feedback else "--no-feedback",
               "--jail" if jailed else "--no-jail", *student_ids]
    events, seen = [], 0
    try:
        with open(log_file, "a") as log:
            process = subprocess.Popen(command, cwd=course_dir, env=env, stdin=subprocess.DEVNULL,
                                       stdout=log, stderr=log, preexec_fn=limits.apply,
                                       start_new_session=True)
            while process.poll() is None:
                time.sleep(0.2)
                events = _read_events(results_path)
                for event in events[seen:]:
                    if event["event"] == "done":
                        on_done(event)
                seen = len(events)
                if events and events[-1]["event"] == "start" \
                        and time.time() - events[-1]["time"] > limits.wall_seconds:
                    os.killpg(process.pid, signal.SIGKILL)  # the worker and what it started
                    process.wait()
            events = _read_events(results_path)
            for event in events[seen:]:
                if event["event"] == "done":
                    on_done(event)
    finally:
        os.unlink(results_path)
    outcome = {student: None for student in student_ids}
    for event in events:
        if event["event"] == "done":
            outcome[event["student"]] = event
    started = [e["student"] for e in events if e["event"] == "start"]
    return outcome, (started[-1] if started and outcome[started[-1]] is None else None)


def _crashed(student, seconds):
    return {"event": "done", "student": student, "success": False, "seconds": seconds,
            "flags": [], "error": "the grading process died or was stopped (resource or time "
                                  "limit); see .nbgrader.log"}


def _lane(course_dir, assignment, queue, lock, results, limits, force, make_feedback, log_file,
          batch_size, on_done, jailed=True):
    """One lane: take batches from the shared queue until it is empty.

    A worker that dies (a kernel took it down, or a submission ran out of time) is replaced by a
    fresh one for the students it had not reached. The student it was grading is retried alone
    first, so that a worker dying for another reason cannot cost anyone their points.
    """
    def run(batch):
        return _run_worker(course_dir, assignment, batch, limits, force, make_feedback, log_file,
                           on_done, jailed)

    while True:
        with lock:
            if not queue:
                return
            batch, queue[:] = queue[:batch_size], queue[batch_size:]
        done = {}
        while batch:
            outcome, crashed_on = run(batch)
            done.update({s: event for s, event in outcome.items() if event is not None})
            if crashed_on is not None:
                event = run([crashed_on])[0][crashed_on] if len(batch) > 1 else None
                if event is None:
                    event = _crashed(crashed_on, float(limits.wall_seconds))
                    on_done(event)
                done[crashed_on] = event
            elif not any(s in done for s in batch):  # the worker could not even start
                for s in batch:
                    done[s] = _crashed(s, 0.0)
                    on_done(done[s])
            batch = [s for s in batch if s not in done]
        with lock:
            results.update(done)


def autograde(course_dir, assignment, student_ids, limits, force, make_feedback, log_file,
              batch_size=20, jobs=1, progress=None, jailed=True):
    """Autograde a list of students in `jobs` lanes; {student: done-event}.

    Every student gets a done-event: success False (and an error) when the submission could not
    be graded. `progress(done, total, event)` is called as each student finishes. With `jailed`
    (the default) every kernel runs in a jail (tools/grading/jail.py).
    """
    student_ids = list(student_ids)
    if not student_ids:
        return {}
    jobs = max(1, min(int(jobs), len(student_ids)))
    # lanes share the work: no batch larger than an even share, so that no lane idles early
    batch_size = max(1, min(batch_size, -(-len(student_ids) // jobs)))
    queue, lock, results, count = list(student_ids), threading.Lock(), {}, [0]

    def on_done(event):
        with lock:
            count[0] += 1
            if progress is not None:
                progress(count[0], len(student_ids), event)

    lanes = [threading.Thread(target=_lane, args=(course_dir, assignment, queue, lock, results,
                                                  limits, force, make_feedback, log_file,
                                                  batch_size, on_done, jailed))
             for _ in range(jobs)]
    for lane in lanes:
        lane.start()
    for lane in lanes:
        lane.join()
    return {s: results[s] for s in student_ids}


def main(argv=None):
    """Internal: the limited grading process started by `_run_worker`."""
    argv = sys.argv[1:] if argv is None else argv
    course_dir, assignment, results_path, force, make_feedback, jailed, *student_ids = argv
    _worker(course_dir, assignment, student_ids, results_path, force == "--force",
            make_feedback == "--feedback", jailed == "--jail")
    return 0


if __name__ == "__main__":
    sys.exit(main())
