"""Page geometry: the ink of a page, its skew, and the map from the upright page back to the scan.

- :func:`text_grey`: the grey page a reader sees: for colour scans the brightest
  channel of each pixel, so red stamps and blue signatures over black print fade
  to white and the print stays;
- :func:`ink`: dark pixels against their neighbourhood (adaptive threshold),
  so grey paper, uneven lighting and shadows do not count as ink;
- :func:`skew_angle`: the rotation (±3°) that makes text rows and ruling lines
  level, found where the row profile of the ink is sharpest;
- :class:`Upright`: the page turned level (and by 180° when it was upside
  down), with the affine map back to the scan's pixels, so every box is given
  where it stands on the page as scanned.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MAX_SKEW = 3.0
# A pixel whose channels differ by more than this, with its brightest above COLOUR_BRIGHT, is coloured ink.
COLOUR_SPREAD = 70
COLOUR_BRIGHT = 140
# Skew is searched on a small copy of the page: enough resolution for 0.05° steps.
SKEW_WIDTH = 900


def text_grey(image: np.ndarray) -> np.ndarray:
    """One channel: the brightest of B, G, R (coloured marks fade, black print stays).

    Coloured ink that is not dark (a blue signature's brightest channel is only
    about 200) is turned white outright; print under a seal stays dark, since
    ink multiplies.
    """
    if image.ndim == 2:
        return image
    bright = image.max(axis=2)
    dark = image.min(axis=2)
    colourful = (bright.astype(np.int16) - dark > COLOUR_SPREAD) & (bright > COLOUR_BRIGHT)
    return np.where(colourful, np.uint8(255), bright).astype(np.uint8)


def ink(grey: np.ndarray, dpi: float) -> np.ndarray:
    """Ink mask (255 = ink) by adaptive threshold over about a sixth of an inch."""
    block = max(15, int(dpi / 6) | 1)
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)


def paint(keep: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The mask that gives each pixel its component's value in ``keep`` (``labels`` from connectedComponents).

    A typed ``keep[labels]``: numpy's stubs type indexing by an array as Any, and OpenCV's add its Mat.
    """
    painted: np.ndarray = keep[labels]
    return painted


def despeckle(mask: np.ndarray, dpi: float) -> np.ndarray:
    """The mask without dots smaller than scanner speckle (a few pixels at 200 dpi)."""
    limit = max(2, int(round((dpi / 200.0) ** 2 * 4)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    keep = np.zeros(count, dtype=np.uint8)
    keep[1:] = (stats[1:, cv2.CC_STAT_AREA] > limit).astype(np.uint8) * 255
    return paint(keep, labels)


def skew_angle(mask: np.ndarray) -> float:
    """Degrees to rotate the page (counter-clockwise positive, as OpenCV) so its rows are level."""
    scale = min(1.0, SKEW_WIDTH / mask.shape[1])
    small = cv2.resize(mask, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else mask
    best = _search(small, np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.25))
    return _search(small, np.arange(best - 0.25, best + 0.26, 0.05))


def _search(mask: np.ndarray, angles: np.ndarray) -> float:
    """The angle whose rotated row profile has the largest variance of differences (sharp rows)."""
    h, w = mask.shape
    centre = (w / 2, h / 2)
    scores = []
    for angle in angles:
        turned = cv2.warpAffine(mask, cv2.getRotationMatrix2D(centre, float(angle), 1.0), (w, h), flags=cv2.INTER_NEAREST)
        profile = turned.sum(axis=1, dtype=np.float64)
        scores.append(float(np.sum(np.diff(profile) ** 2)))
    return float(angles[int(np.argmax(scores))])


@dataclass(slots=True)
class Upright:
    """A page turned level: the image, and the affine map from its pixels to the scan's."""

    image: np.ndarray
    to_scan: np.ndarray  # 2×3

    def scan_box(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """The bounding box, in scan pixels, of an upright-image box (x0, top, x1, bottom)."""
        x0, y0, x1, y1 = box
        corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64)
        mapped = corners @ self.to_scan.T
        return (
            float(mapped[:, 0].min()),
            float(mapped[:, 1].min()),
            float(mapped[:, 0].max()),
            float(mapped[:, 1].max()),
        )


def make_upright(image: np.ndarray, angle: float, turned: bool) -> Upright:
    """Rotate ``image`` by ``angle`` degrees (plus 180° when ``turned``), white filling the corners."""
    h, w = image.shape[:2]
    total = angle + (180.0 if turned else 0.0)
    if abs(total) < 0.02:
        return Upright(image, np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
    forward = cv2.getRotationMatrix2D((w / 2, h / 2), total, 1.0)
    border = (255, 255, 255) if image.ndim == 3 else 255
    rotated = cv2.warpAffine(image, forward, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)
    return Upright(rotated, cv2.invertAffineTransform(forward))
