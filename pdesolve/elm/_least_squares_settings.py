"""`LeastSquares`: how an ELM's collocation system is solved, as one setting."""

import dataclasses

import jax

from ..validation import as_positive_scalar, check_choice, check_positive_int
from ._assembly import ROW_SCALINGS
from ._lstsq import FINISHES, SOLVERS

BACKENDS = ("auto", "device", "host")
DEFAULT_RCOND = 1e-14
DEFAULT_SKETCH_FACTOR = 2.0


@dataclasses.dataclass(frozen=True)
class LeastSquares:
    """The rank-revealing float64 least squares min ‖D_r (A β − b)‖₂ of an ELM solve.

    D_r scales each row; the columns are scaled to unit norm; directions whose singular value
    (or pivot) falls below rcond·σ_max are dropped, giving the minimum-norm fit over the rest.

    Args:
        solver: "qr" (streamed Householder QR, default), "sketch" (rows compressed by a
            sparse sign embedding, then "qr"; fastest when points far outnumber unknowns),
            "gelsd" or "gelsy" (dense SciPy).
        finish: "svd" or "pivoted": the rank-revealing step of solver="qr" / "sketch".
        rcond: relative cutoff for the numerical rank, in (0, 1).
        sketch_factor: rows kept per unknown (per column block) by solver="sketch", ≥ 1.
        row_scaling: "maxabs" (each row divided by its largest |entry|), "l2" or "none".
        block_rows: rows per assembled block (memory ~ block_rows × M × 8 bytes).
        backend: where it runs: "host" (SciPy's LAPACK, blocks copied from the device),
            "device" (a tall-skinny QR folded over the blocks in one compiled loop, rows
            sharded over the devices, factors combined by one all-gather; solver="qr" only)
            or "auto" (default: "host" on one CPU device, "device" otherwise).
            `sol.info["backend"]` and `sol.info["devices"]` say what ran.

    Raises:
        TypeError, ValueError: a bad value or combination, naming the setting (at
            construction).
    """

    solver: str = "qr"
    finish: str = "pivoted"
    rcond: float = DEFAULT_RCOND
    sketch_factor: float = DEFAULT_SKETCH_FACTOR
    row_scaling: str = "maxabs"
    block_rows: int = 4096
    backend: str = "auto"

    def __post_init__(self):
        check_choice(self.solver, "solver", SOLVERS)
        check_choice(self.finish, "finish", FINISHES)
        if as_positive_scalar(self.rcond, "rcond", "it is the relative singular-value cutoff, "
                              "e.g. 1e-14.") >= 1:
            raise ValueError(f"rcond must be below 1 (a relative singular-value cutoff), got "
                             f"{self.rcond!r}; rcond >= 1 discards every direction. Use e.g. "
                             "1e-14.")
        check_choice(self.row_scaling, "row_scaling", ROW_SCALINGS)
        check_positive_int(self.block_rows, "block_rows",
                           hint="rows assembled and factorised per block.")
        check_choice(self.backend, "backend", BACKENDS)
        if self.backend == "device" and self.solver != "qr":
            raise ValueError(f"backend='device' runs solver='qr' only, got "
                             f"solver={self.solver!r}; use solver='qr' or backend='host' (or "
                             "'auto').")
        if self.backend == "host" and jax.process_count() > 1:
            raise ValueError(f"backend='host' factorises on one process, but this run has "
                             f"{jax.process_count()} processes; use backend='device' or 'auto'.")
        factor = as_positive_scalar(self.sketch_factor, "sketch_factor", "solver='sketch' keeps "
                                    "sketch_factor × columns rows per block.")
        if factor < 1:
            raise ValueError(f"sketch_factor must be >= 1 (sketch rows per unknown), got "
                             f"{factor}; 2 is the default, larger is closer to the unsketched "
                             "solution.")
