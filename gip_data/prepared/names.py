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

from dataclasses import dataclass

import polars as pl

GRAM_CHARS = 64
SMALL = 10_000  # up to this many texts are first looked up among the known ones, more are joined directly


@dataclass(frozen=True, slots=True)
class Dictionary:
    """Texts with stable codes: ``table`` has one row per code (``code``, ``text``); null has no code."""

    table: pl.DataFrame
    sorted_upto: int = 0  # the first rows are in text order (those of the build); appended texts follow

    @classmethod
    def build(cls, texts: pl.Series) -> Dictionary:
        """A dictionary of the distinct non-null values of ``texts``."""
        table = pl.DataFrame([texts.drop_nulls().unique().sort().rename("text")]).with_row_index("code")
        return cls(table, table.height)

    @property
    def size(self) -> int:
        """How many texts have a code."""
        return self.table.height

    def known(self, texts: pl.Series) -> pl.DataFrame:
        """The rows (``code``, ``text``) of the texts of ``texts`` that have a code.

        The sorted part is binary-searched; the few appended texts are compared directly.
        """
        wanted = texts.drop_nulls().unique().cast(pl.String)
        head = self.table.get_column("text").slice(0, self.sorted_upto)
        at = head.search_sorted(wanted).clip(0, max(self.sorted_upto - 1, 0)).cast(pl.UInt32)
        found = self.table.slice(0, self.sorted_upto)[at].filter(pl.col("text").is_in(wanted.implode())) \
            if self.sorted_upto else self.table.head(0)
        appended = self.table.slice(self.sorted_upto).filter(pl.col("text").is_in(wanted.implode()))
        return pl.concat([found.unique("code"), appended])

    def encode(self, texts: pl.Series) -> pl.Series:
        """The code of each text (null for null; every other text must be known: see :meth:`extend`).

        A few texts are looked up among the known ones first, so the join
        hashes only them and not every text of the dictionary.
        """
        table = self.known(texts) if texts.len() <= SMALL else self.table
        joined = texts.rename("text").to_frame().join(table, on="text", how="left", maintain_order="left")
        return joined.get_column("code")

    def extend(self, texts: pl.Series) -> Dictionary:
        """The dictionary with the texts of ``texts`` it did not know yet (new codes follow the old ones)."""
        distinct = texts.drop_nulls().unique()
        new = distinct.filter(~distinct.is_in(self.known(distinct).get_column("text").implode())).sort()
        if new.is_empty():
            return self
        added = pl.DataFrame([new.rename("text")]).with_row_index("code", offset=self.size)
        return Dictionary(pl.concat([self.table, added]), self.sorted_upto)


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
    """Every character and character pair of the first :data:`GRAM_CHARS` characters of each name.

    The names are split into characters once; a pair is a character and the
    next one of the same name. Grams get integer ids (their sorted order), so
    the postings are deduplicated and sorted as one 64-bit key (gram id, name
    code) instead of as text.
    """
    chars = (
        table.lazy()
        .select(pl.col("code").cast(pl.UInt32), pl.col("text").str.slice(0, GRAM_CHARS).str.split("").alias("gram"))
        .explode("gram")
        .filter(pl.col("gram").str.len_chars() == 1)
        .collect()
    )
    # A name's characters are consecutive rows: a pair is a row and the next one of the same name.
    same_name = pl.col("code") == pl.col("code").shift(-1)
    pairs = chars.select("code", (pl.col("gram") + pl.col("gram").shift(-1)).alias("gram"), same_name.alias("same"))
    pairs = pairs.filter(pl.col("same")).drop("same")
    grams = pl.concat([chars, pairs])
    vocabulary = grams.get_column("gram").unique().sort()
    ids = grams.select(pl.col("gram").cast(pl.Enum(vocabulary)).to_physical().cast(pl.UInt64), "code")
    key = pl.col("gram") * 2**32 + pl.col("code")
    ordered = ids.select(key.alias("key")).sort("key")
    # Sorted, so duplicates (a character twice in a name) are neighbours.
    keys = ordered.filter((pl.col("key") != pl.col("key").shift(1)).fill_null(True)).get_column("key")
    postings = pl.DataFrame({"code": (keys % 2**32).cast(pl.UInt32)})
    runs = (keys // 2**32).rle()
    starts = runs.struct.field("len").cum_sum() - runs.struct.field("len")
    texts = vocabulary.gather(runs.struct.field("value"))
    spans = {g: (int(a), int(n)) for g, a, n in zip(texts, starts, runs.struct.field("len"), strict=True)}
    return postings, spans
