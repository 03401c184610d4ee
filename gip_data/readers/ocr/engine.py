"""The OCR engine: PP-OCR models bundled in the ``rapidocr`` wheel, run by onnxruntime on the CPU.

Three models ship inside the installed ``rapidocr`` package (``rapidocr/models``):
text detection (PP-OCRv6 small), text-line recognition (PP-OCRv6 small, its
character list stored in the model) and the 0°/180° line classifier. They are
loaded from those files by explicit path, so nothing is ever downloaded: a
missing file is a :class:`~gip_data.errors.ConfigError`, not a fetch.

- :meth:`Engine.detect`: text-line boxes of a page (rapidocr's DB detector);
- :meth:`Engine.recognize`: text of line images with a probability per character
  (our own CTC decoding, so a single unsure digit can be marked, not only a line);
- :meth:`Engine.upside_down`: the share of line images the classifier reads as turned 180°.

One engine per process (:func:`engine`); onnxruntime uses ``GIP_OCR_THREADS``
threads (default 1: parallelism comes from worker processes, one per file).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from gip_data.errors import ConfigError

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"
THREADS_ENV = "GIP_OCR_THREADS"
REC_HEIGHT = 48
# Recognition batches group lines of similar width; a batch is padded to its widest line.
REC_BATCH = 32
REC_BATCH_COLUMNS = 6000
CLS_SHAPE = (48, 192)

_lock = threading.Lock()
_engine: Engine | None = None


@dataclass(frozen=True, slots=True)
class Reading:
    """One recognised line: its characters and each character's probability."""

    text: str
    probs: tuple[float, ...]

    @property
    def confidence(self) -> float:
        """The least sure character's probability (1.0 for an empty reading)."""
        return min(self.probs, default=1.0)


def model_dir() -> Path:
    """Where the installed ``rapidocr`` package keeps its bundled models."""
    try:
        import rapidocr
    except ImportError as exc:
        raise ConfigError("OCR needs the rapidocr package (pip install gip-data)") from exc
    return Path(rapidocr.__file__).resolve().parent / "models"


def model_files() -> dict[str, Path]:
    """The three model files, checked to exist (never fetched)."""
    root = model_dir()
    files = {"det": root / DET_MODEL, "rec": root / REC_MODEL, "cls": root / CLS_MODEL}
    missing = [p.name for p in files.values() if not p.is_file()]
    if missing:
        raise ConfigError(f"OCR model files missing from the rapidocr package: {', '.join(missing)}")
    return files


def engine() -> Engine:
    """The process's engine, loaded on first use."""
    global _engine
    with _lock:
        if _engine is None:
            _engine = Engine(model_files(), int(os.environ.get(THREADS_ENV, "1") or 1))
        return _engine


class Engine:
    """The loaded models (see module docstring)."""

    def __init__(self, files: dict[str, Path], threads: int) -> None:
        import onnxruntime as ort
        from rapidocr import RapidOCR

        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.enable_cpu_mem_arena = False  # an arena keeps the peak of the widest batch for good
        providers = ["CPUExecutionProvider"]
        self._rec = ort.InferenceSession(str(files["rec"]), options, providers=providers)
        self._cls = ort.InferenceSession(str(files["cls"]), options, providers=providers)
        characters = self._rec.get_modelmeta().custom_metadata_map.get("character", "")
        # CTC: index 0 is the blank; the model's list, then the space the training added.
        self._characters = ["", *characters.split("\n"), " "]
        self._detector = RapidOCR(
            params={
                "Global.log_level": "error",
                "Global.use_cls": False,
                "Global.use_rec": False,
                "Det.model_path": str(files["det"]),
                "Rec.model_path": str(files["rec"]),
                "Cls.model_path": str(files["cls"]),
                "EngineConfig.onnxruntime.intra_op_num_threads": max(1, threads),
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        """Text-line quadrilaterals (4×2 pixel corners) of a BGR page image, top to bottom."""
        result: Any = self._detector(image, use_det=True, use_cls=False, use_rec=False)
        boxes = getattr(result, "boxes", None)
        if boxes is None:
            return []
        return sorted((np.asarray(b, dtype=np.float32) for b in boxes), key=lambda b: (b[:, 1].min(), b[:, 0].min()))

    def recognize(self, lines: list[np.ndarray]) -> list[Reading]:
        """Read each BGR line image; batches of similar width (module docstring)."""
        out: list[Reading | None] = [None] * len(lines)
        for batch, width in _batches(lines):
            tensor = np.stack([_normalise(lines[i], REC_HEIGHT, width) for i in batch])
            preds = self._rec.run(None, {self._rec.get_inputs()[0].name: tensor})[0]
            for row, index in enumerate(batch):
                out[index] = self._decode(preds[row])
        return [r if r is not None else Reading("", ()) for r in out]

    def upside_down(self, lines: list[np.ndarray]) -> float:
        """The share of ``lines`` the classifier reads as turned 180° (0.0 for none given)."""
        if not lines:
            return 0.0
        height, width = CLS_SHAPE
        tensor = np.stack([_normalise(line, height, width) for line in lines])
        probs = self._cls.run(None, {self._cls.get_inputs()[0].name: tensor})[0]
        return float(np.mean(probs[:, 1] > probs[:, 0]))

    def _decode(self, pred: np.ndarray) -> Reading:
        """Greedy CTC: repeated indices collapse, blanks drop; each character keeps its probability."""
        indices = pred.argmax(axis=1)
        probs = pred.max(axis=1)
        chars: list[str] = []
        kept: list[float] = []
        previous = -1
        for index, prob in zip(indices.tolist(), probs.tolist(), strict=True):
            if index != previous and 0 < index < len(self._characters):
                chars.append(self._characters[index])
                kept.append(float(prob))
            previous = index
        return Reading("".join(chars), tuple(kept))


def _batches(lines: list[np.ndarray]) -> list[tuple[list[int], int]]:
    """Line indices in batches of similar width, each with its padded width.

    A batch holds at most :data:`REC_BATCH` lines and :data:`REC_BATCH_COLUMNS`
    padded columns in all: many short numbers go together, long label lines a
    few at a time (the model's memory grows with the batch's total width).
    """
    ratios = [line.shape[1] / max(line.shape[0], 1) for line in lines]
    out: list[tuple[list[int], int]] = []
    batch: list[int] = []
    for index in sorted(range(len(lines)), key=lambda i: ratios[i]):
        width = max(REC_HEIGHT, int(np.ceil(REC_HEIGHT * ratios[index])))
        if batch and (len(batch) >= REC_BATCH or (len(batch) + 1) * width > REC_BATCH_COLUMNS):
            out.append((batch, max(REC_HEIGHT, int(np.ceil(REC_HEIGHT * max(ratios[i] for i in batch))))))
            batch = []
        batch.append(index)
    if batch:
        out.append((batch, max(REC_HEIGHT, int(np.ceil(REC_HEIGHT * max(ratios[i] for i in batch))))))
    return out


def _normalise(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """Resize to ``height`` keeping the aspect ratio (at most ``width``), scale to [-1, 1], pad right (CHW)."""
    import cv2

    h, w = image.shape[:2]
    target = min(width, max(1, int(np.ceil(height * w / max(h, 1)))))
    resized = cv2.resize(image, (target, height)).astype(np.float32)
    chw = (resized.transpose(2, 0, 1) / 255.0 - 0.5) / 0.5
    padded = np.zeros((3, height, width), dtype=np.float32)
    padded[:, :, :target] = chw
    return padded
