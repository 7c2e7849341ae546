"""Named example problems as plain records, shared by `problems/`, the CLI, tests, benchmarks.

`EXAMPLES` is the one tuple of them; `run(example, quick=..., seed=..., **options)` solves one
and returns its results. Command-line parsing lives in `pdesolve.cli`.
"""

from ._advection_diffusion_examples import SFHCPINN as SFHCPINN
from ._advection_diffusion_examples import solve_case as solve_case
from ._catalogue import EXAMPLES as EXAMPLES
from ._catalogue import get_example as get_example
from ._celm_examples import CELM as CELM
from ._example import Example as Example
from ._gallery import GalleryShape as GalleryShape
from ._gallery import ShapeGallery as ShapeGallery
from ._gallery import check_shape as check_shape
from ._gallery import format_table as format_table
from ._gallery import gallery_shapes as gallery_shapes
from ._meshes import MESH_FILES as MESH_FILES
from ._meshes import load_mesh as load_mesh
from ._method import Method as Method
from ._option import Option as Option
from ._report import format_summary as format_summary
from ._report import public_results as public_results
from ._run import run as run
