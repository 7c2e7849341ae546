"""Default sizes of the ELM solvers by space dimension (see `benchmarks/celm_accuracy.py`)."""

# hidden: width of each network; scale: s of U[-s, s] in the reference box [-1, 1]^d.
PIELM = {
    1: {"hidden": 60, "scale": 5.0, "n_interior": 200, "n_boundary": 2},
    2: {"hidden": 300, "scale": 5.0, "n_interior": 900, "n_boundary": 300},
    3: {"hidden": 1000, "scale": 3.0, "n_interior": 3000, "n_boundary": 1200},
}
# CELM 3D: M = 1200 left the clamped ball with sin(πx)sin(πy)sin(πz) at 5.7e-9 (full rank);
# M = 1600 reaches 7.4e-11 (Navier 4.4e-11), measured with key 0.
CELM = {
    1: {"hidden": 60, "scale": 5.0, "n_interior": 200, "n_boundary": 2},
    2: {"hidden": 400, "scale": 5.0, "n_interior": 1200, "n_boundary": 400},
    3: {"hidden": 1600, "scale": 4.0, "n_interior": 3200, "n_boundary": 1600},
}


def defaults(table: dict, dim: int) -> dict:
    """The defaults for dimension `dim` (the 3D ones beyond 3D)."""
    return dict(table[min(max(dim, 1), 3)])
