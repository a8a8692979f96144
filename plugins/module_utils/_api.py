# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base of every vendor API client: what a platform file declares, and what is done once here.

A platform file subclasses PlatformApi with declarations (its name, URL option, example URL, the
URL paths users paste by mistake, hints, its error parser) and named operations (``create_backup``,
``start_restore``...) built on ``request``/``get``/``remove``. Done here, once for all platforms:
the base-URL check, the HttpClient on the run's clock, JSON decoding ("the answer is not JSON"),
the hint an error carries, and "missing" - a read of something absent returns ``missing`` instead
of raising, a delete of something already gone is done.
"""

from ansible_collections.saasops.backup.plugins.module_utils._args import client_options
from ansible_collections.saasops.backup.plugins.module_utils._clock import SYSTEM_CLOCK
from ansible_collections.saasops.backup.plugins.module_utils._errors import InputError, PlatformError
from ansible_collections.saasops.backup.plugins.module_utils._http import HttpClient
from ansible_collections.saasops.backup.plugins.module_utils._path import check_base_url

# ``missing=RAISE`` (the default): an absent object is an error like any other.
RAISE = object()
# The decoded value of an empty answer on a platform that never answers empty (see EMPTY_ANSWER).
NOT_JSON = object()


class PlatformApi:
    """Calls to one vendor API for one module run."""

    PLATFORM = None
    # The option holding the API base URL, an example of a right one, and a regular expression of
    # URL paths users paste by mistake (an API path below the base); see _path.check_base_url.
    URL_OPTION = 'api_url'
    EXAMPLE_URL = None
    WRONG_URL_PATH = None
    # Added to an answer that is not JSON: most often the base URL points somewhere else.
    NOT_JSON_HINT = None
    # Added to a 401 or 403: which options hold the credentials.
    AUTH_HINT = None
    # What an empty answer decodes to; NOT_JSON makes it the not-JSON error.
    EMPTY_ANSWER = NOT_JSON
    # The run's clock (_clock.SystemClock); unit tests swap this one attribute.
    clock = SYSTEM_CLOCK

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.url = self.check_url(self.params.get(self.URL_OPTION))
        # Everything that goes into a URL or a header is checked before the first request.
        self.check_params(self.params)
        self.http = HttpClient(self.PLATFORM, self.url, error_parser=self.parse_error, sleep=self.clock.sleep,
                               clock=self.clock.time, monotonic=self.clock.monotonic, **client_options(self.params))
        self.http.auth_headers = self.auth_headers(self.params)

    # --- declarations a platform may override -------------------------------------------------

    def check_url(self, value):
        """The base URL without a trailing slash; InputError when it cannot be the API's base."""
        url = (value or '').rstrip('/')
        if not url.lower().startswith(('https://', 'http://')):
            raise InputError('%s must start with https:// (e.g. %s), got %r' % (self.URL_OPTION, self.EXAMPLE_URL, value))
        check_base_url(url, self.URL_OPTION, self.WRONG_URL_PATH, self.EXAMPLE_URL)
        return url

    def check_params(self, params):
        """Raise InputError for credentials or names that cannot work (called before any request)."""

    def auth_headers(self, params):  # pylint: disable=unused-argument
        """The headers that authenticate every request to the API's own origin."""
        return {}

    @staticmethod
    def parse_error(response):  # pylint: disable=unused-argument
        """``(code, message)`` from the body of an error answer."""
        return None, None

    def hint(self, exc):
        """What the user should check after this error, or None."""
        return self.AUTH_HINT if exc.status in (401, 403) else None

    def is_missing(self, exc):
        """True when ``exc`` says the object asked for does not exist."""
        return exc.status == 404

    def check_answer(self, body, response, method, operation):
        """Raise PlatformError for a failure answered with a success status (ArcGIS, Jahia)."""

    # --- done once for every platform ---------------------------------------------------------

    def failure(self, operation, message, response=None, method=None, **kwargs):
        """A PlatformError of this platform about ``response`` (its URL and status)."""
        if response is not None:
            kwargs.setdefault('url', response.url)
            kwargs.setdefault('status', response.status_code)
        return PlatformError(self.PLATFORM, operation, message, method=method, **kwargs)

    def request(self, method, path, operation, missing=RAISE, **kwargs):
        """Send one request through the HttpClient and return its decoded JSON body.

        With ``missing`` given, an answer saying the object does not exist (``is_missing``), by its
        status or by its body (``check_answer``), returns ``missing`` instead of raising. Other errors
        leave with the platform's hint.
        """
        try:
            response = self.http.request(method, path, operation, **kwargs)
            body = self.decode(response, method, operation)
            # A failure answered with a success status is missing, or gets its hint, like any other.
            self.check_answer(body, response, method, operation)
        except PlatformError as exc:
            if missing is not RAISE and self.is_missing(exc):
                return missing
            if exc.hint is None:
                exc.hint = self.hint(exc)
            raise
        return body

    def decode(self, response, method, operation):
        if not response.content and self.EMPTY_ANSWER is not NOT_JSON:
            return self.EMPTY_ANSWER
        try:
            return response.json()
        except ValueError:
            raise self.failure(operation, 'the answer is not JSON', response, method, hint=self.NOT_JSON_HINT)

    def get(self, path, operation, missing=RAISE, **kwargs):
        """GET ``path``; ``missing`` (e.g. None) when it does not exist, if given."""
        return self.request('GET', path, operation, missing=missing, **kwargs)

    def remove(self, method, path, operation, **kwargs):
        """Delete with ``method``: True when it was deleted, False when it was already gone.

        Deleting twice converges, so the request is idempotent: a lost answer is re-sent.
        """
        gone = object()
        kwargs.setdefault('idempotent', True)
        return self.request(method, path, operation, missing=gone, **kwargs) is not gone
