"""`Status`: how a solve ended, with what to do about it (in the spirit of lineax's RESULTS)."""

import enum

_MESSAGES = {
    "successful": "successful: the solve met its criteria.",
    "rank_deficient": (
        "rank-deficient: fewer collocation rows than unknowns (info['rows'] < info['unknowns']), "
        "so the data cannot determine the fit and the minimum-norm result is usually "
        "inaccurate; add collocation points (n_interior, n_boundary) or lower hidden. (A "
        "numerical rank below the column count with enough rows is normal for random features "
        "and handled by the rank-revealing finish; info['rank'] reports it.)"
    ),
    "ill_conditioned": (
        "ill-conditioned: full rank, but the column-scaled condition number exceeds 1e12, so "
        "the coefficients carry fewer than about 4 reliable digits; lower the feature scale or "
        "hidden, or raise rcond to drop the weakest directions."
    ),
    "diverged": (
        "diverged: the loss history or the parameters hold NaN or inf; lower the learning rate "
        "(optimizer=), the boundary_weight, or train in float64."
    ),
    "not_converged": (
        "not converged: the final loss is not 10x below the initial one, or it still fell by "
        "more than half over the last tenth of the steps; train longer (steps=) or raise the "
        "learning rate."
    ),
}


class Status(enum.Enum):
    """The status of a solution (`sol.result`): one member per outcome, each with a remedy.

    Members: `successful`, `rank_deficient` and `ill_conditioned` (least-squares solves),
    `diverged` and `not_converged` (trainings). `status.message` says what it means and what
    to do.
    """

    successful = "successful"
    rank_deficient = "rank_deficient"
    ill_conditioned = "ill_conditioned"
    diverged = "diverged"
    not_converged = "not_converged"

    @property
    def message(self) -> str:
        """What the status means and what to do about it."""
        return _MESSAGES[self.value]
