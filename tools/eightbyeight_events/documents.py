"""Finding the JSON documents in a stream of lines: every form people hold.

JSON Lines, one pretty-printed document, documents concatenated with or
without newlines between them (what ``jq .`` prints), RFC 7464 sequences
(each text after an RS byte), JSON arrays of messages, and any mix of these
in one stream. Each document comes out with the number of the line it
starts on; what cannot be a document comes out as a ``Problem`` there.

The rules, in the order they apply:

- a line that starts with ``{`` and ends with ``}`` is one document (JSON
  Lines; if it turns out to hold several, ``split_line`` separates them);
- between documents, white space, RS bytes, byte-order marks and (inside an
  array) commas are skipped; a blank line is counted, not read;
- ``{`` starts a document that ends where its braces balance, on this line or
  a later one (strings are skipped, so braces inside them do not count);
- ``[`` at the top starts an array whose elements are the documents;
- while a document is open (at the top or in an array), a line that starts
  in its first column with ``{``, ``[`` or RS starts the next one: the open
  document is reported as never closed. Pretty-printers indent everything
  inside a document, so this bounds what one broken line can swallow (a file
  printed with an indent of 0 is read as broken lines);
- anything else at the top is one document up to the end of its line (a
  scalar, or text that is not JSON and is reported as such).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import orjson

STRING = rb'"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"'
"""A JSON string on one line, written as an unrolled loop with possessive repeats: the
regex engine then keeps no state per character (the alternation ``(?:[^"\\]|\\.)*`` cost
some 130 bytes of memory per character of a long string)."""
TOKEN = re.compile(STRING + rb"|[{}\[\]]")
"""Whole strings (skipped), and the brackets that open and close documents."""
SCALAR_END = re.compile(STRING + rb"|[,\]]")
SKIP = b" \t\r\n\x1e"
BOM = b"\xef\xbb\xbf"
STARTS = (b"{", b"[", b"\x1e", BOM)
OPEN = frozenset(b"{[")
TOO_LARGE = "a number too large to read (beyond 1.8e308, or an integer of over 4,300 digits)"
"""No reader takes it: a double ends at 1.8e308, and Python reads no integer longer than
4,300 digits from text (unless ``sys.set_int_max_str_digits`` says otherwise)."""
NOT_CLOSED = "the JSON document that starts here is never closed"
ARRAY_NOT_CLOSED = "the JSON array that starts here is never closed"


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in the input that cannot even be handed to the JSON parser, and why."""

    reason: str


Line = bytes | Problem


def _scan(data: bytes, position: int, depth: int) -> tuple[int, int]:
    """(end of the document or -1, depth at that point), scanning ``data`` from ``position``."""
    for match in TOKEN.finditer(data, position):
        char = data[match.start()]
        if char in OPEN:
            depth += 1
        elif char != 0x22:  # a closing bracket; 0x22 is '"', a whole string
            depth -= 1
            if depth <= 0:
                return match.end(), 0
    return -1, depth


def _skip(data: bytes, position: int, in_array: bool) -> int:
    size = len(data)
    while position < size:
        char = data[position]
        if char in SKIP or (in_array and char == 0x2C):  # 0x2C is ','
            position += 1
        elif data.startswith(BOM, position):
            position += len(BOM)
        else:
            break
    return position


class Documents:
    """Turns numbered lines into numbered documents; feed lines in order, then ``finish``."""

    def __init__(self, max_bytes: int, whole_lines: bool = True) -> None:
        self.max_bytes = max_bytes
        self.whole_lines = whole_lines
        """apply the JSON Lines rule (a line from { to } is one document)"""
        self.depth = 0
        self.parts: list[bytes] = []
        self.size = 0
        self.oversize = False
        self.start = 0
        self.array_start: int | None = None

    @property
    def idle(self) -> bool:
        """At the top, between documents: the next line is read on its own."""
        return not self.depth and self.array_start is None

    def feed(self, line: bytes, number: int, out: list[tuple[int, Line]]) -> bool:
        """Add the documents that end on ``line`` to ``out``; True when the line is blank
        (white space only, and not inside a document: a document's own lines are its)."""
        blank = not self.depth and not line.strip(SKIP)
        position = 0
        if self.depth:
            if line.startswith(STARTS):
                out.append((self.start, Problem(NOT_CLOSED)))
                self._reset()
            else:
                end, self.depth = _scan(line, 0, self.depth)
                if end < 0:
                    self._keep(line, b"\n")
                    return False
                self._keep(line[:end], b"")
                out.append((self.start, self._take()))
                position = end
        elif (
            self.whole_lines
            and self.array_start is None
            and line.startswith(b"{")
            and line.rstrip().endswith(b"}")
        ):
            out.append((number, line))
            return False
        self._between(line, position, number, out)
        return blank

    def _between(
        self, line: bytes, position: int, number: int, out: list[tuple[int, Line]]
    ) -> None:
        size = len(line)
        while True:
            position = _skip(line, position, self.array_start is not None)
            if position >= size:
                break
            char = line[position]
            if self.array_start is not None and char == 0x5D:  # ']'
                self.array_start = None
                position += 1
                continue
            if char == 0x7B or (char == 0x5B and self.array_start is not None):  # '{', '['
                end, depth = _scan(line, position, 0)
                if end < 0:
                    self.depth, self.start = depth, number
                    self._keep(line[position:], b"\n")
                    return
                out.append((number, line[position:end]))
                position = end
                continue
            if char == 0x5B:  # '[' at the top: an array of messages
                self.array_start = number
                position += 1
                continue
            if self.array_start is None:  # to the end of the line
                out.append((number, line[position:].rstrip()))
                break
            match = SCALAR_END.search(line, position)
            while match is not None and line[match.start()] == 0x22:
                match = SCALAR_END.search(line, match.end())
            end = size if match is None else match.start()
            out.append((number, line[position:end].rstrip()))
            position = end

    def _keep(self, piece: bytes, newline: bytes) -> None:
        self.size += len(piece) + len(newline)
        if self.oversize:
            return
        if self.size > self.max_bytes:
            self.oversize, self.parts = True, []
            return
        self.parts.append(piece + newline)

    def _take(self) -> Line:
        taken: Line = (
            Problem(too_long(self.size, self.max_bytes)) if self.oversize else b"".join(self.parts)
        )
        self._reset()
        return taken

    def _reset(self) -> None:
        self.depth, self.parts, self.size, self.oversize = 0, [], 0, False

    def finish(self, out: list[tuple[int, Line]], reason: str = NOT_CLOSED) -> None:
        """The end of the input: report what is still open."""
        if self.depth:  # (the array around it, if any, is cut off with it)
            out.append((self.start, Problem(reason)))
            self._reset()
        elif self.array_start is not None:
            out.append((self.array_start, Problem(ARRAY_NOT_CLOSED)))
        self.array_start = None


def too_long(size: int, limit: int) -> str:
    return (
        f"the document is {size:,} bytes long, over the limit of {limit:,} bytes "
        "(raise it with --max-line-bytes)"
    )


def split_line(line: bytes, number: int, max_bytes: int) -> list[tuple[int, Line]]:
    """The documents of one line read on its own, without the JSON Lines rule (for a
    line from ``{`` to ``}`` that does not parse: ``{"a":1}{"b":2}`` is two)."""
    out: list[tuple[int, Line]] = []
    documents = Documents(max_bytes, whole_lines=False)
    documents.feed(line, number, out)
    documents.finish(out)
    return out


MAX_DEPTH = 128
"""Deepest nesting a document may have. Events nest six levels at most; the limit sits
well below every parser's and validator's own (orjson, msgspec, jsonschema-rs), so one
rule decides, whatever path a document takes."""
NESTING = f"nesting deeper than {MAX_DEPTH} levels"


def too_deep(raw: bytes) -> bool:
    """Whether the JSON text ``raw`` nests deeper than ``MAX_DEPTH``."""
    if raw.count(b"{") + raw.count(b"[") <= MAX_DEPTH:
        return False
    depth = 0
    for match in TOKEN.finditer(raw):
        char = raw[match.start()]
        if char in OPEN:
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif char != 0x22:
            depth -= 1
    return False


def unparseable(raw: bytes | str, error: orjson.JSONDecodeError) -> str:
    """Why ``raw`` is not JSON, in plain words rather than the parser's."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if b"\x00" in data:
        return "binary data (NUL bytes)"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as bad:
        return f"not UTF-8 at byte {bad.start}"
    text = str(error)
    if "depth" in text or "recursion" in text:
        return NESTING
    if "infinity" in text:
        return TOO_LARGE
    if data.lstrip().startswith(BOM):
        return "a byte-order mark inside the document"
    return f"not JSON: {text}"
