"""The zip archives the exchange service and its clients send each other.

Both sides unpack only what they expect: plain files with relative names inside the target
folder, not too many, not too large. A rejected archive raises `ArchiveError` saying why, and
nothing is written (unpacking goes to a fresh folder that is renamed into place only when whole).
"""

import io
import os
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

#: What is never sent: nbgrader's feedback folder and JupyterLab's checkpoints.
SKIPPED_FOLDERS = {"feedback", ".ipynb_checkpoints", "__pycache__"}
MAX_FILES = 500
MAX_BYTES = 100 * 1024 * 1024  # unpacked, all files together
EMPTY = b"PK\x05\x06" + bytes(18)  # a zip archive with no files


class ArchiveError(ValueError):
    """An archive that cannot be packed or unpacked as it is."""


def pack(folder, skip=SKIPPED_FOLDERS):
    """The files under `folder` (recursively, minus the `skip` folders) as zip bytes.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (pathlib.Path(d) / "ps1.ipynb").write_text("{}")
    ...     names(pack(d))
    ['ps1.ipynb']
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ArchiveError(f"folder: expected an existing folder to pack, got {str(folder)!r}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if any(part in skip for part in relative.parts) or not path.is_file():
                continue
            zf.write(path, relative.as_posix())
    return buffer.getvalue()


def names(data):
    """The file names inside zip bytes `data`, checked (see `unpack`)."""
    return [info.filename for info in _checked(data)[1]]


def _checked(data):
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ArchiveError(f"archive: expected zip bytes, got {len(data)} bytes that are not "
                           f"a zip file ({error})") from None
    infos = [info for info in zf.infolist() if not info.is_dir()]
    if len(infos) > MAX_FILES:
        raise ArchiveError(f"archive: expected at most {MAX_FILES} files, got {len(infos)}")
    total = sum(info.file_size for info in infos)
    if total > MAX_BYTES:
        raise ArchiveError(f"archive: expected at most {MAX_BYTES} bytes unpacked, got {total}")
    for info in infos:
        name = PurePosixPath(info.filename)
        if name.is_absolute() or ".." in name.parts or "\\" in info.filename or not name.parts:
            raise ArchiveError(f"archive: expected relative file names, got {info.filename!r}")
        if (info.external_attr >> 16) & 0o170000 not in (0, 0o100000):
            raise ArchiveError(f"archive: expected plain files, got {info.filename!r} "
                               "(a link or device)")
    return zf, infos


def pack_files(folder, names):
    """Only the files `names` (relative to `folder`) as zip bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            zf.write(Path(folder) / name, name)
    return buffer.getvalue()


def unpack(data, dest, existing="refuse"):
    """Unpack zip bytes `data` into the folder `dest` as a whole.

    If `dest` exists, `existing` says what happens: "refuse" (an ArchiveError), "keep" (files
    already there stay, only missing ones are added: nbgrader's `--replace`) or "replace" (files
    in the archive replace those of the same name). Returns the relative names written.
    """
    if existing not in ("refuse", "keep", "replace"):
        raise ArchiveError(f"existing: expected 'refuse', 'keep' or 'replace', got {existing!r}")
    keep_existing = existing == "keep"
    zf, infos = _checked(data)
    dest = Path(dest)
    if dest.exists() and existing == "refuse":
        raise ArchiveError(f"dest: expected a folder that does not exist yet, got {str(dest)!r}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))
    written = []
    try:
        for info in infos:
            if keep_existing and (dest / info.filename).exists():
                continue
            target = staging / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
            written.append(info.filename)
        if not dest.exists():
            os.rename(staging, dest)
            return written
        for name in written:
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, dest / name)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return written
