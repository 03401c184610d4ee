"""Arrow IPC snapshots of the frames in the data folder, one folder per (database, data version).

A snapshot is written to a staging folder and renamed into place, so readers
never see a half-written one; it is read memory-mapped and zero-copy through
pyarrow, so loading 1,000,000 reports costs a fraction of a second and only the
pages a chart touches become resident. Folders of older versions of the same
database are removed once a newer one is published (on Linux a mapped file
stays readable after unlinking, so frames already handed out keep working).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import polars as pl
import pyarrow as pa

from gip_data import settings
from gip_data.frames import Frames

FRAME_NAMES = ("wide", "dispositions", "applicants", "cases")


def snapshot_root() -> Path:
    """The folder holding every snapshot."""
    return settings.data_dir() / "snapshots"


def snapshot_dir(instance: str, version: int) -> Path:
    """The snapshot folder of one database instance at one data version."""
    return snapshot_root() / f"{instance}-v{version}"


def latest_snapshot(instance: str, below: int) -> int | None:
    """The newest snapshot version of ``instance`` older than ``below``, if any."""
    prefix = f"{instance}-v"
    versions = []
    for folder in snapshot_root().glob(f"{prefix}*"):
        suffix = folder.name[len(prefix) :]
        if suffix.isdigit() and int(suffix) < below:
            versions.append(int(suffix))
    return max(versions, default=None)


def read_arrow_file(path: Path) -> pl.DataFrame:
    """An Arrow IPC file as a DataFrame, memory-mapped and zero-copy."""
    table = pa.ipc.open_file(pa.memory_map(str(path))).read_all()
    frame = pl.from_arrow(table, rechunk=False)
    assert isinstance(frame, pl.DataFrame), "an Arrow table reads as a DataFrame"
    return frame


def read_snapshot(instance: str, version: int) -> Frames | None:
    """The frames stored for ``version``, or None when missing or damaged."""
    folder = snapshot_dir(instance, version)
    try:
        frames = {name: read_arrow_file(folder / f"{name}.arrow") for name in FRAME_NAMES}
    except (OSError, pa.ArrowInvalid):
        return None  # missing or torn: the caller rebuilds from the database
    return Frames(**frames, data_version=version)


def write_snapshot(instance: str, frames: Frames) -> None:
    """Publish ``frames`` as the snapshot of its data version and drop older ones."""
    root = snapshot_root()
    root.mkdir(parents=True, exist_ok=True)
    target = snapshot_dir(instance, frames.data_version)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=root))
    for name in FRAME_NAMES:
        getattr(frames, name).write_ipc(staging / f"{name}.arrow", compression="uncompressed")
    try:
        os.replace(staging, target)
    except OSError:  # another process published the same version first
        shutil.rmtree(staging, ignore_errors=True)
    for old in root.glob(f"{instance}-v*"):
        if old != target:
            shutil.rmtree(old, ignore_errors=True)
