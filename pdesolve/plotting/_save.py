"""Write a figure to a file atomically."""

from pathlib import Path


def save_figure(fig, path, **savefig_options) -> Path:
    """Write `fig` to `path` through a temporary file, so a half-written image never exists.

    Args:
        fig: a matplotlib `Figure`.
        path: the file; its suffix picks the format (".png", ".pdf", ".svg", ...; ".png" is
            added when there is none).
        **savefig_options: passed to `fig.savefig` (e.g. `dpi=120`).

    Returns:
        The path written.
    """
    from ..io import atomic_path

    path = Path(path)
    if not path.suffix:
        path = path.with_name(path.name + ".png")
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=path.suffix[1:].lower(), **savefig_options)
    return path
