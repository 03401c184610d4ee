"""Page images from the file: the pages of an image-only PDF, or the frames of a PNG/JPEG/TIFF.

Every page is handed on at a working resolution between :data:`MIN_DPI` and
:data:`MAX_DPI`: a 300 dpi scan is read at 200 dpi (recognition sees 48-pixel
lines anyway, and a quarter of the pixels costs a quarter of the time), a
150 dpi scan at its own resolution. A PDF page is rendered by pdfium at the
resolution of its largest image (so page rotation, masks and several images per
page come out as printed). An image file's resolution comes from its metadata,
else from its width taken as an A4 page's (a long image of stacked pages too).

Limits: pages (``ReadLimits.max_pdf_pages``) and pixels per page
(:data:`MAX_PIXELS`, a decompression bomb guard) → :class:`FileTooLargeError`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from gip_data.errors import CorruptFileError, FileTooLargeError
from gip_data.readers.ocr.page import PageImage

if TYPE_CHECKING:  # PIL and pdfium are imported when a scan is read, not with the module
    from PIL.Image import Image as PilImage
    from pypdfium2 import PdfPage

    from gip_data.readers.registry import ReadLimits

MIN_DPI = 150.0
MAX_DPI = 200.0
LOW_DPI = 80.0  # the cheap pass that finds the table pages
A4_SHORT_IN = 8.27
MAX_PIXELS = 80_000_000  # one page: 600 dpi A4 is 35 MP


@dataclass(slots=True)
class PageSource:
    """The pages of one file, each rendered on demand at the asked resolution."""

    count: int
    _render: Callable[[int, float | None], PageImage]
    _close: Callable[[], None] | None = None

    def page(self, index: int, dpi: float | None = None) -> PageImage:
        """Page ``index`` (0-based) at ``dpi`` (None: the working resolution)."""
        return self._render(index, dpi)

    def close(self) -> None:
        """Release the file (a PDF document stays open while pages are rendered)."""
        if self._close is not None:
            self._close()


def working_dpi(native: float) -> float:
    """The resolution a page is read at (module docstring)."""
    return float(min(MAX_DPI, max(MIN_DPI, native)))


def pdf_source(data: bytes, source: str, limits: ReadLimits) -> PageSource:
    """The pages of a PDF as images."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise CorruptFileError(f"PDF cannot be opened: {exc}", source=source) from exc
    if len(pdf) > limits.max_pdf_pages:
        pages = len(pdf)
        pdf.close()
        raise FileTooLargeError(f"{pages} pages > {limits.max_pdf_pages}", source=source)

    def render(index: int, dpi: float | None) -> PageImage:
        page = pdf[index]
        try:
            width, height = page.get_size()
            target = dpi or working_dpi(_image_dpi(page, width))
            if width * height * (target / 72.0) ** 2 > MAX_PIXELS:
                raise FileTooLargeError(f"page {index + 1} is too large to render", source=source)
            bitmap = page.render(scale=target / 72.0, grayscale=False)
            image = np.ascontiguousarray(bitmap.to_numpy()[:, :, :3])  # BGR(x) from pdfium
            return PageImage(index + 1, image, target)
        finally:
            page.close()

    return PageSource(len(pdf), render, pdf.close)


def _image_dpi(page: PdfPage, page_width_pt: float) -> float:
    """The resolution of the page's widest image (200 when it has none)."""
    import pypdfium2.raw as pdfium_c

    best = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
        try:
            pixels_w, _ = obj.get_px_size()
            left, _, right, _ = obj.get_pos()
        except Exception:  # noqa: BLE001 - a broken image object only loses its hint
            continue
        if right - left > page_width_pt * 0.3:
            best = max(best, pixels_w / ((right - left) / 72.0))
    return best or MAX_DPI


def image_source(data: bytes, source: str, limits: ReadLimits) -> PageSource:
    """The frames of a PNG, JPEG or TIFF file as pages (decoded up front; a TIFF may hold several)."""
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    frames: list[tuple[np.ndarray, float]] = []
    try:
        with Image.open(io.BytesIO(data)) as opened:
            for number, frame in enumerate(_frames(opened)):
                if number >= limits.max_pdf_pages:
                    raise FileTooLargeError(f"more than {limits.max_pdf_pages} pages", source=source)
                frames.append(_decoded(ImageOps.exif_transpose(frame) or frame))
    except Image.DecompressionBombError as exc:
        raise FileTooLargeError(f"image too large: {exc}", source=source) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise CorruptFileError(f"image cannot be decoded: {exc}", source=source) from exc

    def render(index: int, dpi: float | None) -> PageImage:
        import cv2

        image, native = frames[index]
        target = dpi or working_dpi(native)
        if abs(target - native) > 1:
            interpolation = cv2.INTER_AREA if target < native else cv2.INTER_CUBIC
            image = cv2.resize(image, None, fx=target / native, fy=target / native, interpolation=interpolation)
        return PageImage(index + 1, image, target)

    return PageSource(len(frames), render)


def _frames(image: PilImage) -> Iterator[PilImage]:
    """Every frame of a (multi-page TIFF) image."""
    from PIL import ImageSequence

    yield from ImageSequence.Iterator(image)


def _decoded(frame: PilImage) -> tuple[np.ndarray, float]:
    """A frame as a BGR array with its resolution (metadata, else an A4 page)."""
    rgb = frame.convert("RGB")
    array = np.asarray(rgb)[:, :, ::-1].copy()
    dpi = frame.info.get("dpi")
    native = float(dpi[0]) if isinstance(dpi, tuple) and dpi and 100 <= float(dpi[0]) <= 1200 else 0.0
    if not native:
        native = min(array.shape[:2]) / A4_SHORT_IN
    return array, native
