"""How a training run ends early: divergence (NaN or inf) and interruption (Ctrl-C)."""

import numpy as np


class TrainingDiverged(FloatingPointError):
    """The loss or the parameters became NaN or inf; `params` and `step` hold the last good
    state."""

    def __init__(self, message, params, step):
        super().__init__(message)
        self.params, self.step = params, step


class TrainingInterrupted(KeyboardInterrupt):
    """Training was interrupted (Ctrl-C); the last good state is saved and attached.

    Attributes:
        params: the parameters after the last completed chunk of steps.
        step: the number of steps they have had.
        checkpoint: the checkpoint holding that state (None when `checkpoint=` was not given).
    """

    def __init__(self, message, params, step, checkpoint):
        super().__init__(message)
        self.params, self.step, self.checkpoint = params, step, checkpoint


def divergence_message(losses, params_finite: bool, step: int, count: int, last_saved):
    """What went non-finite in the chunk of `count` steps from `step`, or None if nothing did.

    Args:
        losses: the chunk's per-step losses (host array).
        params_finite: whether every parameter is finite after the chunk's last update.
        step: the first step of the chunk.
        count: the number of steps the chunk ran.
        last_saved: `(path, step)` of the last checkpoint written, or None.

    Returns:
        The message of the `TrainingDiverged` to raise (with the remedy), or None.
    """
    bad = np.nonzero(~np.isfinite(losses))[0]
    if not bad.size and params_finite:
        return None
    where = (
        f"the last good checkpoint is {last_saved[0]} (step {last_saved[1]})"
        if last_saved
        else "no checkpoint was written in this run (pass checkpoint= to keep one)"
    )
    what = (f"the loss became {losses[bad[0]]} at step {step + int(bad[0])}" if bad.size
            else f"the parameters became NaN or inf in the update of step {step + count - 1}")
    return (f"{what}; training stopped at step {step} and {where}. Lower the learning rate or "
            "the penalty weights.")
