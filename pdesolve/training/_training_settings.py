"""`Training`: the optimisation settings of a PINN fit (steps, optimiser, checkpoints), as one
setting."""

import dataclasses

from ..validation import check_optional_bool, check_positive_int
from ._arguments import check_lbfgs_steps, check_optimizer, check_path
from ._checkpoint import check_keep

MAX_STEPS = 2**31 - 1  # the step counter is an int32 on the device


@dataclasses.dataclass(frozen=True)
class Training:
    """How a network is trained by `pdesolve.training.train`: first-order steps scanned on
    the device in chunks, optional checkpoints, then optional L-BFGS.

    Args:
        steps: optimiser steps (> 0, at most 2³¹ − 1).
        optimizer: an optax `GradientTransformation` (None: Adam with
            `reference_schedule()`, η = 0.01·0.975^⌊s/100⌋).
        chunk: steps per dispatch (one `lax.scan`).
        eval_every: period in steps of the error against the exact solution (when known).
        checkpoint: a file (str or Path): a safe archive written atomically every
            `checkpoint_every` steps, at the end and on Ctrl-C; the last `keep_checkpoints`
            kept as checkpoint, checkpoint.1, ...
        checkpoint_every: checkpoint period in steps (None: eval_every).
        resume: a checkpoint to continue from (the newest readable one of its rotation); a
            checkpoint of another run is a ValueError.
        keep_checkpoints: how many checkpoints to keep, 1..100.
        progress: show a progress line on stderr (None: when interactive).
        lbfgs_steps: L-BFGS iterations after the first-order steps, on one fixed batch (≥ 0).

    Raises:
        TypeError, ValueError: a bad value, naming the setting (at construction).
    """

    steps: int = 5000
    optimizer: object = None
    chunk: int = 100
    eval_every: int = 1000
    checkpoint: object = None
    checkpoint_every: int | None = None
    resume: object = None
    keep_checkpoints: int = 2
    progress: bool | None = None
    lbfgs_steps: int = 0

    def __post_init__(self):
        check_positive_int(self.steps, "steps", upper=MAX_STEPS)
        if self.optimizer is not None:
            check_optimizer(self.optimizer)
        check_positive_int(self.chunk, "chunk")
        check_positive_int(self.eval_every, "eval_every")
        if self.checkpoint_every is not None:
            check_positive_int(self.checkpoint_every, "checkpoint_every")
        check_path(self.checkpoint, "checkpoint")
        check_path(self.resume, "resume")
        check_keep(self.keep_checkpoints)
        check_optional_bool(self.progress, "progress")
        check_lbfgs_steps(self.lbfgs_steps)
