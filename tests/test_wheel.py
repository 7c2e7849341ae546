"""pdesolve built as a wheel and installed (not editable) into a fresh venv ships its meshes
and runs a mesh example from a folder outside the repository."""

import json
import os
import shutil
import site
import subprocess
import sys
import time
import venv
import zipfile
from pathlib import Path

import pytest

from pdesolve.examples import MESH_FILES, get_example

ROOT = Path(__file__).resolve().parent.parent
# what a copy of the source tree for the build leaves out
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "out",
                                    "__pycache__", ".ruff_cache", ".pytest_cache")


def _build_wheel(folder: Path) -> Path:
    """A wheel of a copy of the repository (a build writes build/ and *.egg-info into its
    source tree), made offline with this interpreter's pip and setuptools (the test extras
    bring `wheel`, which setuptools before 70.1 needs)."""
    source = folder / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "--disable-pip-version-check", "-w", str(folder / "dist"),
                    str(source)],
                   check=True, capture_output=True, text=True, timeout=300)
    (wheel,) = (folder / "dist").glob("pdesolve-*.whl")
    return wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    return _build_wheel(tmp_path_factory.mktemp("wheel"))


def test_wheel_contains_the_mesh_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for mesh in MESH_FILES:
        assert f"pdesolve/examples/meshes/{mesh}" in names, sorted(names)


@pytest.mark.slow  # venv + gallery --quick: 9 s quiet, 28 s on two busy cores (+ the 3-9 s build)
def test_installed_wheel_runs_a_mesh_example_outside_the_repository(wheel, tmp_path):
    start = time.perf_counter()
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                    "--no-deps", "--no-index", "--quiet", "--disable-pip-version-check",
                    str(wheel)], check=True, capture_output=True, text=True, timeout=120)
    inner = subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"],
                           check=True, capture_output=True, text=True).stdout.strip()
    # the dependencies come from this interpreter's site-packages: a plain path line, so the
    # outer venv's editable-install hook (an `import` line in its own .pth) does not run, and
    # the new venv's site-packages comes first, so the wheel's pdesolve is the one imported
    (Path(inner) / "outer_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PDESOLVE_NO_CACHE"] = "1"
    located = subprocess.run([str(python), "-c", "import pdesolve; print(pdesolve.__file__)"],
                             check=True, capture_output=True, text=True, cwd=work, env=env)
    assert Path(located.stdout.strip()).is_relative_to(env_dir), located.stdout
    proc = subprocess.run([str(python), "-m", "pdesolve", "run", "gallery", "--quick", "--json"],
                          capture_output=True, text=True, cwd=work, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(proc.stdout)
    gallery = get_example("gallery")
    assert "porous plate" in {row["shape"] for row in results["table"]}
    assert results["worst_abs_z_score"] < gallery.max_abs_z_score
    assert results["max_abs_distance_on_boundary"] < gallery.max_boundary_distance
    assert results["worst_boundary_measure_error"] < gallery.max_boundary_measure_error
    print(f"installed wheel: gallery --quick in {time.perf_counter() - start:.1f} s")
