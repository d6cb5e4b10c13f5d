"""The integrity guard: runs inside a student's kernel, before any of the student's code.

`install()` is the kernel's first line when `make grade` autogrades (tools/grading/integrity.py
starts the kernel with it). It

1. imports nnlab and keeps a *pristine copy* of everything the tests rely on: the namespaces of
   numpy and nnlab (every loaded submodule, and every class defined there), builtins, inspect,
   warnings and math, the IPython and ipykernel machinery that runs cells and shows errors
   (its modules, classes, and the shell's own methods), `sys`'s hooks and streams, and
   `sys.modules` entries of all of these;
2. adds an audit hook (PEP 578). Python offers no way to remove one, and the hook's state lives
   only in its closure. Each time a notebook cell's code starts (the `exec` audit event), the
   hook compares everything above with the pristine copy, puts back whatever was changed,
   re-binds the test cells' module names (`np`, `nnlab`, ...) if the student re-bound them,
   drops student names that shadow a builtin a test cell uses, and records what it found;
3. records, for each test cell, that its code really started, and for each probe (a tiny cell
   the grader runs right after each test cell, with a fresh random nonce) that the check ran;
4. signs every record (BLAKE2b with a key only it holds, numbered) and appends it to a log file
   the grader reads afterwards; the records cannot be forged, reordered or deleted unnoticed;
5. stops the kernel at once (the submission then fails and scores 0) if the student's code
   reaches for the tools that could get past all this: ctypes, the garbage collector's object
   graph, tracing and profiling hooks, opening or removing the log or the key file, or any code
   running inside the hook itself.

The guard holds no secret in a module global and calls nothing a student can replace: every
function it uses is bound when it is installed.
"""

__all__ = ["install", "cell_hash", "PROBE"]

#: Source of the probe cell the grader runs after each test cell (`.format(nonce=...)`).
PROBE = "pass  # nnlab-integrity-probe {nonce}"


def cell_hash(source):
    """Hash by which the guard and the grader name a cell (from its source, stripped).

    >>> cell_hash("x = 1\\n") == cell_hash("x = 1")
    True
    """
    import hashlib

    return hashlib.blake2b(source.strip().encode(), digest_size=12).hexdigest()


WATCHED_PREFIXES = ("numpy", "nnlab")
WATCHED_MODULES = ("builtins", "inspect", "warnings", "math")
MACHINERY_MODULES = ("IPython.core.interactiveshell", "IPython.core.ultratb",
                     "IPython.core.displayhook", "IPython.core.displaypub",
                     "IPython.core.events", "ipykernel.zmqshell", "ipykernel.ipkernel",
                     "ipykernel.kernelbase", "ipykernel.iostream", "ipykernel.displayhook",
                     "jupyter_client.session")
#: Rebound by ipykernel itself on every request (its input() forwarding, the display's `_`).
VOLATILE = frozenset({"builtins.input", "builtins.raw_input", "builtins._", "builtins.__",
                      "builtins.___", "builtins.__IPYTHON__"})
#: Instance attributes that shadow a class default as the kernel runs (jupyter_client's
#: Session counts its messages): not an override.
COUNTERS = frozenset({"session.message_count"})
#: Attributes of the shell, kernel and session that must keep their object.
REPLACEABLE = frozenset({"custom_exceptions", "CustomTB", "InteractiveTB", "SyntaxTB",
                         "display_pub", "displayhook", "kernel", "session", "iopub_socket",
                         "iopub_thread", "compile", "input_transformer_manager",
                         "ast_transformers", "input_transformers_post", "shell_handlers",
                         "control_handlers", "user_ns", "user_global_ns"})
KILL_EVENTS = ("gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys.settrace",
               "sys.setprofile", "sys._current_frames", "sys._current_exceptions")
#: Events that are reported (a flag for the instructor), not stopped: what a submission does
#: beyond computing answers. In the jail they fail or stay inside it; the flag says who tried.
PROCESS_EVENTS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
                  "os.fork", "os.forkpty", "pty.spawn")
NETWORK_EVENTS = ("socket.connect", "socket.bind", "socket.sendto", "socket.getaddrinfo")
SIGNAL_EVENTS = ("os.kill", "os.killpg", "signal.pthread_kill")
#: Reported at most this many times per kernel.
MAX_NOTES = 8
FILE_EVENTS = ("open", "os.truncate", "os.remove", "os.rename", "os.link", "os.symlink",
               "os.chmod", "shutil.move", "shutil.rmtree")


def install():  # noqa: C901  (one closure on purpose: see the module docstring)
    """Install the guard in this kernel (does nothing when not started by the grader)."""
    import builtins
    import hashlib
    import importlib
    import json
    import os
    import sys

    settings_path = os.environ.pop("NNLAB_GUARD", None)
    if not settings_path:
        return
    with open(settings_path) as f:
        settings = json.load(f)
    os.unlink(settings_path)
    key = bytes.fromhex(settings["key"])
    log_path = settings["log"]
    tests = frozenset(settings["tests"])
    pin_specs = settings["pins"]
    own = frozenset(settings.get("own", ()))  # names the instructor's cells bind themselves

    for name in ("nnlab", "inspect", "warnings", "math", *MACHINERY_MODULES):
        importlib.import_module(name)
    from IPython import get_ipython

    shell = get_ipython()

    # ---- the pristine copy ------------------------------------------------------------------
    def watched(name):
        return name in WATCHED_MODULES or name.split(".")[0] in WATCHED_PREFIXES

    modules = {name: module for name, module in list(sys.modules.items())
               if module is not None and (watched(name) or name in MACHINERY_MODULES)}
    machinery = frozenset(MACHINERY_MODULES)
    module_dicts = [(name, vars(module), {k: v for k, v in vars(module).items()
                                          if f"{name}.{k}" not in VOLATILE})
                    for name, module in modules.items()]
    class_dicts = []
    for name, module in modules.items():
        for value in list(vars(module).values()):
            if isinstance(value, type) and getattr(value, "__module__", None) == name:
                class_dicts.append((f"{name}.{value.__qualname__}", value, dict(vars(value)),
                                    name in machinery))
    kernel = getattr(shell, "kernel", None)
    objects = {"shell": shell, "shell.kernel": kernel,
               "session": getattr(kernel, "session", None),
               "kernel.iopub_socket": getattr(kernel, "iopub_socket", None),
               "kernel.iopub_thread": getattr(kernel, "iopub_thread", None),
               "shell.display_pub": shell.display_pub, "shell.displayhook": shell.displayhook,
               "shell.InteractiveTB": shell.InteractiveTB, "shell.SyntaxTB": shell.SyntaxTB,
               "shell.compile": shell.compile,
               "shell.input_transformer_manager": shell.input_transformer_manager}
    objects = {k: v for k, v in objects.items() if v is not None}
    # containers through which cells are transformed or dispatched: their contents must stay
    containers = {"kernel.shell_handlers": getattr(kernel, "shell_handlers", None),
                  "kernel.control_handlers": getattr(kernel, "control_handlers", None),
                  "shell.ast_transformers": shell.ast_transformers,
                  "shell.input_transformers_post": shell.input_transformers_post}
    manager = shell.input_transformer_manager
    for name in ("cleanup_transforms", "line_transforms", "token_transformers"):
        containers[f"shell.input_transformer_manager.{name}"] = getattr(manager, name, None)
    containers = {k: (v, list(v.items()) if isinstance(v, dict) else list(v))
                  for k, v in containers.items() if isinstance(v, (dict, list))}
    attribute_ids = {k: {a: v for a, v in vars(o).items()} for k, o in objects.items()
                     if hasattr(o, "__dict__")}
    sys_attrs = {a: getattr(sys, a) for a in ("displayhook", "stdout", "stderr",
                                              "breakpointhook", "unraisablehook")}
    pins = {}
    for alias, target in pin_specs.items():
        module_name, _, attribute = target.partition(":")
        module = modules.get(module_name) or sys.modules.get(module_name)
        if module is None:
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue
        pins[alias] = getattr(module, attribute) if attribute else module
    user_ns = shell.user_ns
    builtin_names = frozenset(vars(builtins))

    # ---- everything the hook calls, bound now -------------------------------------------------
    _type, _str, _dict, _isinstance, _vars, _len = type, str, dict, isinstance, vars, len
    _sorted, _hasattr, _setattr, _delattr = sorted, hasattr, setattr, delattr
    _getattr, _set, _int, _bytes, _BaseException = getattr, set, int, bytes, BaseException
    _list, _all, _zip = list, all, zip
    kill_events, file_events, replaceable = KILL_EVENTS, FILE_EVENTS, REPLACEABLE
    counters = COUNTERS
    _AttributeError, _TypeError, _OSError, _ValueError = (AttributeError, TypeError, OSError,
                                                          ValueError)
    _exit, _write, _stat, _fstat, _getpid = os._exit, os.write, os.stat, os.fstat, os.getpid
    _getpgid, _fsdecode = os.getpgid, os.fsdecode
    process_events, network_events, signal_events = PROCESS_EVENTS, NETWORK_EVENTS, SIGNAL_EVENTS
    home = os.path.expanduser("~")
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
    writable = tuple(p.rstrip("/") + "/" for p in (os.getcwd(), "/tmp", "/dev",
                                                     f"{home}/.cache/matplotlib",
                                                     f"{home}/.config/matplotlib"))
    # the Python installation, the environment, nnlab and the grader's tools: read-only in the
    # jail, reported when written even where they lie under a writable place (a clone in /tmp)
    installed = tuple(sorted({p.rstrip("/") + "/" for p in (
        sys.prefix, sys.base_prefix, os.path.realpath(sys.prefix),
        os.path.realpath(sys.base_prefix), os.path.dirname(os.path.dirname(os.path.abspath(
            __file__))), *(os.path.dirname(m.__file__) for m in (sys.modules.get("nnlab"),) if m))
        if p not in ("", "/")}))
    private_proc = frozenset({"environ", "mem", "cmdline", "maps", "smaps", "root", "cwd", "fd",
                              "auxv", "pagemap", "syscall", "stack"})
    # where a kernel reads and writes while it computes answers; any other path is reported
    allowed = tuple(sorted({p.rstrip("/") + "/" for p in (
        os.getcwd(), "/tmp", "/dev", "/proc/self", "/proc/thread-self", "/usr", "/etc", "/lib",
        "/lib64", "/bin", "/sys/devices/system/cpu", sys.prefix, sys.base_prefix,
        os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix),
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), f"{home}/.ipython",
        f"{home}/.cache/matplotlib", f"{home}/.config/matplotlib",
        *(os.path.dirname(m.__file__) for m in (sys.modules.get("nnlab"),) if m))}))
    _blake2b, _code_type = hashlib.blake2b, _type(install.__code__)
    _sys_modules, _sys = sys.modules, sys
    missing = object()
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    protected = {(s.st_dev, s.st_ino) for s in (os.fstat(fd),)}
    state = {"seq": 0, "busy": False, "cells": {}}
    cells = state["cells"]

    def record(kind, detail=""):
        state["seq"] += 1
        line = f"{state['seq']} {kind} {detail}".replace("\n", " ")
        sig = _blake2b(line.encode(), key=key, digest_size=16).hexdigest()
        _write(fd, f"{line}\t{sig}\n".encode())

    def die(reason):
        record("kill", reason)
        _exit(70)

    def names_of(code):
        found, todo = _set(), [code]
        while todo:
            c = todo.pop()
            found.update(c.co_names)
            todo.extend(k for k in c.co_consts if _type(k) is _code_type)
        return found

    def check(code=None):
        """Compare with the pristine copy, put it back, record what was changed."""
        found = []
        for name, current, pristine in module_dicts:
            where = "machinery" if name in machinery else "reference"
            for k in current:
                if _type(k) is not _str:
                    found.append((where, f"a non-string key in {name}"))
                    break
            for k, v in pristine.items():
                if current.get(k, missing) is not v:
                    found.append((where, f"{name}.{k} was replaced"))
                    current[k] = v
        for name, cls, pristine, is_machinery in class_dicts:
            where = "machinery" if is_machinery else "reference"
            current = _vars(cls)
            for k, v in pristine.items():
                if current.get(k, missing) is not v:
                    found.append((where, f"{name}.{k} was replaced"))
                    try:
                        _setattr(cls, k, v)
                    except (_AttributeError, _TypeError):
                        pass
            for k in [k for k in current if k not in pristine]:
                if k in ("__weakref__", "__dict__"):
                    continue
                found.append((where, f"{name}.{k} was added"))
                try:
                    _delattr(cls, k)
                except (_AttributeError, _TypeError):
                    pass
        for label, obj in objects.items():
            if label not in attribute_ids:
                continue
            pristine, current, cls = attribute_ids[label], _vars(obj), _type(obj)
            for k in [k for k in current if k not in pristine and _hasattr(cls, k)
                      and f"{label}.{k}" not in counters]:
                found.append(("machinery", f"{label}.{k} was overridden"))
                del current[k]
            for k, v in pristine.items():
                if current.get(k, missing) is not v and k in replaceable:
                    found.append(("machinery", f"{label}.{k} was replaced"))
                    current[k] = v
        for label, (container, pristine) in containers.items():
            if _type(container) is _dict:
                same = _len(container) == _len(pristine) and _all(
                    container.get(k, missing) is v for k, v in pristine)
            else:
                same = _len(container) == _len(pristine) and _all(
                    a is b for a, b in _zip(container, pristine))
            if not same:
                found.append(("machinery", f"{label} was changed"))
                container.clear()
                if _type(container) is _dict:
                    container.update(pristine)
                else:
                    container.extend(pristine)
        for k, v in sys_attrs.items():
            if _getattr(_sys, k, missing) is not v:
                found.append(("machinery", f"sys.{k} was replaced"))
                _setattr(_sys, k, v)
        for name, module in modules.items():
            if _sys_modules.get(name) is not module:
                found.append(("reference" if name not in machinery else "machinery",
                              f"sys.modules[{name!r}] was replaced"))
                _sys_modules[name] = module
        for alias, value in pins.items():
            if alias in user_ns and user_ns[alias] is not value:
                found.append(("reference", f"the name {alias} was re-bound"))
                user_ns[alias] = value
        if code is not None:
            for name in _sorted(names_of(code) & builtin_names):
                if name in user_ns and name not in pins and name not in own \
                        and not name.startswith("__"):
                    found.append(("reference", f"the builtin {name} was shadowed"))
                    del user_ns[name]
        for where, reason in found:
            record("tamper", f"{where} {reason}")

    def hook(event, args):
        if state["busy"]:
            die(f"code ran inside the integrity check ({event})")
        state["busy"] = True
        try:
            if event == "exec" and args and _type(args[0]) is _code_type:
                source = cells.pop(args[0].co_filename, None)  # checked once per cell
                if source is not None:
                    digest, text = source
                    if text.startswith("pass  # nnlab-integrity-probe "):
                        check()
                        record("probe", text.rsplit(" ", 1)[-1])
                    elif digest in tests:
                        check(args[0])
                        record("exec", digest)
                    else:
                        check()
            elif event == "compile" and _len(args) > 1 and _type(args[0]) in (_str, _bytes) \
                    and _type(args[1]) is _str and ("ipykernel_" in args[1]
                                                    or "<ipython-input" in args[1]):
                text = args[0] if _type(args[0]) is _str else args[0].decode("utf-8", "replace")
                text = text.strip()
                cells[args[1]] = (_blake2b(text.encode(), digest_size=12).hexdigest(), text)
            elif event.startswith("ctypes.") or event in kill_events:
                die(f"the submission used {event}")
            elif event in process_events or event in network_events \
                    or event in signal_events:
                report(event, args)
            elif event in file_events and args:
                report(event, args)
                for target in args[:2]:
                    try:
                        s = _fstat(target) if _type(target) is _int else \
                            _stat(target) if _type(target) in (_str, _bytes) else None
                    except (_OSError, _ValueError, _TypeError):
                        s = None
                    if s is not None and (s.st_dev, s.st_ino) in protected:
                        die(f"the submission touched the grader's record ({event})")
            elif event == "sys.addaudithook":
                record("tamper", "machinery the submission added an audit hook")
        except _BaseException as error:  # never let an error reach the student's code
            die(f"the integrity check failed ({_type(error).__name__})")
        state["busy"] = False

    notes = _set()

    def note(detail):
        if detail not in notes and _len(notes) < MAX_NOTES:
            notes.add(detail)
            record("note", detail)

    def outside(target):
        path = target if _type(target) is _str else _fsdecode(target)
        if "/.." in path or path.startswith(".."):
            return True
        if path.startswith("/proc/"):  # ipykernel reads /proc/stat, /proc/<pid>/stat itself
            parts = path.split("/")
            return _len(parts) > 3 and parts[3] in private_proc \
                and parts[2] not in ("self", "thread-self", _str(_getpid()))
        return path.startswith("/") and not (path + "/").startswith(allowed)

    def report(event, args):
        if event in process_events:
            what = args[0] if args and _type(args[0]) in (_str, _bytes) else event
            note(f"the submission started a process ({_str(what)[:60]})")
        elif event in network_events:
            note(f"the submission used the network ({event} {_str(args[1:2])[:60]})")
        elif event in signal_events:
            own = _getpgid(0) if event == "os.killpg" else _getpid()  # ipykernel's interrupt
            if args and args[0] not in (0, own):
                note(f"the submission sent a signal to process {args[0]}")
        elif args and _type(args[0]) in (_str, _bytes):
            mode = args[1] if _len(args) > 1 else None
            flags = args[2] if _len(args) > 2 else 0
            writes = event != "open" or (_type(mode) is _str and ("w" in mode or "a" in mode
                                                                 or "x" in mode or "+" in mode)) \
                or (_type(flags) is _int and flags & write_flags)
            path = args[0] if _type(args[0]) is _str else _fsdecode(args[0])
            if writes and (path.startswith("/") or ".." in path) \
                    and ((path + "/").startswith(installed)
                         or not (path + "/").startswith(writable)):
                note(f"the submission wrote to {path[:80]} ({event})")
            elif outside(path):
                note(f"the submission opened {path[:80]} ({event})")

    record("start", str(_getpid()))
    sys.addaudithook(hook)
