"""Save and load solutions whatever method made them.

`save_solution` / `load_solution` are thin wrappers over the methods' own formats (an ELM
solution's `.save` / `ELMSolution.load`), so one call works whatever method made the solution.
"""

from pathlib import Path

from ._archive import FileFormatError, archive_kind


def save_solution(path, sol) -> Path:
    """Write a solution to a file with its method's own format (an .npz archive).

    Args:
        path: the file to write (the method adds its suffix, e.g. ".npz", when missing).
        sol: a solution with a `save(path)` method (CELM, PIELM and PINN solutions).

    Returns:
        The path written.

    Raises:
        TypeError: the solution cannot save itself.
    """
    save = getattr(sol, "save", None)
    if not callable(save):
        raise TypeError(
            f"sol of type {type(sol).__name__} has no save(path) method; export its values "
            "with export_solution_vtu instead."
        )
    written = save(Path(path))
    return Path(written) if written is not None else Path(path)


def load_solution(path, problem=None):
    """Read a solution written by `save_solution`.

    Args:
        path: the file.
        problem: the problem it solves, attached as `sol.problem` (files store the numbers,
            not the problem's functions); required for PINN solutions.

    Returns:
        The solution object: an `ELMSolution` (CELM/PIELM) or a `PINNSolution`.

    Raises:
        FileNotFoundError: no such file.
        FileFormatError: the file is truncated, corrupted or not a pdesolve solution file.
    """
    kind = archive_kind(path)
    if kind == "elm-solution":
        from ..celm import ELMSolution

        return ELMSolution.load(path, problem=problem)
    if kind == "pinn-solution":
        from ..pinn import PINNSolution

        if problem is None:
            raise ValueError(f"{path} holds a PINN solution; pass problem= (the "
                             "AdvectionDiffusion it solves: its functions are not in the file).")
        return PINNSolution.load(path, problem)
    raise FileFormatError(path, f"it holds a {kind!r}, not a solution",
                          "pass a file written by save_solution")
