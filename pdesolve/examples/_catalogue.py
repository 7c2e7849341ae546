"""The one list of named examples, shared by `problems/*.py`, the CLI, tests and benchmarks."""

from ._advection_diffusion_examples import advection_diffusion_examples
from ._celm_examples import celm_examples
from ._gallery import GALLERY

EXAMPLES = (*celm_examples(), *advection_diffusion_examples(), GALLERY)


def get_example(name: str, examples=EXAMPLES):
    """The example called `name` in `examples` (default: all of pdesolve's).

    Raises:
        ValueError: no example has that name (the message lists the known names).
    """
    for example in examples:
        if example.name == name:
            return example
    known = ", ".join(sorted(e.name for e in examples)) or "(none)"
    raise ValueError(f"unknown example {name!r}; known examples: {known}.")
