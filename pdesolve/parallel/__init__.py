"""Where solves run: device meshes over all (or chosen) devices and processes.

Both methods shard their work over `device_mesh(devices)`: ELM least-squares rows are reduced
per device and the small triangular factors combined by one collective; PINN collocation
batches are split over the devices with parameters replicated. After
`jax.distributed.initialize(...)` the default mesh spans every process. Before allocating,
solvers estimate their peak memory and `check_memory` refuses what cannot fit; host LAPACK calls
run inside `blas_threads()` so that SciPy's BLAS pool and XLA's do not oversubscribe the cores.
"""

from ._arrays import padded_length as padded_length
from ._arrays import replicate as replicate
from ._arrays import shard_leading as shard_leading
from ._arrays import to_host as to_host
from ._blas import blas_thread_count as blas_thread_count
from ._blas import blas_threads as blas_threads
from ._memory import Need as Need
from ._memory import check_memory as check_memory
from ._memory import device_memory as device_memory
from ._memory import format_bytes as format_bytes
from ._memory import host_memory as host_memory
from ._mesh import AXIS as AXIS
from ._mesh import check_devices as check_devices
from ._mesh import check_distributed as check_distributed
from ._mesh import device_mesh as device_mesh
from ._mesh import use_devices as use_devices
