"""Domains, sampling (host and device), outward normals and smooth distance functions."""

from ._ball import Ball as Ball
from ._ball import Disk as Disk
from ._box import Box as Box
from ._box import Interval as Interval
from ._box import Rectangle as Rectangle
from ._check import check_domain as check_domain
from ._corners import Corner as Corner
from ._csg import Difference as Difference
from ._csg import Intersection as Intersection
from ._csg import Union as Union
from ._device_sampling import box_points as box_points
from ._device_sampling import pool_size as pool_size
from ._device_sampling import pool_subset as pool_subset
from ._domain import Domain as Domain
from ._mesh import Mesh as Mesh
from ._parts import boundary_parts as boundary_parts
from ._parts import boundary_segments as boundary_segments
from ._parts import classify_boundary as classify_boundary
from ._plot import plot_domain as plot_domain
from ._polygon import Polygon as Polygon
from ._rfunctions import r_and_all as r_and_all
from ._rfunctions import segment_fields as segment_fields
from ._sampling import DEVICE_METHODS as DEVICE_METHODS
from ._sampling import check_device_method as check_device_method
from ._sampling import unit_points as unit_points
from ._spacetime import SpaceTime as SpaceTime
