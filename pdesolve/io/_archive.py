"""pdesolve's file format: a zip of `.npy` arrays plus a JSON manifest, loaded without pickle.

An archive is an ordinary `.npz` file (`numpy.load(path, allow_pickle=False)` reads its arrays)
with one more member, `manifest.json`: the format name and version, the kind of file
("checkpoint", "elm-solution", ...), the pdesolve version that wrote it, the caller's metadata
(plain JSON) and, for every array, its shape, dtype and SHA-256. Reading checks the zip CRCs,
every array against the manifest, and never unpickles: object arrays are refused on write and on
read, so opening a file somebody sent you cannot run code.
"""

import hashlib
import io
import json
import zipfile
from pathlib import Path

import numpy as np

from .._version import __version__
from ._atomic import atomic_path

FORMAT = "pdesolve-archive"
FORMAT_VERSION = 1
_MANIFEST = "manifest.json"
_PICKLE_MAGIC = b"\x80"


class FileFormatError(ValueError):
    """A file is missing parts, truncated, corrupted, foreign or of an unsupported version.

    Attributes:
        path: the file.
        reason: what is wrong with it.
    """

    def __init__(self, path, reason, remedy=""):
        self.path, self.reason = Path(path), reason
        super().__init__(f"{path}: {reason}" + (f"; {remedy}" if remedy else "."))


def npz_path(path) -> Path:
    """`path` with ".npz" appended when it has another suffix (the name of a solution file)."""
    path = Path(path)
    return path if path.suffix == ".npz" else path.with_name(path.name + ".npz")


def write_archive(path, arrays: dict, metadata: dict, *, kind: str) -> Path:
    """Write named arrays and JSON metadata to `path` atomically.

    Args:
        path: the file to write (written exactly there; no suffix is added).
        arrays: mapping name -> array (numeric or string dtype; object arrays are refused).
        metadata: JSON-serialisable data (dicts, lists, str, int, float, bool, None).
        kind: what the file holds, checked by `read_archive`.

    Returns:
        `Path(path)`.

    Raises:
        TypeError: metadata that JSON cannot encode, or an object array.
    """
    path = Path(path)
    entries, table = {}, {}
    for name, value in arrays.items():
        array = np.asarray(value)
        if array.dtype.hasobject:
            raise TypeError(f"array {name!r} has dtype object, which cannot be saved safely.")
        buffer = io.BytesIO()
        np.lib.format.write_array(buffer, array, allow_pickle=False)
        entries[f"{name}.npy"] = buffer.getvalue()
        table[name] = {"shape": list(array.shape), "dtype": array.dtype.str,
                       "sha256": _digest(array)}
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "kind": kind,
                "pdesolve_version": __version__, "arrays": table, "metadata": metadata}
    try:
        text = json.dumps(manifest, allow_nan=True)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"metadata for {path} is not JSON data: {exc}") from None
    with atomic_path(path) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr(_MANIFEST, text)
            for name, data in entries.items():
                archive.writestr(name, data)
    return path


def read_archive(path, *, kind: str) -> tuple[dict, dict]:
    """Read and verify an archive written by `write_archive`.

    Args:
        path: the file.
        kind: the kind expected (e.g. "checkpoint").

    Returns:
        `(arrays, metadata)`: a dict name -> numpy array, and the metadata as written.

    Raises:
        FileNotFoundError: no file at `path`.
        FileFormatError: the file is empty, truncated, corrupted (CRC or checksum mismatch), not
            a pdesolve archive (e.g. a pickle), of another kind, or from a newer format version.
    """
    path = _check_readable(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if _MANIFEST not in names:
                raise FileFormatError(path, f"no {_MANIFEST}: not a pdesolve {kind} file")
            manifest = _manifest(path, archive.read(_MANIFEST), kind)
            arrays = {}
            for name, spec in manifest["arrays"].items():
                member = f"{name}.npy"
                if member not in names:
                    raise FileFormatError(path, f"array {name!r} is listed but missing")
                with archive.open(member) as f:
                    array = np.lib.format.read_array(f, allow_pickle=False)
                _verify(path, name, array, spec)
                arrays[name] = array
    except FileFormatError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError, TypeError) as exc:
        raise _corrupted(path, exc) from None
    return arrays, manifest["metadata"]


def archive_kind(path) -> str:
    """The kind recorded in the manifest of the archive at `path` (e.g. "elm-solution").

    Raises:
        FileNotFoundError, FileFormatError: as for `read_archive`.
    """
    path = _check_readable(path)
    try:
        with zipfile.ZipFile(path) as archive:
            if _MANIFEST not in archive.namelist():
                raise FileFormatError(path, f"no {_MANIFEST}: not a pdesolve file")
            return _manifest(path, archive.read(_MANIFEST), None)["kind"]
    except FileFormatError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as exc:
        raise _corrupted(path, exc) from None


def _corrupted(path, exc) -> FileFormatError:
    return FileFormatError(path, f"the file is truncated or corrupted ({type(exc).__name__}: "
                           f"{exc})", "use an earlier copy or write it again")


def _check_readable(path) -> Path:
    """`Path(path)` after checking it exists, is not empty and is not a pickle."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no file at {path}.")
    with open(path, "rb") as f:
        head = f.read(4)
    if not head:
        raise FileFormatError(path, "the file is empty (a write that never finished?)")
    if head.startswith(_PICKLE_MAGIC):
        raise FileFormatError(
            path, "the file is a Python pickle, which can run arbitrary code when loaded, so "
            "pdesolve does not read it", "start the run again (pdesolve 0.1 checkpoints were "
            "pickles; only open such a file with a trusted older version)")
    return path


def _manifest(path, raw: bytes, kind: str | None) -> dict:
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FileFormatError(path, f"its manifest is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise FileFormatError(path, f"not a pdesolve {kind} file (unknown manifest)")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise FileFormatError(
            path, f"format version {version!r} is newer than this pdesolve reads "
            f"({FORMAT_VERSION})", "upgrade pdesolve")
    if kind is not None and manifest.get("kind") != kind:
        raise FileFormatError(
            path, f"it holds a {manifest.get('kind')!r}, not a {kind!r}",
            "pass a file of the right kind")
    if (not isinstance(manifest.get("kind"), str) or not isinstance(manifest.get("arrays"), dict)
            or "metadata" not in manifest):
        raise FileFormatError(path, "its manifest lacks the array table or the metadata")
    return manifest


def _verify(path, name, array, spec) -> None:
    if not isinstance(spec, dict):
        raise FileFormatError(path, f"the manifest entry of array {name!r} is malformed")
    if list(array.shape) != spec.get("shape") or array.dtype.str != spec.get("dtype"):
        raise FileFormatError(
            path, f"array {name!r} is {array.dtype.str}{list(array.shape)} but the manifest "
            f"says {spec.get('dtype')}{spec.get('shape')}")
    if _digest(array) != spec.get("sha256"):
        raise FileFormatError(path, f"array {name!r} fails its checksum (the file changed "
                              "after it was written)", "use an earlier copy")


def _digest(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()
