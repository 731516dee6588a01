"""Differences between two rendered texts, shown as people read them.

An amendment changes a demand's Markdown, but the room reads it rendered: a diff of the
source would strike through ``**`` markers and list dashes. This compares the two rendered
(and sanitized) HTML fragments instead, word by word, and gives one HTML fragment of the
new text's structure in which deleted words are ``<del>`` and inserted words ``<ins>``: bold
stays bold, a list stays a list, a new list item is an item of inserted words.

How: each fragment is read (standard library's :class:`html.parser.HTMLParser`) into a
sequence of atoms: a word, a run of spaces or a punctuation mark, with the elements it sits
in, plus a mark where each block (paragraph, list item, heading...) starts. Atoms are equal
when their text and the tags around them are equal, so a word that became bold is a
deletion and an insertion. :class:`difflib.SequenceMatcher` aligns the two sequences (through
:func:`convene.domain.textdiff.opcodes`, which gives its result in about linear time for a
change in one place); the
output is written from the new text's elements, and a deleted atom goes into the element
of the new text its own element was matched to (else into a copy of its own element).
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

from convene.domain.textdiff import opcodes

#: Elements that hold running text; whitespace directly inside others is layout only.
_LAYOUT = {"ul", "ol", "blockquote", "table", "thead", "tbody", "tr"}
_BLOCKS = {
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "table",
    "tr",
    "td",
    "th",
}
_VOID = {"br", "hr"}
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass(frozen=True)
class _Element:
    uid: str
    tag: str
    attrs: tuple[tuple[str, str], ...]
    #: the tag and attributes as one string (no NUL: repr escapes it), for atoms' keys
    shape_key: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "shape_key", repr((self.tag, self.attrs)))

    @property
    def shape(self) -> tuple:
        return (self.tag, self.attrs)

    def start(self) -> str:
        attrs = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in self.attrs)
        return f"<{self.tag}{attrs}>"

    def end(self) -> str:
        return f"</{self.tag}>"


@dataclass(frozen=True)
class _Atom:
    kind: str  # "text", "void" or "block" (a block starts)
    text: str
    stack: tuple[_Element, ...]
    #: what the alignment compares: the kind, the text and the shapes of the elements it
    #: sits in (as one string, made once per text node: strings keep their hash)
    key: tuple[str, str, str] = field(compare=False, repr=False)


def _shapes(stack: tuple[_Element, ...]) -> str:
    return "\x00".join(e.shape_key for e in stack)


class _Reader(HTMLParser):
    def __init__(self, prefix: str) -> None:
        super().__init__(convert_charrefs=True)
        self.atoms: list[_Atom] = []
        self.stack: list[_Element] = []
        self._ids = itertools.count()
        self._prefix = prefix

    def _atom(self, kind: str, text: str) -> None:
        stack = tuple(self.stack)
        self.atoms.append(_Atom(kind, text, stack, (kind, text, _shapes(stack))))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _VOID:
            self._atom("void", tag)
            return
        element = _Element(
            f"{self._prefix}{next(self._ids)}", tag, tuple((k, v or "") for k, v in attrs)
        )
        self.stack.append(element)
        if tag in _BLOCKS:
            self._atom("block", "")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        inner = self.stack[-1].tag if self.stack else None
        if data.isspace() and (inner is None or inner in _LAYOUT):
            return
        stack = tuple(self.stack)
        shapes = _shapes(stack)
        for token in _TOKEN.findall(data):
            self.atoms.append(_Atom("text", token, stack, ("text", token, shapes)))


def _atoms(fragment: str, prefix: str) -> tuple[list[_Atom], list[tuple]]:
    """The atoms of ``fragment`` and their keys (what the alignment compares)."""
    reader = _Reader(prefix)
    reader.feed(fragment)
    reader.close()
    return reader.atoms, [a.key for a in reader.atoms]


@lru_cache(maxsize=16)
def _old_atoms(fragment: str) -> tuple[tuple[_Atom, ...], tuple[tuple, ...]]:
    """The atoms of an old text, remembered: after a rewrite every pending amendment of the
    demand is diffed against the same new body (200 of them: parsed once, not 200 times).
    Atoms are immutable, and each diff keeps its own maps of them."""
    atoms, keys = _atoms(fragment, "o")
    return tuple(atoms), tuple(keys)


def _chunks(
    old: list[_Atom], new: list[_Atom], old_keys: list[tuple], new_keys: list[tuple]
) -> list[tuple[str, list, list]]:
    """("equal" | "change", old atoms, new atoms), a lone space between changes folded in."""
    chunks: list[tuple[str, list, list]] = []
    for tag, i1, i2, j1, j2 in opcodes(old_keys, new_keys):
        kind = "equal" if tag == "equal" else "change"
        part = (kind, old[i1:i2], new[j1:j2])
        if chunks and chunks[-1][0] == kind == "change":
            last = chunks.pop()
            part = ("change", last[1] + part[1], last[2] + part[2])
        chunks.append(part)
    folded: list[tuple[str, list, list]] = []
    for index, chunk in enumerate(chunks):
        kind, a, b = chunk
        between = 0 < index < len(chunks) - 1 and folded and folded[-1][0] == "change"
        if kind == "equal" and between and all(x.kind == "text" and x.text.isspace() for x in b):
            last = folded.pop()
            folded.append(("change", last[1] + a, last[2] + b))
            continue
        if kind == "change" and folded and folded[-1][0] == "change":
            last = folded.pop()
            chunk = ("change", last[1] + a, last[2] + b)
        folded.append(chunk)
    return folded


class _Writer:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.open: list[_Element] = []
        # the last text atom's stack and mark: the next word of the same text node needs
        # no element opened or closed
        self._last: tuple | None = None

    def ensure(self, stack: tuple[_Element, ...]) -> None:
        same = 0
        while (
            same < len(self.open) and same < len(stack) and self.open[same].uid == stack[same].uid
        ):
            same += 1
        for element in reversed(self.open[same:]):
            self.out.append(element.end())
        for element in stack[same:]:
            self.out.append(element.start())
        self.open = list(stack)

    def atom(self, atom: _Atom, stack: tuple[_Element, ...], mark: _Element | None) -> None:
        if atom.kind == "text":
            last = self._last
            if last is None or last[0] is not stack or last[1] is not mark:
                self.ensure(stack + ((mark,) if mark else ()))
                self._last = (stack, mark)
            self.out.append(html.escape(atom.text, quote=False))
            return
        self._last = None
        self.ensure(stack)
        if atom.kind == "void":
            self.out.append(f"<{atom.text}>")

    def finish(self) -> str:
        self.ensure(())
        return "".join(self.out)


def _pair_replaced(old: list[_Atom], new: list[_Atom], mapped: dict[str, _Element]) -> None:
    """In a replacement, an old element nobody matched (``*one year*``) goes with the new
    element of the same shape in the same place (``*six months*``): one ``<em>`` for both."""
    taken = {e.uid for e in mapped.values()}
    for atom in old:
        for depth, element in enumerate(atom.stack):
            if element.uid in mapped:
                continue
            parent = mapped.get(atom.stack[depth - 1].uid) if depth else None
            for other in new:
                if len(other.stack) <= depth:
                    continue
                candidate = other.stack[depth]
                same_parent = depth == 0 or (
                    parent is not None and other.stack[depth - 1] is parent
                )
                if candidate.shape == element.shape and same_parent and candidate.uid not in taken:
                    mapped[element.uid] = candidate
                    taken.add(candidate.uid)
                    break


def diff_html(old_html: str, new_html: str) -> str:
    """One HTML fragment: the new text with its deleted words in ``<del>`` and its new words
    in ``<ins>``. Both inputs must be sanitized HTML (the output is not sanitized here)."""
    old_atoms, old_keys = _old_atoms(old_html)
    old = list(old_atoms)
    new, new_keys = _atoms(new_html, "n")
    chunks = _chunks(old, new, list(old_keys), new_keys)
    mapped: dict[str, _Element] = {}
    for kind, a, b in chunks:
        if kind == "equal":
            for x, y in zip(a, b, strict=True):
                for old_el, new_el in zip(x.stack, y.stack, strict=True):
                    mapped.setdefault(old_el.uid, new_el)
    writer = _Writer()
    marks = itertools.count()
    for index, (kind, a, b) in enumerate(chunks):
        if kind == "equal":
            for atom in b:
                writer.atom(atom, atom.stack, None)
            continue
        _pair_replaced(a, b, mapped)
        later = b or next((c[2] for c in chunks[index + 1 :] if c[2]), [])
        # elements of the new text that are open now and go on after this change
        going_on = [e for e in writer.open if later and e in later[0].stack and e.tag != "del"]
        keep = {e.uid for e in going_on}
        deleted = _Element(f"d{next(marks)}", "del", ())
        for atom in a:
            stack = tuple(mapped.get(e.uid, e) for e in atom.stack)
            if not keep <= {e.uid for e in stack}:
                # it would close what goes on: written where the new text is, flat
                if atom.kind == "block":
                    continue
                stack = tuple(going_on)
            writer.atom(atom, stack, deleted)
        inserted = _Element(f"i{next(marks)}", "ins", ())
        for atom in b:
            writer.atom(atom, atom.stack, inserted)
    return writer.finish()
