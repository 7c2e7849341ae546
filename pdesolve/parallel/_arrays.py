"""Host arrays laid out over a mesh: leading axis split over its devices, or replicated."""

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from ._mesh import AXIS


def padded_length(n: int, multiple: int) -> int:
    """The smallest length ≥ n divisible by `multiple` (padding is added, points never dropped)."""
    return -(-int(n) // int(multiple)) * int(multiple)


def shard_leading(array, mesh: Mesh) -> jax.Array:
    """A global array with its leading axis split over the mesh's devices.

    Every process passes the same host array; each builds only the slices of its own devices
    (`jax.make_array_from_callback`), so nothing is copied between processes.

    Raises:
        ValueError: the leading length is not divisible by the mesh size (pad first with
            `padded_length`).
    """
    array = np.asarray(array)
    size = mesh.devices.size
    if array.shape[0] % size:
        raise ValueError(
            f"an array of leading length {array.shape[0]} cannot be split over {size} devices; "
            f"pad it to {padded_length(array.shape[0], size)} first."
        )
    sharding = NamedSharding(mesh, PartitionSpec(AXIS))
    return jax.make_array_from_callback(array.shape, sharding, lambda index: array[index])


def replicate(tree, mesh: Mesh):
    """Every leaf of a pytree of host arrays copied to all devices of the mesh."""
    sharding = NamedSharding(mesh, PartitionSpec())
    return jax.tree_util.tree_map(
        lambda leaf: jax.make_array_from_callback(np.shape(leaf), sharding,
                                                  lambda index: np.asarray(leaf)[index]),
        tree,
    )


def to_host(array) -> np.ndarray:
    """A replicated (or single-device) array as a NumPy array on this process."""
    if isinstance(array, jax.Array) and not array.is_fully_addressable:
        return np.asarray(array.addressable_shards[0].data)
    return np.asarray(array)
