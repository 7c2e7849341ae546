"""Domains, sampling, outward normals and smooth distance functions."""

from ._ball import Ball as Ball
from ._ball import Disk as Disk
from ._box import Box as Box
from ._box import Interval as Interval
from ._box import Rectangle as Rectangle
from ._domain import Domain as Domain
from ._spacetime import SpaceTime as SpaceTime
