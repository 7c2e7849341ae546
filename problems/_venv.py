"""Stdlib-only bootstrap: run a script inside the repository's own virtual environment.

`ensure_venv()` creates `.venv` at the repository root on first use, installs pdesolve with its
test extras into it (again whenever `pyproject.toml` changes), and re-executes the calling script
with the venv's interpreter. Inside the venv it returns at once.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".pdesolve-install-stamp"


def _venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _wanted_stamp() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_venv() -> None:
    """Re-run the current script inside `.venv`, creating and filling it first if needed."""
    python = _venv_python()
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if sys.version_info < (3, 11):  # noqa: UP036 (the bootstrap may run under an older python3)
        sys.exit(f"pdesolve needs Python >= 3.11; this is {sys.version.split()[0]}.")
    if not python.exists():
        print(f"[pdesolve] creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not STAMP.exists() or STAMP.read_text() != _wanted_stamp():
        print("[pdesolve] installing pdesolve and its dependencies (first run only)", flush=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, "-e", f"{ROOT}[test]"], check=True)
        STAMP.write_text(_wanted_stamp())
    os.execv(str(python), [str(python), *sys.argv])
