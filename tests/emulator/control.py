"""The control interface under /_emulator/: the tests' side door into the emulator.

Never faulted, never logged, never part of any vendor surface.  JSON in, JSON out; a bad call gets
HTTP 400 ``{"error": "..."}``.  Calls addressed to one app (``/_emulator/<app>/...``) are passed on
to that app's ``control`` method.
"""

import re

from wire import json_response

PREFIX = '/_emulator'


class BadRequest(ValueError):
    pass


def _object(body):
    if not isinstance(body, dict):
        raise BadRequest('expected a JSON object body')
    return body


class Control:
    def __init__(self, clock, faults, log, apps):
        self.clock = clock
        self.faults = faults
        self.log = log
        self.apps = {app.name: app for app in apps}
        self.routes = {
            ('GET', '/health'): lambda r: {'ok': True},
            ('POST', '/reset'): self.reset,
            ('POST', '/seed'): self.seed,
            ('GET', '/config'): lambda r: {name: dict(app.config) for name, app in self.apps.items()},
            ('POST', '/config'): self.configure,
            ('GET', '/clock'): lambda r: {'now': self.clock.now(), 'offset': self.clock.offset},
            ('POST', '/clock'): self.advance_clock,
            ('GET', '/state'): lambda r: {name: app.state() for name, app in self.apps.items()},
            ('GET', '/faults'): lambda r: {'faults': self.faults.list()},
            ('POST', '/faults'): lambda r: {'id': self.faults.add(_object(r.json))},
            ('DELETE', '/faults'): lambda r: self.faults.clear() or {'ok': True},
            ('GET', '/requests'): self.requests,
            ('DELETE', '/requests'): lambda r: self.log.clear() or {'ok': True},
        }

    @staticmethod
    def owns(path):
        return path == PREFIX or path.startswith(PREFIX + '/')

    def handle(self, request):
        sub = request.path[len(PREFIX):].rstrip('/')
        try:
            route = self.routes.get((request.method, sub))
            if route:
                return json_response(route(request))
            app_name, dummy, rest = sub.lstrip('/').partition('/')
            if app_name == 'state' and rest in self.apps and request.method == 'GET':
                return json_response(self.apps[rest].state())
            if app_name in self.apps:
                return self.apps[app_name].control(request, '/' + rest if rest else '')
            return json_response({'error': 'unknown control endpoint: %s %s' % (request.method, request.path)}, 404)
        except ValueError as exc:  # BadRequest and the apps' validation errors
            return json_response({'error': str(exc)}, 400)

    def reset(self, request):
        for app in self.apps.values():
            app.reset()
        self.faults.clear()
        self.log.clear()
        self.clock.reset()
        return {'ok': True}

    def _per_app(self, body, method):
        body = _object(body)
        unknown = sorted(set(body) - set(self.apps))
        if unknown:
            raise BadRequest('unknown apps: %s' % ', '.join(unknown))
        for name, value in body.items():
            getattr(self.apps[name], method)(value)
        return {'ok': True}

    def seed(self, request):
        return self._per_app(request.json, 'seed')

    def configure(self, request):
        return self._per_app(request.json, 'configure')

    def advance_clock(self, request):
        seconds = _object(request.json).get('advance')
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise BadRequest('"advance" must be a number of seconds')
        self.clock.advance(seconds)
        return {'now': self.clock.now(), 'offset': self.clock.offset}

    def requests(self, request):
        try:
            return {'requests': self.log.query(request.query_value('method'), request.query_value('path'), request.query_value('host'))}
        except re.error as exc:
            raise BadRequest('bad filter: %s' % exc) from exc
