"""The mesh files shipped with pdesolve (copies of the repository's `geometry/` folder)."""

from importlib import resources

from .. import geometry as geo

MESH_FILES = ("porous_plate.msh", "l_block.vtu")


def load_mesh(filename: str) -> geo.Mesh:
    """The packaged mesh `filename` as a `Mesh`, read through `importlib.resources` (so it
    works from an installed wheel as from the repository).

    Args:
        filename: one of `MESH_FILES`.

    Raises:
        ValueError: `filename` is not a packaged mesh (the message lists those there are).
    """
    if filename not in MESH_FILES:
        raise ValueError(f"load_mesh: filename must be one of {', '.join(MESH_FILES)}, got "
                         f"{filename!r}.")
    with resources.as_file(resources.files(__package__) / "meshes" / filename) as path:
        return geo.Mesh.from_file(path)
