"""Pytrees in archives: leaves as named arrays, structure checked against a template on load."""

import jax
import numpy as np

from ..parallel import to_host


def tree_arrays(tree) -> tuple[dict, list[str]]:
    """The leaves of `tree` as host arrays named "leaf00000", … and their key paths.

    Args:
        tree: a pytree of arrays (replicated or sharded arrays are read from this process).

    Returns:
        `(arrays, paths)`: a dict name -> numpy array for `write_archive`, and the leaves'
        `jax.tree_util.keystr` paths (e.g. "['params']['w']") in order, for the metadata.
    """
    leaves = jax.tree_util.tree_flatten_with_path(tree)[0]
    arrays = {leaf_name(i): np.asarray(to_host(leaf)) for i, (_, leaf) in enumerate(leaves)}
    return arrays, [jax.tree_util.keystr(p) for p, _ in leaves]


def leaf_name(index: int) -> str:
    """The archive name of the `index`-th leaf."""
    return f"leaf{index:05d}"


def tree_like(path, paths: list[str], leaves: list, like, what: str):
    """The saved `leaves` (key `paths`) as a pytree with the structure of `like`.

    Args:
        path: the file they came from (for messages).
        paths: the saved key paths, in order.
        leaves: the saved arrays, in order.
        like: a pytree with the structure, shapes and dtypes expected.
        what: how to name a mismatch's likely cause, e.g. "another model or optimiser".

    Returns:
        The pytree.

    Raises:
        ValueError: a leaf is missing, unexpected, or of another shape or dtype (the first
            differences are listed).
    """
    expected, treedef = jax.tree_util.tree_flatten_with_path(like)
    wanted = {jax.tree_util.keystr(p): x for p, x in expected}
    saved = dict(zip(paths, leaves, strict=True))
    differences = [f"{n} is missing" for n in wanted if n not in saved]
    differences += [f"{n} is not expected here" for n in saved if n not in wanted]
    for name, x in wanted.items():
        shape, dtype = tuple(np.shape(x)), np.dtype(getattr(x, "dtype", None)
                                                    or np.asarray(x).dtype)
        if name in saved and (saved[name].shape != shape or saved[name].dtype != dtype):
            differences.append(f"{name} is {saved[name].dtype}{list(saved[name].shape)} in the "
                               f"file, {dtype}{list(shape)} here")
    if differences:
        raise ValueError(
            f"{path} was written for {what} ({len(differences)} difference(s): "
            f"{'; '.join(differences[:4])}).")
    return jax.tree_util.tree_unflatten(treedef, [saved[n] for n in wanted])
