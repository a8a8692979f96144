"""A served file described by a few blocks, so any byte range of a multi-GiB file is cheap to produce.

A ``Layout`` is a list of parts, each a block of bytes repeated a number of times (literal bytes are
one repeat).  Bodies are streamed from those blocks and hashes computed over them, so memory stays at
the size of the blocks whatever the file size.
"""

import hashlib

# A literal is kept whole up to this size; a bigger one is served in slices of this size.
SLICE = 65536


def filler(seed, length):
    """``length`` deterministic bytes derived from ``seed`` (SHAKE-256): looks random, compresses not at all."""
    return hashlib.shake_256(str(seed).encode('utf-8')).digest(length)


class Layout:
    """The bytes of a file as ``(block, repeats)`` parts."""

    def __init__(self):
        self.parts = []
        self.size = 0

    def add(self, block, repeats=1):
        """Append ``block`` ``repeats`` times; adjacent literals are merged."""
        block = bytes(block)
        if not block or repeats <= 0:
            return self
        if repeats == 1 and self.parts and self.parts[-1][1] == 1:
            self.parts[-1] = (self.parts[-1][0] + block, 1)
        else:
            self.parts.append((block, repeats))
        self.size += len(block) * repeats
        return self

    def periodic(self, block, length):
        """Append ``length`` bytes of ``block`` repeated, the last repeat cut short."""
        whole, rest = divmod(length, len(block))
        return self.add(block, whole).add(block[:rest])

    def extend(self, other):
        for block, repeats in other.parts:
            self.add(block, repeats)
        return self

    def chunks(self, start=0, end=None):
        """The bytes ``[start, end)`` as chunks of at most one block (or SLICE bytes of a literal)."""
        end = self.size if end is None else min(end, self.size)
        offset = 0
        for block, repeats in self.parts:
            part_end = offset + len(block) * repeats
            if part_end > start and offset < end:
                yield from _part_chunks(block, max(start, offset) - offset, min(end, part_end) - offset)
            offset = part_end
            if offset >= end:
                return

    def cut(self, length):
        """The first ``length`` bytes, as a new layout."""
        cut = Layout()
        offset = 0
        for block, repeats in self.parts:
            if offset >= length:
                break
            take = min(len(block) * repeats, length - offset)
            whole, rest = divmod(take, len(block))
            cut.add(block, whole).add(block[:rest])
            offset += take
        return cut

    def patched(self, at, data):
        """A new layout with ``data`` written over the bytes from ``at``."""
        patched = self.cut(at)
        patched.add(data)
        tail = Layout()
        offset = 0
        skip = at + len(data)
        for block, repeats in self.parts:
            part_end = offset + len(block) * repeats
            if part_end > skip:
                start = max(skip, offset) - offset
                first, phase = divmod(start, len(block))
                if phase:
                    tail.add(block[phase:])
                    first += 1
                tail.add(block, repeats - first)
            offset = part_end
        return patched.extend(tail)

    def digest(self):
        digest = hashlib.sha256()
        for chunk in self.chunks():
            digest.update(chunk)
        return digest.hexdigest()


def _part_chunks(block, start, end):
    """Bytes ``[start, end)`` of ``block`` repeated: whole blocks as they are, ends sliced."""
    size = len(block)
    step = size if size <= SLICE else SLICE
    offset = start
    while offset < end:
        phase = offset % size
        take = min(step - phase % step, size - phase, end - offset)
        yield block if take == size else block[phase:phase + take]
        offset += take
