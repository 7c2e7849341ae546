"""The advection–diffusion examples by name, for the benchmark scripts: `CASES[name]` (an
`Example`, from `EXAMPLES`) and `solve_case(example, key=..., steps=..., ...)`."""

from ._advection_diffusion_examples import SFHCPINN
from ._advection_diffusion_examples import solve_case as solve_case
from ._catalogue import EXAMPLES

CASES = {e.name: e for e in EXAMPLES if getattr(e, "method", None) is SFHCPINN}
