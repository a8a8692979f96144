# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read into reusable buffers in one thread while a second thread consumes them, in order.

Why: a download that reads, hashes and writes in one thread waits for each in turn. The TLS read,
sha256 and the file write all release the GIL on large buffers, so handing the hashing and the
writing to a second thread lets them run while the next buffer is read from the socket. A fixed
pool of buffers bounds the memory (``count`` x ``size``) whatever the file's size, and makes the
reader wait whenever the consumer lags (a slow disk slows the download instead of filling memory).

The consumer sees every submitted byte once, in order, as a memoryview that is valid only during
the call (the buffer is read into again afterwards): it must copy what it keeps.
"""

import queue
import threading

# Enough buffers for the reader to keep going while the consumer writes one and hashes another.
BUFFER_COUNT = 4

_STOP = object()


class Pipeline:
    """``buffer()`` to read into, ``submit()`` what was read, ``close()``; the consumer's error is raised here."""

    def __init__(self, consume, size, count=BUFFER_COUNT):
        self._consume = consume
        self._free = queue.SimpleQueue()
        for dummy in range(count):
            self._free.put(bytearray(size))
        self._full = queue.SimpleQueue()
        self._error = None
        self._abandoned = False
        self._thread = threading.Thread(target=self._run, name='download-writer', daemon=True)
        self._thread.start()

    def buffer(self):
        """A buffer to read into: waits while all are with the consumer; raises what the consumer raised."""
        self._raise_error()
        buf = self._free.get()
        if buf is _STOP:
            self._raise_error()
        return buf

    def submit(self, buf, start, end):
        """Hand ``buf[start:end]`` to the consumer (nothing when empty: the buffer is free again)."""
        self._raise_error()
        self._full.put((buf, start, end) if end > start else (buf, 0, 0))

    def close(self, drain=True):
        """Stop the consumer thread; with ``drain``, after it consumed everything submitted, and raise its error.

        Without ``drain`` (the download failed or was interrupted), it stops after the buffer it is
        consuming, so whatever it wrote is still a prefix of what was read.
        """
        if not drain:
            self._abandoned = True
        self._full.put(_STOP)
        self._thread.join()
        if drain:
            self._raise_error()

    def _raise_error(self):
        if self._error is not None:
            raise self._error

    def _run(self):
        while True:
            item = self._full.get()
            if item is _STOP:
                return
            buf, start, end = item
            if end > start and self._error is None and not self._abandoned:
                try:
                    with memoryview(buf) as whole, whole[start:end] as view:
                        self._consume(view)
                except BaseException as exc:  # pylint: disable=broad-exception-caught
                    # Raised in the reading thread, which stops reading (and wakes if it waits for a buffer).
                    self._error = exc
                    self._free.put(_STOP)
                    continue
            self._free.put(buf)
