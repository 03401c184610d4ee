"""Scans made from text PDFs, as a scanner or a phone would make them (for the OCR tests and bench/ocr.py).

Each page is rendered at the asked resolution, turned by a small angle (and a
chosen page upside down), given a red seal and a blue signature over the text, speckle noise and
blur, and saved as an image-only PDF, a multi-page TIFF, or one long PNG/JPEG
of the pages stacked (the 长图 that government sites and WeChat accounts post).
Nothing random is left to chance: every effect comes from a seeded generator.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image


@dataclass(frozen=True, slots=True)
class ScanSpec:
    """How to scan: resolution, skew, effects and the file format."""

    dpi: int = 200
    angle: float = 0.0  # degrees, counter-clockwise
    noise: float = 0.0  # share of pixels turned to specks
    blur: float = 0.0  # Gaussian sigma in pixels
    grey: bool = True
    stamp: bool = False
    upside_down: tuple[int, ...] = ()  # 0-based pages turned by 180°
    pages: tuple[int, ...] | None = None  # which pages to keep (None: all)
    fmt: str = "pdf"  # pdf | png | jpeg | tiff
    seed: int = 0

    @property
    def suffix(self) -> str:
        """The file suffix of the format."""
        return {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg", "tiff": ".tif"}[self.fmt]

    def label(self) -> str:
        """A short name for test ids."""
        return f"{self.fmt}-{self.dpi}dpi-{self.angle:+.1f}deg"


def render_pages(pdf_bytes: bytes, dpi: int, pages: tuple[int, ...] | None = None) -> list[np.ndarray]:
    """The PDF's pages as RGB arrays at ``dpi``."""
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        chosen = pages if pages is not None else tuple(range(len(pdf)))
        return [np.asarray(pdf[i].render(scale=dpi / 72.0).to_pil().convert("RGB")) for i in chosen]
    finally:
        pdf.close()


def scan_page(page: np.ndarray, spec: ScanSpec, rng: np.random.Generator, turned: bool) -> np.ndarray:
    """One page as the scanner saw it (RGB)."""
    image = page.copy()
    if spec.stamp:
        _stamp(image, spec.dpi, rng)
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), spec.angle + (180.0 if turned else 0.0), 1.0)
    image = cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    if spec.blur:
        image = cv2.GaussianBlur(image, (0, 0), spec.blur)
    if spec.noise:
        specks = rng.random((h, w)) < spec.noise
        image[specks] = rng.integers(0, 120, size=(int(specks.sum()), 1), dtype=np.uint8)
    if spec.grey:
        image = np.repeat(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)[:, :, None], 3, axis=2)
    return image


def _stamp(image: np.ndarray, dpi: int, rng: np.random.Generator) -> None:
    """A red official seal (ring, star, arc of strokes) and a blue signature over the print.

    Ink on paper multiplies: print under the seal stays dark, paper turns red.
    """
    h, w = image.shape[:2]
    centre = (int(w * rng.uniform(0.55, 0.75)), int(h * rng.uniform(0.15, 0.3)))
    radius = int(dpi * 0.8)
    seal = np.full((h, w), 0, np.uint8)
    cv2.circle(seal, centre, radius, 255, max(2, dpi // 40))
    cv2.drawMarker(seal, centre, 255, cv2.MARKER_STAR, radius // 2, max(2, dpi // 60))
    for k in range(12):
        angle = np.pi * (1.15 + 0.7 * k / 11)
        x = int(centre[0] + 0.7 * radius * np.cos(angle))
        y = int(centre[1] + 0.7 * radius * np.sin(angle))
        cv2.rectangle(seal, (x - dpi // 20, y - dpi // 20), (x + dpi // 20, y + dpi // 20), 255, -1)
    signature = np.zeros((h, w), np.uint8)
    start = np.array([w * 0.15, h * rng.uniform(0.4, 0.6)])
    points = (start + np.cumsum(rng.normal(0, dpi / 25, (40, 2)) + [dpi / 12, 0], axis=0)).astype(np.int32)
    cv2.polylines(signature, [points], False, 255, max(2, dpi // 70))
    for mask, colour in ((seal, (225, 45, 45)), (signature, (40, 60, 200))):
        tint = np.ones((h, w, 3), np.float32)
        tint[mask > 0] = np.array(colour, np.float32) / 255.0
        image[:] = (image.astype(np.float32) * tint).astype(np.uint8)


def make_scan(pdf_bytes: bytes, spec: ScanSpec) -> bytes:
    """The scanned file's bytes (module docstring)."""
    rng = np.random.default_rng(spec.seed)
    pages = render_pages(pdf_bytes, spec.dpi, spec.pages)
    scanned = [scan_page(p, spec, rng, i in spec.upside_down) for i, p in enumerate(pages)]
    images = [Image.fromarray(p) for p in scanned]
    out = io.BytesIO()
    if spec.fmt == "pdf":
        images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=float(spec.dpi), quality=80)
    elif spec.fmt == "tiff":
        images[0].save(out, "TIFF", save_all=True, append_images=images[1:], dpi=(spec.dpi, spec.dpi), compression="tiff_lzw")
    else:
        long = Image.fromarray(np.vstack(scanned))
        kind = "PNG" if spec.fmt == "png" else "JPEG"
        options = {"optimize": True} if kind == "PNG" else {"quality": 85}
        long.save(out, kind, dpi=(spec.dpi, spec.dpi), **options)
    return out.getvalue()
