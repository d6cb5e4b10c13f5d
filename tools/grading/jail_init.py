"""The first program inside a grading jail: it prepares the kernel's process, then becomes it.

Run by bubblewrap (tools/grading/jail.py) as ``python -I -S jail_init.py ... -- KERNEL-COMMAND``,
with nothing but the standard library. In order, it

1. limits the number of processes (RLIMIT_NPROC, counted per user: per jail, because each jail
   has a user of its own) and turns core dumps off;
2. copies the submission's working files from their read-only view into the jail's working
   folder, a size-limited tmpfs at the same path: the student's code may write there, and only
   there besides the private /tmp, and what it writes is gone with the jail;
3. when started as root (a privileged jail), hands the working folder to the jail's own
   unprivileged user and becomes that user (no supplementary groups, no capabilities);
4. runs the kernel command in the working folder (``exec``: it keeps this process).
"""

import argparse
import os
import resource
import shutil
import sys


def _chown_tree(path, uid):
    """Give `path` and everything under it to uid (never following a symbolic link)."""
    os.chown(path, uid, uid, follow_symlinks=False)
    for folder, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(folder, name), uid, uid, follow_symlinks=False)


def main(argv):
    parser = argparse.ArgumentParser(prog="jail_init")
    parser.add_argument("--processes", type=int, required=True)
    parser.add_argument("--uid", type=int, default=None)
    parser.add_argument("--copy", nargs=2, metavar=("FROM", "TO"), required=True)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    resource.setrlimit(resource.RLIMIT_NPROC, (args.processes, args.processes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    source, workdir = args.copy
    shutil.copytree(source, workdir, symlinks=True, dirs_exist_ok=True)
    if args.uid is not None and os.getuid() == 0:
        _chown_tree(workdir, args.uid)
        os.setgroups([])
        os.setresgid(args.uid, args.uid, args.uid)
        os.setresuid(args.uid, args.uid, args.uid)  # drops every capability as well
    os.chdir(workdir)
    os.execv(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
