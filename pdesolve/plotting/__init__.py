"""Pictures of solutions: fields on 2D domains (holes blank), 3D slices, space–time maps,
snapshots, training histories and convergence plots.

Every function returns a `matplotlib.figure.Figure` built without pyplot and never calls
`plt.show()`: in Jupyter make the figure the last expression of a cell (or `display(fig)`),
in scripts call `save_figure(fig, path)` (atomic) or `fig.savefig(path)`. Fields are given
as vectorised callables u(x) -> (n,) (or u(x, t)); wrap a pointwise function with `jax.vmap`.
"""

from ._curves import plot_convergence as plot_convergence
from ._curves import plot_history as plot_history
from ._fields import plot_error as plot_error
from ._fields import plot_field as plot_field
from ._fields import plot_slice as plot_slice
from ._save import save_figure as save_figure
from ._solution import plot_solution as plot_solution
from ._time import plot_snapshots as plot_snapshots
from ._time import plot_spacetime as plot_spacetime
from ._triangulation import domain_triangulation as domain_triangulation
from ._triangulation import slice_triangulation as slice_triangulation
