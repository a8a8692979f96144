"""The emulator clock, shared by every app.

Apps never call ``time.time()`` directly: jobs finish and tokens expire relative to ``Clock.now()``,
evaluated lazily when a request arrives.  Tests can therefore jump ahead with
``POST /_emulator/clock {"advance": s}`` instead of sleeping, and no background thread is needed.
"""

import threading
import time


class Clock:
    def __init__(self):
        self._lock = threading.Lock()
        self._offset = 0.0

    def now(self):
        """Seconds since the epoch, shifted by every ``advance`` since the last reset."""
        with self._lock:
            return time.time() + self._offset

    def now_ms(self):
        return int(self.now() * 1000)

    def advance(self, seconds):
        if seconds < 0:
            raise ValueError('the clock only moves forward')
        with self._lock:
            self._offset += seconds

    def reset(self):
        with self._lock:
            self._offset = 0.0

    @property
    def offset(self):
        with self._lock:
            return self._offset
