"""Execute every tutorial notebook top to bottom (quick mode) and check they are kept clean.

Each notebook runs in a real Jupyter kernel (nbclient) with PDESOLVE_QUICK=1 and its working
directory set to `notebooks/`; any cell error fails that notebook's test. The kernels run two
at a time, so the durations pytest reports per notebook overlap. Set PDESOLVE_NOTEBOOK_FIGURES to
a folder to also write every figure the notebooks display as PNG (to look at them).
"""

import base64
import importlib.util
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NAMES = [
    "01_quickstart_celm.ipynb",
    "02_advection_diffusion_sfhcpinn.ipynb",
    "03_geometry_gallery.ipynb",
    "04_your_own_problem.ipynb",
]

def _generator():
    spec = importlib.util.spec_from_file_location("make_notebooks", NOTEBOOKS / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_notebooks_match_generator_and_have_no_outputs():
    generator = _generator()
    assert sorted(generator.NOTEBOOKS) == sorted(NAMES)
    for name, cells in generator.NOTEBOOKS.items():
        stored = nbformat.read(NOTEBOOKS / name, as_version=4)
        nbformat.validate(stored)
        assert [c.source for c in stored.cells] == [source for _, source in cells], (
            f"{name} differs from notebooks/make_notebooks.py; rerun the generator."
        )
        for cell in stored.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, name


def _execute(name: str):
    """Run one notebook in a fresh kernel; returns the executed notebook or the exception."""
    env = {
        **os.environ,
        "PDESOLVE_QUICK": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "JAX_PLATFORMS": "cpu",
    }
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    try:
        client.execute(env=env)  # raises CellExecutionError on the first failing cell
    except Exception as exc:  # reported by the test of this notebook
        return exc
    return nb


@pytest.fixture(scope="module")
def executed():
    """Every runnable notebook, executed two at a time (kernels mostly wait on one core each
    while XLA compiles, so two in parallel use a 2-core machine fully)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(_execute, name) for name in NAMES}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("name", NAMES)
def test_notebook_executes(name, executed):
    nb = executed[name]
    if isinstance(nb, Exception):
        raise nb
    images = [
        output["data"]["image/png"]
        for cell in nb.cells if cell.cell_type == "code"
        for output in cell.outputs if "image/png" in output.get("data", {})
    ]
    assert images, f"{name} displayed no figure"
    folder = os.environ.get("PDESOLVE_NOTEBOOK_FIGURES")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for k, data in enumerate(images):
            (Path(folder) / f"{name.removesuffix('.ipynb')}_{k}.png").write_bytes(
                base64.b64decode(data))
