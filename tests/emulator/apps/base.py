"""What every emulated vendor API provides to the server.

An app owns a URL prefix (``/arcgis``) and a name (the key in seed/config/state bodies and the
``/_emulator/<name>/...`` control sub-tree).  It keeps its own state behind its own lock and reads
time only from the shared clock.
"""

import copy
import threading

from wire import json_response


class App:
    name = ''
    prefix = ''
    # Timing/behaviour knobs settable through POST /_emulator/config; keys and value types are fixed here.
    DEFAULT_CONFIG = {}
    # Config knobs that take one of a few strings: {key: (choice, ...)}.
    CONFIG_CHOICES = {}

    def __init__(self, clock):
        self.clock = clock
        self.lock = threading.RLock()
        self.config = {}
        # Every credential this app ever handed out, kept across resets, so a secret scan at the
        # end of a test run can look for all of them (state key 'issued_tokens').
        self.issued_tokens = []
        self.reset()

    def reset(self):
        """Back to the default seed and default configuration."""
        with self.lock:
            self.config = copy.deepcopy(self.DEFAULT_CONFIG)

    def configure(self, values):
        """Update config knobs; unknown keys or wrong types raise ValueError (reported as HTTP 400)."""
        if not isinstance(values, dict):
            raise ValueError('%s config must be an object' % self.name)
        for key, choices in self.CONFIG_CHOICES.items():
            if key in values and values[key] not in choices:
                raise ValueError('%s config %s must be one of %s' % (self.name, key, ', '.join(choices)))
        self.check_config(values)
        for key, value in values.items():
            if key not in self.DEFAULT_CONFIG:
                raise ValueError('unknown %s config key: %s' % (self.name, key))
            expected = self.DEFAULT_CONFIG[key]
            if isinstance(expected, float) and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if type(value) is not type(expected):  # pylint: disable=unidiomatic-typecheck
                raise ValueError('%s config %s must be %s' % (self.name, key, type(expected).__name__))
        with self.lock:
            self.config.update({k: float(v) if isinstance(self.DEFAULT_CONFIG[k], float) else v for k, v in values.items()})

    def check_config(self, values):
        """Raise ValueError for config values an app refuses beyond keys, types and CONFIG_CHOICES."""

    def seed(self, data):
        raise ValueError('%s cannot be seeded' % self.name)

    def state(self):
        """JSON-able dump of the app's state for tests (GET /_emulator/state/<name>)."""
        with self.lock:
            return {'config': dict(self.config), 'issued_tokens': list(self.issued_tokens)}

    def owns(self, path):
        return path == self.prefix or path.startswith(self.prefix + '/')

    def handle(self, request):
        """Answer one vendor request under ``prefix``: a wire.Response, or None for an unknown path (real 404)."""
        raise NotImplementedError

    def control(self, request, subpath):
        """Answer ``/_emulator/<name><subpath>``.  Apps with extra test hooks override this."""
        return json_response({'error': 'unknown control endpoint'}, 404)
