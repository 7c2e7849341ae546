"""A named problem as a plain record: what to solve, with which method and settings, how well."""

import dataclasses
import types
from collections.abc import Callable, Mapping

from ._method import Method
from ._option import Option
from ._report import format_summary


@dataclasses.dataclass(frozen=True)
class Example:
    """A named, runnable problem with a known exact solution.

    Attributes:
        name: the example's key, also the `problems/<name>.py` script name.
        description: one line for `python -m pdesolve list`.
        problem: `problem() -> problem`: builds the problem object (a manufactured
            `Biharmonic`, `AdvectionDiffusion`, ...); called once per run.
        method: the `Method` that solves it.
        settings: the method's settings at full size (keyword -> value).
        quick: the settings that `quick=True` (`--quick`) overrides.
        tolerance: the relative L2 error the example reaches at full settings.
        quick_tolerance: the relative L2 error it reaches in quick mode (checked by the tests).
        options: the settings a caller may change (`run(example, name=value)`, `--name`).
    """

    name: str
    description: str
    problem: Callable[[], object]
    method: Method
    settings: Mapping[str, object]
    quick: Mapping[str, object]
    tolerance: float
    quick_tolerance: float
    options: tuple[Option, ...] = ()

    def __post_init__(self):
        for field in ("settings", "quick"):
            object.__setattr__(self, field, types.MappingProxyType(dict(getattr(self, field))))

    @property
    def needs_float64(self) -> bool:
        """Whether running it needs `jax_enable_x64` (its method's need)."""
        return self.method.needs_float64

    def compute(self, settings: dict, *, key, out) -> dict:
        """Solve and measure with resolved `settings`; see `pdesolve.examples.run`."""
        return self.method.solve(self, settings, key=key, out=out)

    def format_text(self, results: dict) -> str:
        """The results as the CLI's text summary."""
        return format_summary(self, results)
