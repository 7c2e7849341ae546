"""How a kind of example is solved and measured: a name, a solve function, a float64 need."""

import dataclasses
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class Method:
    """A solver as the examples use it.

    Attributes:
        name: the method's name as results and listings show it ("celm", "sfhcpinn").
        solve: `solve(example, settings, *, key, out) -> dict`: build the example's problem,
            solve it with `settings` (a dict of every setting, already resolved), measure it
            against the exact solution and return the results (see `pdesolve.examples.run`).
        needs_float64: whether the method only works with `jax_enable_x64` on.
    """

    name: str
    solve: Callable[..., dict]
    needs_float64: bool
