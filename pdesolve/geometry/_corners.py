"""Corners of 2D domains bounded by straight segments: vertex, edge directions, angle."""

import dataclasses

import numpy as np

STRAIGHT = 1e-9  # |ω − π| below this (radians) is no corner
_MATCH = 1e-10  # relative distance at which two segment end points are the same vertex


@dataclasses.dataclass(frozen=True)
class Corner:
    """A boundary vertex where two straight edges meet at an angle other than π.

    The domain near the vertex is the wedge swept counter-clockwise from `first` to `second`
    through the interior angle `angle` (ω). Local coordinates x' = (x − vertex)·first,
    y' = (x − vertex)·n with n the first edge's inward normal (first rotated by +90°) put the
    wedge at polar angles 0 < θ < ω.

    Attributes:
        vertex: the corner point, shape (2,).
        first: unit vector along the edge leaving the vertex (domain on its left).
        second: unit vector along the other edge, from the vertex.
        angle: the interior angle ω in (0, 2π); ω > π is a re-entrant corner.
    """

    vertex: np.ndarray
    first: np.ndarray
    second: np.ndarray
    angle: float

    @property
    def normal(self) -> np.ndarray:
        """The inward normal of the first edge (first rotated by +90°)."""
        return np.array([-self.first[1], self.first[0]])


def polyline_corners(segments) -> tuple[Corner, ...]:
    """The corners of closed polylines given as oriented segments (domain on their left).

    Args:
        segments: per boundary piece, the segments' end points (a, b), arrays of shape (k, 2)
            (as `Domain.boundary_segments` returns them), or None.

    Returns:
        One `Corner` per vertex whose edges meet at an angle differing from π by more than
        `STRAIGHT`; empty when `segments` is None.
    """
    if segments is None:
        return ()
    a = np.concatenate([np.asarray(p[0], dtype=np.float64) for p in segments])
    b = np.concatenate([np.asarray(p[1], dtype=np.float64) for p in segments])
    size = max(float(np.max(np.abs(np.concatenate([a, b])))), 1.0)
    corners = []
    for i in range(len(a)):
        gaps = np.linalg.norm(a - b[i], axis=1)
        j = int(np.argmin(gaps))
        if gaps[j] > _MATCH * size:
            continue
        first = (b[j] - a[j]) / np.linalg.norm(b[j] - a[j])
        second = (a[i] - b[i]) / np.linalg.norm(a[i] - b[i])
        cross = first[0] * second[1] - first[1] * second[0]
        angle = float(np.arctan2(cross, first @ second) % (2 * np.pi))
        if abs(angle - np.pi) > STRAIGHT:
            corners.append(Corner(b[i].copy(), first, second, angle))
    return tuple(corners)


def rectangle_corners(lo, hi) -> tuple[Corner, ...]:
    """The four right-angle corners of the rectangle [lo, hi], counter-clockwise from lo."""
    (x0, y0), (x1, y1) = np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)
    a = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    return polyline_corners([(a, np.roll(a, -1, axis=0))])
