"""The jail: every kernel that grades a submission runs inside bubblewrap.

A student's code runs in the kernel that grades it, and the integrity guard
(tools/grading/guard.py) only watches the Python inside that kernel: a `subprocess` started from
a cell once ran with the grader's rights. Each grading kernel now starts inside a jail made by
bubblewrap (`bwrap`, Debian's package `bubblewrap`), which sees

- the system (/usr, /etc pieces), the Python installation, the virtual environment, the nnlab
  source and the guard, all read-only;
- a private, size-limited /tmp (and /dev/shm), and the submission's own working folder: a
  size-limited tmpfs at the folder's path, filled with a copy of the folder's files;
- the folder of Unix sockets through which the grader talks to the kernel (jupyter_client's
  `transport="ipc"`: a jail without a network can still be reached through one folder), and the
  guard's own folder (its settings, read and deleted before any student code, and its record);

and nothing else: no solutions/, no gradebook.db, no other student's submitted/, autograded/ or
feedback/, no other kernel's sockets or guard, no home directory, none of the grader's
environment variables. It has new user (or, as root, none: see below), PID, IPC, network, UTS
and cgroup namespaces: no network at all, and when the kernel ends every process it started ends
with it (`--die-with-parent`; the PID namespace dies with its first process). Resource limits of
the grading worker (memory, CPU) carry into the jail; the number of processes is limited inside.

The kernel never runs as the grader. A grader who is not root gets a user namespace in which the
kernel is uid 65534 (nobody) and holds no capability. When the grader is root, a user namespace
would map the kernel to root outside (bwrap maps the sandbox uid to the caller's), which owns
every root file: so bwrap runs privileged, without a user namespace, and `jail_init.py` makes
the kernel a user of its own, uid JAIL_UID_BASE + the worker's pid, with no groups and no
capabilities. A user per kernel keeps per-user limits (a fork bomb's processes) per jail.

`JailedKernelManager` is jupyter_client's kernel manager with the jail around the kernel
command; `configure()` makes nbgrader's Execute step use it. `check()` says whether a jail can
be made here, or why not and how to install what is missing.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

__all__ = ["JailUnavailable", "JailedKernelManager", "check", "configure", "command",
           "FINDINGS", "INSTALL"]

#: Size of the private /tmp, of /dev/shm and of the working folder, MiB each.
SPACE_MB = 256
#: Processes (threads included) the kernel and everything it starts may have at once.
PROCESSES = 64
#: First uid of the users of their own that kernels get when the grader is root.
JAIL_UID_BASE = 3_000_000
#: Environment variables handed into the jail (besides a minimal PATH, HOME, LANG): the guard's
#: folder, the thread settings, and nbgrader's documented signal to a notebook that it is being
#: autograded or validated (the check-my-work cell then does nothing).
PASSED_ENV = ("NNLAB_GUARD", "MALLOC_ARENA_MAX", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
              "NBGRADER_EXECUTION", "NBGRADER_VALIDATING")
INSTALL = ("grading runs each submission's kernel in a bubblewrap jail, and none can be made "
           "here: {reason}. Install bubblewrap (Debian/Ubuntu: `sudo apt-get install "
           "bubblewrap`; Fedora: `sudo dnf install bubblewrap`; it needs Linux with user "
           "namespaces, or root), or grade on a machine that has it. Only if every submission "
           "is trusted: `make grade NO_JAIL=1` (python -m tools.grade --no-jail) grades "
           "without a jail, and says so in every line.")
#: What the jails of the kernels graded in this process found (cleared by the worker).
FINDINGS = {}
ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


class JailUnavailable(RuntimeError):
    """No jail can be made on this machine (the message says why and what to install)."""


_checked = {}


def check():
    """Raise JailUnavailable unless a jail can be made here (tried once per process)."""
    if "error" not in _checked:
        _checked["error"] = _try_jail()
    if _checked["error"]:
        raise JailUnavailable(INSTALL.format(reason=_checked["error"]))


def _try_jail():
    if not sys.platform.startswith("linux"):
        return f"bubblewrap needs Linux, and this is {sys.platform}"
    if shutil.which("bwrap") is None:
        return "the command `bwrap` was not found"
    probe = _namespaces() + ["--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev",
                             "--die-with-parent", "--new-session", "true"]
    try:
        run = subprocess.run(["bwrap", *probe], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bwrap did not run ({error})"
    if run.returncode != 0:
        return f"bwrap failed: {run.stderr.strip() or run.returncode}"
    return ""


def _namespaces():
    """Namespaces: all of them; as root no user namespace (see the module docstring)."""
    if os.geteuid() == 0:
        return ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
                "--unshare-cgroup-try"]
    return ["--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534"]


def _system():
    """Read-only views of the system: /usr, the /bin-like links, the few /etc files Python
    needs, the Python installation, the virtual environment and the grader's modules, as
    bwrap arguments (one tuple per mount, its destination last)."""
    mounts = [("--ro-bind", "/usr", "/usr")]
    for path in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(path):
            mounts.append(("--symlink", os.readlink(path), path))
        elif os.path.isdir(path):
            mounts.append(("--ro-bind", path, path))
    for path in ("/etc/ld.so.cache", "/etc/localtime", "/etc/fonts", "/etc/alternatives"):
        if os.path.exists(path):
            mounts.append(("--ro-bind", path, path))
    import nnlab  # the package the kernel imports (an editable install points at the source)

    places = {os.path.realpath(sys.base_prefix), sys.prefix, os.path.realpath(sys.prefix),
              str(Path(nnlab.__file__).resolve().parent)}
    mounts += [("--ro-bind", place, place) for place in sorted(places)
               if place != "/usr" and not place.startswith("/usr/")]
    for part in ("tools/__init__.py", "tools/grading/__init__.py", "tools/grading/guard.py"):
        mounts.append(("--ro-bind", str(ROOT / part), str(ROOT / part)))
    return mounts


def command(kernel_cmd, workdir, writable, env, uid=None):
    """The bwrap command line that runs kernel_cmd in a jail.

    Parameters
    ----------
    kernel_cmd : list of str
        The kernel's command (jupyter_client's, with the connection file filled in).
    workdir : path
        The submission's working folder: copied into a size-limited tmpfs at the same path.
    writable : list of paths
        Folders bound read-write at the same path (the kernel's sockets, the guard's folder).
    env : mapping
        The environment the kernel would have had: only PASSED_ENV is handed in.
    uid : int, optional
        As root: the unprivileged user the kernel becomes.

    Examples
    --------
    >>> argv = command(["python", "-m", "ipykernel_launcher"], "/tmp/w", ["/tmp/s"], {})
    >>> argv[0], "--die-with-parent" in argv, "--unshare-net" in argv or "--unshare-all" in argv
    ('bwrap', True, True)
    >>> argv[argv.index("--chdir") + 1], argv[-3:]
    ('/', ['python', '-m', 'ipykernel_launcher'])
    """
    workdir = os.path.realpath(workdir)
    venv_bin = str(Path(sys.executable).parent)
    inside = {"PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp",
              "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg",
              "PYTHONDONTWRITEBYTECODE": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    inside.update({k: env[k] for k in PASSED_ENV if k in env})
    args = ["bwrap", *_namespaces(), "--die-with-parent", "--new-session",
            "--hostname", "nnlab-jail", "--clearenv"]
    for key, value in inside.items():
        args += ["--setenv", key, value]
    size = str(SPACE_MB * 2**20)
    # /tmp first: a course (or the grader's modules) under /tmp is bound into it, not hidden
    mounts = [("--dev", "/dev"), ("--perms", "1777", "--size", size, "--tmpfs", "/dev/shm"),
              ("--proc", "/proc"), ("--perms", "1777", "--size", size, "--tmpfs", "/tmp")]
    mounts += _system()
    mounts += [("--ro-bind", str(HERE / "jail_init.py"), "/run/nnlab/jail_init.py"),
               ("--ro-bind", workdir, "/run/nnlab/submission")]
    mounts += [("--bind", str(folder), str(folder)) for folder in writable]
    mounts += [("--size", size, "--tmpfs", workdir)]
    made = {"/"}
    for mount in mounts:
        # bwrap makes missing parent folders 0700 (root's): the kernel could not pass them
        for parent in reversed(Path(mount[-1]).parents):
            if str(parent) not in made:
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(str(parent))
        args += list(mount)
        made.add(mount[-1])
    args += ["--remount-ro", "/", "--chdir", "/",
             sys.executable, "-I", "-S", "/run/nnlab/jail_init.py",
             "--processes", str(PROCESSES), "--copy", "/run/nnlab/submission", workdir]
    if uid is not None:
        args += ["--uid", str(uid)]
    return [*args, "--", *kernel_cmd]


class JailedKernelManager(AsyncKernelManager):
    """jupyter_client's kernel manager, with the kernel in a jail (see the module docstring).

    The kernel listens on Unix sockets in a folder of its own; interrupts go as messages (a
    signal to the jail's outer process would not reach the kernel inside); when the kernel is
    shut down, what its jail still holds is reported in FINDINGS before it is taken down.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._jail_dir = Path(tempfile.mkdtemp(prefix="nnlab-jail-"))
        self.transport = "ipc"
        self.ip = str(self._jail_dir / "kernel")
        self.connection_file = str(self._jail_dir / "kernel.json")
        self._workdir = None

    async def _async_pre_start_kernel(self, **kw):
        self.kernel_spec.interrupt_mode = "message"
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        env = kw.get("env") or os.environ
        self._workdir = os.path.realpath(kw.get("cwd") or os.getcwd())
        writable = [self._jail_dir]
        guard = env.get("NNLAB_GUARD")
        if guard:
            writable.append(Path(guard).parent)
        uid = None
        if os.geteuid() == 0:
            uid = JAIL_UID_BASE + os.getpid()
            for folder in writable:
                for path in [folder, *folder.iterdir()]:
                    os.chown(path, uid, uid, follow_symlinks=False)
        kw["cwd"] = str(self._jail_dir)
        kw["env"] = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
        return command(kernel_cmd, self._workdir, writable, env, uid), kw

    async def shutdown_kernel(self, now=False, restart=False):
        try:
            found = survey(self.provisioner.pid if self.provisioner else None, self._workdir)
            if found:
                FINDINGS[str(self._jail_dir)] = found
        except OSError:
            pass
        await super().shutdown_kernel(now=now, restart=restart)

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        if not restart:  # also when the kernel died (nbclient then only cleans up)
            shutil.rmtree(self._jail_dir, ignore_errors=True)

    cleanup_resources = _async_cleanup_resources


def _children(pid):
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        return []


def _inner_pid(pid):
    """(pid namespace, pid inside it) of a process, or None if it cannot be read."""
    try:
        namespace = os.readlink(f"/proc/{pid}/ns/pid")
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("NSpid:"):
                return namespace, int(line.split()[-1])
    except (OSError, ValueError):
        return None
    return None


def survey(bwrap_pid, workdir):
    """What a jail holds besides its kernel, just before the kernel is shut down: processes
    the submission left running (they end with the jail) and private space it filled."""
    if bwrap_pid is None:
        return []
    init = next((c for c in _children(bwrap_pid) if (_inner_pid(c) or (0, 0))[1] == 1), None)
    if init is None:
        return []
    namespace = _inner_pid(init)[0]
    others = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            found = _inner_pid(int(entry))
            if found and found[0] == namespace and found[1] > 2:  # 1 is init, 2 the kernel
                others += 1
    findings = []
    if others:
        findings.append(f"the jail ended {others} process(es) the submission had left running")
    for label, path in (("/tmp", "/tmp"), ("its working folder", workdir or "/")):
        try:
            space = os.statvfs(f"/proc/{init}/root{path}")
        except OSError:
            continue
        if space.f_blocks and space.f_bavail <= 0.05 * space.f_blocks:
            findings.append(f"the submission filled its private space ({label}, "
                            f"{SPACE_MB} MiB)")
    return findings


def configure(config):
    """Run every kernel of nbgrader's Execute step (and GuardedExecute) in a jail."""
    config.Execute.kernel_manager_class = JailedKernelManager
    config.NotebookClient.kernel_manager_class = JailedKernelManager
    return config


#: Said by every summary line of a grading run without the jail, and by grades.csv's header.
UNJAILED = "UNJAILED"
UNJAILED_NOTE = "graded without a jail (--no-jail): student code ran with the grader's rights"


def unjailed(say):
    """`say` (print-like) that ends every line with the UNJAILED notice.

    >>> unjailed(print)("ps1 ada 10.0 / 10.0")
    ps1 ada 10.0 / 10.0  [UNJAILED]
    """
    def say_unjailed(text="", *args, **kwargs):
        return say(f"{text}  [{UNJAILED}]", *args, **kwargs)
    return say_unjailed


def mark_unjailed(csv_path):
    """Add the column UNJAILED to grades.csv, saying in every row how it was graded."""
    import csv

    with open(csv_path, newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0]) if rows else []
    tmp = Path(f"{csv_path}.tmp")
    with open(tmp, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=[*fields, UNJAILED])
        writer.writeheader()
        writer.writerows({**row, UNJAILED: UNJAILED_NOTE} for row in rows)
    tmp.replace(csv_path)  # never a half-written grades.csv
