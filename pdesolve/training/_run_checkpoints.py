"""The checkpoints of one training run: resuming from them and writing them."""

import functools

import jax
from jax.sharding import NamedSharding, PartitionSpec

from ..parallel import replicate, to_host
from ._checkpoint import latest_checkpoint, save_checkpoint
from ._chunk import points_splitter
from ._fingerprint import fingerprint_differences


class RunCheckpoints:
    """Where one run writes its checkpoints, what identifies the run, and the last one written.

    Args:
        path: the checkpoint file (None: the run writes none).
        keep: how many checkpoints of the rotation to keep.
        fingerprint: the run's fingerprint (`run_fingerprint`), stored in every checkpoint.
        last: `(path, step)` of the checkpoint the run resumed from, or None.
    """

    def __init__(self, path, keep: int, fingerprint: dict, last=None):
        self.path, self.keep, self.fingerprint, self.last = path, keep, fingerprint, last

    def save(self, params, opt_state, step: int, history: dict) -> None:
        """Write the state after `step` steps (a no-op without a path)."""
        if self.path is None:
            return
        metadata = {"key": self.fingerprint["key"], "history": history,
                    "fingerprint": self.fingerprint,
                    "initial_loss": history["loss"][0] if history["loss"] else None}
        tree = {"params": params, "opt_state": opt_state}
        self.last = save_checkpoint(self.path, tree, step=step, metadata=metadata,
                                    keep=self.keep), step

    def save_unless_written(self, params, opt_state, step: int, history: dict) -> None:
        """Write the state after `step` steps unless this path already holds it."""
        if self.path is not None and (
            self.last is None or self.last[1] != step or self.last[0] != self.path
        ):
            self.save(params, opt_state, step, history)


def resume_state(resume, fingerprint, local_params, local_state, *, loss_fn, sample, key, mesh):
    """`(params, opt_state, step, history)` replicated on `mesh`, from the newest readable
    checkpoint of the rotation `resume`.

    Raises:
        FileNotFoundError, pdesolve.io.FileFormatError: no readable checkpoint there.
        ValueError: the checkpoint was written by another run (fingerprint or step-0 loss).
    """
    found = latest_checkpoint(resume, like={"params": local_params, "opt_state": local_state})
    _check_same_run(found, fingerprint, loss_fn, sample, key, mesh,
                    replicate(local_params, mesh))
    params, opt_state = replicate((found.tree["params"], found.tree["opt_state"]), mesh)
    history = {k: list(v) for k, v in found.metadata["history"].items()}
    return params, opt_state, found.step, history


def _check_same_run(found, fingerprint, loss_fn, sample, key, mesh, params):
    """ValueError unless checkpoint `found` was written by the run `fingerprint` describes
    and the step-0 loss of this run's loss function agrees with the one recorded (relative
    difference ≤ 1e-3, which allows another reduction order)."""
    differences = fingerprint_differences(found.metadata.get("fingerprint"), fingerprint)
    if not differences:
        recorded = found.metadata.get("initial_loss")
        everywhere = NamedSharding(mesh, PartitionSpec())
        split = points_splitter(mesh)

        @functools.partial(jax.jit, in_shardings=everywhere, out_shardings=everywhere)
        def initial_loss(params):
            return loss_fn(params, split(sample(jax.random.fold_in(key, 0))), 0)[0]

        now = float(to_host(initial_loss(params)))
        if recorded is None or not abs(now - recorded) <= 1e-3 * max(abs(recorded), 1e-30):
            differences.append(
                f"another loss (problem data or weights): the step-0 loss is {now!r} now, "
                f"{recorded!r} in the checkpoint")
    if differences:
        raise ValueError(
            f"resume={str(found.path)!r} was written by another run: " + "; ".join(differences)
            + ". Resume with the same problem, key and settings, or start a new run.")
