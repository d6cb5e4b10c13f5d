"""Read an LMS download (a zip file or a folder) without trusting it.

`walk(source)` yields one `Member` per file: its path as a tuple of names (a zip inside the
download is one more level), its bytes, its time, and a `problem` when it cannot be used. Nothing
is extracted to disk, so no name in an archive can make us write anywhere; what would be
dangerous to extract is still reported:

- a name with "..", an absolute path or a drive letter ("../../etc/x", "/x", "C:x");
- a symbolic link (in a zip, or in a folder: links are never followed);
- a file larger than `Limits.file_bytes`, or more in total than `Limits.total_bytes` (a zip bomb
  is stopped after reading that many bytes, whatever its header claims);
- a zip nested deeper than `Limits.depth`, a corrupt or encrypted zip;
- a name stored in an encoding other than UTF-8 is decoded as UTF-8 if it is valid UTF-8
  (old zip tools do not set the UTF-8 flag), else as cp1252 (Windows).

>>> import io, zipfile
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as z:
...     z.writestr("a/b.ipynb", "{}")
...     z.writestr("../../evil.ipynb", "{}")
>>> for m in walk_zip(io.BytesIO(buffer.getvalue()), "d.zip"):
...     print(m.parts, m.problem)
('a', 'b.ipynb') None
('..', '..', 'evil.ipynb') unsafe path in the archive (.. or absolute)
"""

import io
import os
import stat
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

__all__ = ["Member", "Limits", "walk", "walk_zip"]


@dataclass
class Member:
    parts: tuple
    data: bytes = None
    when: datetime = None
    problem: str = None
    origin: str = ""  # where it came from, for the report: "download.zip: a/b.zip: c.ipynb"


@dataclass
class Limits:
    """How much of an archive we read. Defaults: 64 MiB a file, 2 GiB in all, 3 nested zips."""

    file_bytes: int = 64 * 2**20
    total_bytes: int = 2 * 2**30
    depth: int = 3
    files: int = 100_000


class _Budget:
    def __init__(self, limits):
        self.limits, self.read, self.count = limits, 0, 0


def _unsafe(name):
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":")


def _decode(info):
    if info.flag_bits & 0x800:  # the zip says the name is UTF-8
        return info.filename
    raw = info.filename.encode("cp437")  # how zipfile decoded it
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _read_capped(stream, budget):
    """At most file_bytes (and what is left of total_bytes) bytes, or None if there is more."""
    room = min(budget.limits.file_bytes, budget.limits.total_bytes - budget.read)
    data = stream.read(room + 1)
    budget.read += len(data)
    return data if len(data) <= room else None


def _is_zip(name):
    return name.lower().endswith(".zip")


def walk_zip(fileobj, origin, prefix=(), depth=0, budget=None):
    """Members of a zip (a path or a binary file object); see the module docstring."""
    budget = budget or _Budget(Limits())
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError) as error:
        yield Member(prefix or (str(origin),), problem=f"not a readable zip file ({error})",
                     origin=str(origin))
        return
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = _decode(info)
            parts = tuple(p for p in name.replace("\\", "/").split("/") if p not in ("", "."))
            path, where = prefix + parts, f"{origin}: {name}"
            budget.count += 1
            when = datetime(*info.date_time) if info.date_time[0] >= 1980 else None
            if budget.count > budget.limits.files:
                yield Member(path, problem=f"more than {budget.limits.files} files: not read",
                             origin=where)
                return
            if _unsafe(name):
                yield Member(path, problem="unsafe path in the archive (.. or absolute)",
                             origin=where)
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                yield Member(path, problem="a symbolic link (not followed)", origin=where)
                continue
            if info.file_size > budget.limits.file_bytes:
                yield Member(path, problem=f"too large: {info.file_size} bytes (limit "
                             f"{budget.limits.file_bytes})", origin=where)
                continue
            try:
                with archive.open(info) as stream:
                    data = _read_capped(stream, budget)
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError,
                    NotImplementedError) as error:
                yield Member(path, problem=f"cannot be read from the zip ({error})",
                             origin=where)
                continue
            if data is None:
                yield Member(path, problem="too large once uncompressed (a zip bomb?): stopped "
                             f"at {budget.limits.file_bytes} bytes", origin=where)
                continue
            if _is_zip(name):
                if depth + 1 > budget.limits.depth:
                    yield Member(path, problem=f"a zip nested more than {budget.limits.depth} "
                                 "deep: not opened", origin=where)
                else:
                    yield from walk_zip(io.BytesIO(data), where, path, depth + 1, budget)
                continue
            yield Member(path, data, when, origin=where)


def walk(source, limits=None):
    """Members of a downloaded zip file, or of a folder (zips in it are opened too)."""
    source = Path(source)
    budget = _Budget(limits or Limits())
    if source.is_symlink():
        raise ValueError(f"source: {source} is a symbolic link; give the file or folder itself")
    if source.is_file():
        yield from walk_zip(source, source.name, budget=budget)
        return
    if not source.is_dir():
        raise ValueError(f"source: expected a zip file or a folder, but {source} does not exist")
    for folder, dirs, files in os.walk(source, followlinks=False):
        here = Path(folder)
        rel = here.relative_to(source).parts
        for name in sorted(dirs):
            if (here / name).is_symlink():
                yield Member(rel + (name,), problem="a symbolic link (not followed)",
                             origin=str(here / name))
        dirs.sort()
        for name in sorted(files):
            path = here / name
            parts = rel + (name,)
            if path.is_symlink():
                yield Member(parts, problem="a symbolic link (not followed)", origin=str(path))
                continue
            if path.stat().st_size > budget.limits.file_bytes:
                yield Member(parts, problem=f"too large: {path.stat().st_size} bytes",
                             origin=str(path))
                continue
            if _is_zip(name):
                yield from walk_zip(path, str(path.relative_to(source)), parts, 1, budget)
                continue
            with open(path, "rb") as f:
                data = _read_capped(f, budget)
            if data is None:
                yield Member(parts, problem="too large: total limit reached", origin=str(path))
                continue
            when = datetime.fromtimestamp(path.stat().st_mtime)
            yield Member(parts, data, when, origin=str(path.relative_to(source)))
