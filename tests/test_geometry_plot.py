"""plot_domain: draws samples and normals into a new or given Axes, headless."""

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from pdesolve import geometry as geo


def test_plot_domain_new_and_given_axes(key, tmp_path):
    before = matplotlib.get_backend()
    fig = geo.plot_domain(geo.Disk((0, 0), 1) - geo.Disk((0.2, 0), 0.3), key=key, n_interior=50,
                          n_boundary=40, normals=10)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    offsets = np.concatenate([c.get_offsets() for c in ax.collections[:2]])
    assert offsets.shape == (90, 2)
    fig.savefig(tmp_path / "annulus.png")
    assert (tmp_path / "annulus.png").stat().st_size > 0
    host = Figure()
    axes = host.subplots(1, 2)
    out = geo.plot_domain(geo.Polygon([(0, 0), (1, 0), (0, 1)]), key=key, ax=axes[1], title="tri")
    assert out is host and axes[1].get_title() == "tri"
    assert matplotlib.get_backend() == before


def test_plot_domain_bad_input(key):
    with pytest.raises(ValueError, match="2D domains, got a 3-D"):
        geo.plot_domain(geo.Ball((0, 0, 0), 1), key=key)
    with pytest.raises(TypeError, match="domain must be a pdesolve.geometry Domain"):
        geo.plot_domain(np.zeros((3, 2)), key=key)
