"""What a report says about itself (:class:`ReportMeta`), and the facts every per-report column carries.

``ReportMeta`` is declared once here and is part of the record
(:class:`~gip_data.schema.record.AnnualReport` inherits it, so the record's JSON
keeps ``agency``, ``year``, ``level`` … at the top level). Each of its fields
carries a :class:`Column` in its ``Annotated`` metadata: the Chinese label, the
English export header, the storage and frame types, whether staff may correct
it and whether a staff correction survives a re-parse. The storage columns, the
frame schema, the correction form, the export headers and the fields kept on
re-parse are all derived from these facts (see :mod:`gip_data.schema.columns`),
so adding a metadata field means adding it here and nowhere else.

This module imports neither SQLAlchemy nor Polars: the parser (and its
sandboxed worker) stays light. Storage and frames map the small type
vocabularies :data:`SqlKind` and :data:`FrameKind` to real types.
"""

from __future__ import annotations

import re
import types
import unicodedata
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field

Level = Literal["中央", "省级", "市级", "县级", "乡镇街道"]
LEVELS: tuple[Level, ...] = get_args(Level)
# Short ASCII codes for URLs (old links depend on them).
LEVEL_CODES: dict[Level, str] = {
    "中央": "central",
    "省级": "province",
    "市级": "city",
    "县级": "county",
    "乡镇街道": "township",
}
BodyType = Literal["政府", "部门"]
BODY_TYPES: tuple[BodyType, ...] = get_args(BodyType)
BODY_CODES: dict[BodyType, str] = {"政府": "gov", "部门": "dept"}

SqlKind = Literal["text", "string", "integer", "bigint", "boolean", "timestamp"]
FrameKind = Literal["string", "int32", "int64", "boolean", "enum", "datetime"]


@dataclass(frozen=True, slots=True)
class Column:
    """Facts about one per-report column, attached to a model field with ``Annotated``.

    - ``zh``: the Chinese label (form input, Chinese export header, audit detail);
    - ``en``: the English export header ("" → the field name);
    - ``sql``: the storage type (``string`` is ``VARCHAR(width)``); None when the
      field is not a column of its own (``report_id`` is the table's primary key);
    - ``frame``: the frame dtype (``enum`` takes its categories from the field's ``Literal``);
    - ``nullable``: whether the database column may be NULL (None → the annotation decides);
    - ``editable``: staff may correct it (upload preview and report page);
    - ``kept_on_reparse``: a staff correction of it survives a re-parse of the file;
    - ``max_chars``: the form's input limit for text.
    """

    zh: str
    sql: SqlKind | None
    frame: FrameKind
    en: str = ""
    width: int | None = None
    nullable: bool | None = None
    editable: bool = False
    kept_on_reparse: bool = False
    max_chars: int | None = None


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column of the catalogue: its name, its facts and the field's type."""

    name: str
    facts: Column
    annotation: Any
    optional: bool

    @property
    def header_en(self) -> str:
        """The English export header."""
        return self.facts.en or self.name

    @property
    def nullable(self) -> bool:
        """Whether storage allows NULL in this column."""
        return self.optional if self.facts.nullable is None else self.facts.nullable

    @property
    def choices(self) -> tuple[Any, ...]:
        """The values of a ``Literal`` field (enum categories, form options); () otherwise."""
        return literal_values(self.annotation)


def _without_none(annotation: Any) -> tuple[Any, bool]:
    """The annotation with ``None`` removed from a union, and whether it was there."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        optional = len(args) < len(get_args(annotation))
        return (args[0] if len(args) == 1 else Union[tuple(args)]), optional  # noqa: UP007
    return annotation, False


def literal_values(annotation: Any) -> tuple[Any, ...]:
    """The allowed values of a (possibly optional) ``Literal`` annotation; () for other types."""
    inner, _ = _without_none(annotation)
    return get_args(inner) if get_origin(inner) is Literal else ()


def columns_of(model: type[BaseModel]) -> dict[str, ColumnSpec]:
    """The fields of ``model`` that carry a :class:`Column`, in declaration order (parents first)."""
    specs: dict[str, ColumnSpec] = {}
    for name, info in model.model_fields.items():
        facts = next((m for m in info.metadata if isinstance(m, Column)), None)
        if facts is None:
            continue
        annotation, optional = _without_none(info.annotation)
        specs[name] = ColumnSpec(name, facts, annotation, optional)
    return specs


_SPACE = re.compile(r"\s+")


def agency_key(agency: str | None) -> str | None:
    """The agency name as compared for identity and grouping: NFKC, no whitespace."""
    if not agency:
        return None
    key = _SPACE.sub("", unicodedata.normalize("NFKC", agency))
    return key or None


def region_of(province: str | None, city: str | None) -> str | None:
    """The region text of a province and a prefecture city (a municipality is its province alone)."""
    if not province:
        return None
    return province if city in (None, "", province) else province + city


def _meta(zh: str, sql: SqlKind, frame: FrameKind, *, editable: bool = True, **facts: Any) -> Column:
    """A metadata column: kept on re-parse (staff corrections win over the parser), editable by default."""
    return Column(zh, sql, frame, editable=editable, kept_on_reparse=True, **facts)


class ReportMeta(BaseModel):
    """Which body reported, for which year, at which level, where, and whether it sums a jurisdiction.

    Every field may be None where the report does not say (never guessed).
    ``region`` is not typed by staff: a correction of province or city derives
    it (:func:`region_of`), so it cannot contradict them.
    """

    model_config = ConfigDict(extra="forbid")

    agency: Annotated[str | None, _meta("机关名称", "text", "string", max_chars=100)] = None
    year: Annotated[int | None, Field(ge=1990, le=2100), _meta("年度", "integer", "int32")] = None
    level: Annotated[Level | None, _meta("层级", "string", "enum", width=8)] = None
    body: Annotated[BodyType | None, _meta("机关类型", "string", "enum", width=4)] = None
    region: Annotated[str | None, _meta("地区", "text", "string", editable=False)] = None
    province: Annotated[str | None, _meta("省份", "text", "string", max_chars=40)] = None
    city: Annotated[str | None, _meta("城市", "text", "string", max_chars=40)] = None
    aggregate: Annotated[bool, _meta("汇总报告", "boolean", "boolean")] = False

    @property
    def meta(self) -> ReportMeta:
        """Only the metadata (of a record or of an inference result)."""
        return ReportMeta.model_validate(self.meta_values())

    def meta_values(self) -> dict[str, Any]:
        """The metadata fields by name (works on every subclass)."""
        return {name: getattr(self, name) for name in ReportMeta.model_fields}


META_COLUMNS: dict[str, ColumnSpec] = columns_of(ReportMeta)
EDITABLE_FIELDS: tuple[str, ...] = tuple(n for n, c in META_COLUMNS.items() if c.facts.editable)
KEPT_ON_REPARSE: tuple[str, ...] = tuple(n for n, c in META_COLUMNS.items() if c.facts.kept_on_reparse)
