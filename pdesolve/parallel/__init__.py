"""Where solves run: device meshes over all (or chosen) devices and processes.

Both methods shard their work over `device_mesh(devices)`: ELM least-squares rows are reduced
per device and the small triangular factors combined by one collective; PINN collocation
batches are split over the devices with parameters replicated. After
`jax.distributed.initialize(...)` the default mesh spans every process.
"""

from ._arrays import padded_length as padded_length
from ._arrays import replicate as replicate
from ._arrays import shard_leading as shard_leading
from ._arrays import to_host as to_host
from ._mesh import AXIS as AXIS
from ._mesh import check_devices as check_devices
from ._mesh import check_distributed as check_distributed
from ._mesh import device_mesh as device_mesh
from ._mesh import use_devices as use_devices
