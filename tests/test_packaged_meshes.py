"""The mesh files shipped as package data are the generated ones of geometry/ and load."""

from importlib import resources
from pathlib import Path

import pytest

from pdesolve.examples import MESH_FILES, load_mesh

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", MESH_FILES)
def test_packaged_copy_is_byte_identical_to_geometry(name):
    packaged = resources.files("pdesolve.examples") / "meshes" / name
    assert packaged.read_bytes() == (ROOT / "geometry" / name).read_bytes(), (
        f"pdesolve/examples/meshes/{name} differs from geometry/{name}: run "
        "`python geometry/make_meshes.py`, which writes both")


def test_load_mesh_reads_the_packaged_files():
    plate, block = load_mesh("porous_plate.msh"), load_mesh("l_block.vtu")
    assert plate.dim == 2 and plate.measure == pytest.approx(13.59075, abs=1e-5)
    assert block.dim == 3 and block.measure == pytest.approx(3.0, abs=1e-10)


def test_load_mesh_rejects_unknown_names():
    with pytest.raises(ValueError, match="porous_plate.msh"):
        load_mesh("plate.msh")
