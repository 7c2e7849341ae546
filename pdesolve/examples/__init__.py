"""Named example problems (the paper examples and more), shared by `problems/` and the CLI."""

from . import advection_diffusion as advection_diffusion
from . import celm as celm
from . import gallery as gallery
from ._registry import EXAMPLES as EXAMPLES
from ._registry import Example as Example
from ._registry import build_parser as build_parser
from ._registry import get_example as get_example
from ._registry import register as register
from ._registry import run_example as run_example
