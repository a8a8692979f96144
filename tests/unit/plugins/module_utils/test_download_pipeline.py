# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pipeline between the thread reading a download and the one writing it."""

import hashlib
import threading
import time

import pytest

from ansible_collections.saasops.backup.plugins.module_utils._download_pipeline import Pipeline

DATA = bytes(range(256)) * 1000


def test_every_byte_reaches_the_consumer_once_in_order_through_reused_buffers():
    digest, buffers = hashlib.sha256(), set()
    pipeline = Pipeline(digest.update, 1000, count=3)
    pos = 0
    while pos < len(DATA):
        buf = pipeline.buffer()
        buffers.add(id(buf))
        # Uneven pieces, some empty, some starting inside the buffer.
        start, end = pos % 3, min(1000, pos % 3 + (pos % 997) + 1)
        take = min(end - start, len(DATA) - pos)
        buf[start:start + take] = DATA[pos:pos + take]
        pipeline.submit(buf, start, start + take)
        pos += take
        pipeline.submit(pipeline.buffer(), 5, 5)
    pipeline.close()
    assert digest.hexdigest() == hashlib.sha256(DATA).hexdigest()
    assert len(buffers) == 3


def test_the_consumers_error_stops_the_reader_and_is_raised_in_its_thread():
    consumed = []
    failed = threading.Event()

    def consume(view):
        if consumed:
            failed.set()
            raise OSError(28, 'No space left on device')
        consumed.append(bytes(view))

    pipeline = Pipeline(consume, 10, count=2)
    with pytest.raises(OSError, match='No space left'):
        for dummy in range(100):
            buf = pipeline.buffer()
            buf[:] = b'x' * 10
            pipeline.submit(buf, 0, 10)
            failed.wait(5)
    # Raised again when closing after the error (the reader's cleanup does not swallow it)...
    with pytest.raises(OSError):
        pipeline.close()
    assert consumed == [b'x' * 10]


def test_an_abandoned_pipeline_stops_after_the_buffer_in_hand():
    started, release = threading.Event(), threading.Event()
    consumed = []

    def consume(view):
        started.set()
        release.wait(5)
        consumed.append(bytes(view))

    pipeline = Pipeline(consume, 4, count=3)
    for value in (b'aaaa', b'bbbb', b'cccc'):
        buf = pipeline.buffer()
        buf[:] = value
        pipeline.submit(buf, 0, 4)
    started.wait(5)
    closing = threading.Thread(target=pipeline.close, kwargs={'drain': False})
    closing.start()
    while not pipeline._abandoned:  # pylint: disable=protected-access
        time.sleep(0.001)
    release.set()
    closing.join(5)
    assert not closing.is_alive()
    # Whatever was written is a prefix of what was read: here the first buffer only.
    assert consumed == [b'aaaa']
