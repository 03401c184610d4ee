"""Integer codes for texts (agency names, body keys) and the n-gram index that answers a name search.

A :class:`Dictionary` gives every distinct text a code (its row). Codes are
given once and never change, so an update only appends the texts it brings.

The search index holds every character and character pair of every name with
the name's code, grouped by n-gram: the names holding a search text must hold
each of its pairs, so intersecting a few short posting lists replaces a
substring scan over every name. Names added after the index was built, and the
part of a name beyond :data:`GRAM_CHARS` characters, are covered by a substring
test on the few such names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

GRAM_CHARS = 64
SMALL = 10_000  # up to this many texts are encoded through a dict, more through a join
_EMPTY_GRAMS = pl.DataFrame(schema={"gram": pl.String, "code": pl.UInt32})


@dataclass(frozen=True, slots=True)
class Dictionary:
    """Texts with stable codes: ``table`` has one row per code (``code``, ``text``); null has no code."""

    table: pl.DataFrame
    # text -> code, built on first use (a few lookups per update or per view; a full encode joins instead).
    index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, texts: pl.Series) -> Dictionary:
        """A dictionary of the distinct non-null values of ``texts``."""
        return cls(pl.DataFrame([texts.drop_nulls().unique().sort().rename("text")]).with_row_index("code"))

    @property
    def size(self) -> int:
        """How many texts have a code."""
        return self.table.height

    def lookup(self) -> dict[str, int]:
        """The code of each text, as a dict."""
        if len(self.index) < self.size:
            self.index.update(self.table.select("text", "code").iter_rows())
        return self.index

    def encode(self, texts: pl.Series) -> pl.Series:
        """The code of each text (null for null; every other text must be known: see :meth:`extend`)."""
        if texts.len() <= SMALL:
            lookup = self.lookup()
            return pl.Series("code", [lookup[t] if t is not None else None for t in texts.to_list()], pl.UInt32)
        joined = texts.rename("text").to_frame().join(
            self.table.select("text", "code"), on="text", how="left", maintain_order="left"
        )
        return joined.get_column("code")

    def extend(self, texts: pl.Series) -> Dictionary:
        """The dictionary with the texts of ``texts`` it did not know yet (new codes follow the old ones)."""
        lookup = self.lookup()
        new = sorted({t for t in texts.drop_nulls().to_list() if t not in lookup})
        if not new:
            return self
        added = pl.DataFrame({"text": new}).with_row_index("code", offset=self.size)
        index = dict(lookup)
        index.update(zip(new, range(self.size, self.size + len(new)), strict=True))
        return Dictionary(pl.concat([self.table, added]), index)


@dataclass(frozen=True, slots=True)
class NameIndex:
    """Agency names with codes and the n-gram index of the first ``indexed`` of them."""

    names: Dictionary
    grams: pl.DataFrame
    spans: dict[str, tuple[int, int]]
    indexed: int

    @classmethod
    def build(cls, names: Dictionary) -> NameIndex:
        """Index every name of the dictionary."""
        grams, spans = _gram_index(names.table)
        return cls(names, grams, spans, names.size)

    def extend(self, texts: pl.Series) -> NameIndex:
        """The index with the names of ``texts`` it did not know (searched by substring until the next build)."""
        names = self.names.extend(texts)
        return self if names is self.names else NameIndex(names, self.grams, self.spans, self.indexed)

    def codes(self, search: str) -> pl.Series:
        """Codes of the names containing ``search`` (sorted)."""
        table = self.names.table
        grams = [search] if len(search) == 1 else [search[i : i + 2] for i in range(len(search) - 1)]
        spans = [self.spans.get(g, (0, 0)) for g in dict.fromkeys(grams)]
        postings = sorted((self.grams["code"].slice(*span) for span in spans), key=len)
        codes = postings[0]
        for other in postings[1:]:
            codes = codes.filter(codes.is_in(other.implode()))
        unindexed = table.slice(self.indexed)["code"]
        long = table.slice(0, self.indexed).filter(pl.col("text").str.len_chars() > GRAM_CHARS)["code"]
        candidates = pl.concat([codes, long, unindexed]).unique()
        if len(search) <= 2 and candidates.len() == codes.len():
            return codes.sort()  # every pair (or character) of the text was looked up: no check needed
        checked = table[candidates.sort()].filter(pl.col("text").str.contains(search, literal=True))
        return checked["code"]


def _gram_index(table: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, tuple[int, int]]]:
    """Every character and character pair of the first :data:`GRAM_CHARS` characters of each name."""
    names = table
    longest = min(int(names["text"].str.len_chars().max() or 0), GRAM_CHARS)
    parts = [
        names.lazy()
        .select(pl.col("text").str.slice(i, size).alias("gram"), pl.col("code").cast(pl.UInt32))
        .filter(pl.col("gram").str.len_chars() == size)
        for size in (1, 2)
        for i in range(longest - size + 1)
    ]
    grams = pl.concat(parts).unique().sort("gram", "code").collect() if parts else _EMPTY_GRAMS
    spans = grams.with_row_index("at").group_by("gram").agg(pl.col("at").min(), pl.len())
    return grams, {g: (int(a), int(n)) for g, a, n in spans.iter_rows()}
