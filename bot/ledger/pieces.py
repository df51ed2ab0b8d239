"""A data file's new text as pieces: ranges of the base file's text kept as they are, and the text
written between them.

A merge changes a few entries of a file of thousands, so its new text is mostly the base's text.
Kept as pieces, the merge and its proof cost what the change costs: the proof reads the structure
around the pieces and recognizes a kept range by where it points in the base, instead of comparing
megabytes that were copied from there. The whole text is built once, when someone needs it (to
write, upload or preview it, or to check a batch's next submission against it).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

Piece = tuple[int, int] | str  # a range of the base text, or written text
_NON_SPACE = re.compile(r"[^ \t\r\n]")
_DECODE = json.JSONDecoder().raw_decode
_CHUNK = 1 << 20  # comparisons of text that is not a kept range go by slices of this size


@dataclass(frozen=True)
class Spliced:
    """The new text of one data file: ``pieces`` in order, each a range of ``base`` or written text."""

    base: str
    pieces: tuple[Piece, ...]

    @classmethod
    def of(cls, text: str) -> Spliced:
        """A text as one piece, its own whole range (a file no edit touched, or a text of unknown origin)."""
        return cls(text, ((0, len(text)),))

    @cached_property
    def starts(self) -> list[int]:
        """Where each piece starts in the new text, and (last) the new text's length."""
        starts, at = [0], 0
        for piece in self.pieces:
            at += len(piece) if isinstance(piece, str) else piece[1] - piece[0]
            starts.append(at)
        return starts

    def __len__(self) -> int:
        return self.starts[-1]

    @cached_property
    def text(self) -> str:
        """The whole new text, built on first use (to write, upload or preview the file, or as the
        next base of a batch)."""
        if self.pieces == ((0, len(self.base)),):
            return self.base
        # Grown in place (``+=`` on the only reference resizes the string): each range is copied
        # once, not once into a slice and again by a join.
        out = ""
        for piece in self.pieces:
            out += self.base[piece[0] : piece[1]] if isinstance(piece, tuple) else piece
        return out

    def window(self, start: int, stop: int) -> str:
        """The new text from ``start`` to ``stop``, built from the pieces that hold it."""
        out, index = [], self._piece(start)
        while index < len(self.pieces) and self.starts[index] < stop:
            source, low, high = self._source(index)
            offset = self.starts[index]
            out.append(source[max(low, low + start - offset) : min(high, low + stop - offset)])
            index += 1
        return "".join(out)

    def non_space(self, at: int) -> int:
        """The first position at or after ``at`` that is not JSON whitespace (the length if none)."""
        index = self._piece(at)
        while index < len(self.pieces):
            source, low, high = self._source(index)
            offset = self.starts[index]
            found = _NON_SPACE.search(source, low + max(at - offset, 0), high)
            if found is not None:
                return offset + found.start() - low
            index += 1
        return len(self)

    def char(self, at: int) -> str:
        """The character at ``at`` ("" at the end)."""
        return self.window(at, at + 1)

    def decode(self, at: int) -> tuple[Any, int]:
        """The JSON value that starts at ``at`` and where it ends (ValueError if none)."""
        index = self._piece(at)
        if index < len(self.pieces):
            source, low, high = self._source(index)
            offset = self.starts[index]
            try:
                value, end = _DECODE(source, low + at - offset)
                # Within the piece, the value is the text's; a number that ends the piece may go on.
                if end < high or (end == high and not _may_continue(value, index + 1 < len(self.pieces))):
                    return value, offset + end - low
            except ValueError:
                pass  # it may run on into the next piece: read from the whole rest below
        value, end = _DECODE(self.window(at, len(self)), 0)
        return value, at + end

    def holds(self, old: str, begin: int, end: int, at: int) -> bool:
        """Whether the new text holds ``old[begin:end]`` at ``at``: a kept range of this very text is
        recognized by where it points; anything else is compared (in slices, to bound the memory)."""
        index = self._piece(at)
        piece = self.pieces[index] if index < len(self.pieces) else ""
        if old is self.base and isinstance(piece, tuple):
            low, high = piece
            if low + at - self.starts[index] == begin and end <= high:
                return True
        return end - begin <= len(self) - at and all(
            self.window(at + start - begin, at + min(start + _CHUNK, end) - begin)
            == old[start : min(start + _CHUNK, end)]
            for start in range(begin, end, _CHUNK)
        )

    def _piece(self, at: int) -> int:
        """The index of the piece that holds position ``at`` (the piece count past the end)."""
        # Empty pieces start where the next one does; bisecting to the right passes over them.
        return bisect_right(self.starts, at) - 1

    def _source(self, index: int) -> tuple[str, int, int]:
        """Piece ``index`` as (string, first, stop): a range of the base or the whole written text."""
        piece = self.pieces[index]
        if isinstance(piece, str):
            return piece, 0, len(piece)
        return self.base, piece[0], piece[1]


def _may_continue(value: Any, more: bool) -> bool:
    """Whether a value that ends a piece could go on in the next one (only a number can)."""
    return more and isinstance(value, (int, float)) and not isinstance(value, bool)


class MergedTexts(Mapping[str, str]):
    """The new texts of the changed data files, by path, each built when it is first read."""

    def __init__(self, spliced: Mapping[str, Spliced]) -> None:
        self._spliced = dict(spliced)

    def __getitem__(self, path: str) -> str:
        return self._spliced[path].text

    def __iter__(self) -> Iterator[str]:
        return iter(self._spliced)

    def __len__(self) -> int:
        return len(self._spliced)
