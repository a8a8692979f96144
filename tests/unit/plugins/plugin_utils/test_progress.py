# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Progress lines while a long module runs, and its exceptions as this environment's failure."""

import time

import pytest

from ansible_collections.saasops.backup.plugins.plugin_utils._progress import answer_of, run_reporting


def test_a_long_call_is_reported_while_it_runs_and_its_value_returned():
    said = []
    assert run_reporting(lambda: time.sleep(2.5) or 'done', 1, said.append, 'test') == 'done'
    assert len(said) >= 2 and said == sorted(said) and said[0] >= 1


def test_a_short_call_says_nothing_and_what_it_raises_is_raised_here():
    said = []
    assert run_reporting(lambda: 42, 1, said.append, 'test') == 42
    assert said == []
    with pytest.raises(KeyError):
        run_reporting(lambda: {}['missing'], 1, None, 'test')


def test_an_exception_while_running_a_module_is_a_failed_answer():
    assert answer_of(lambda: {'changed': True}) == {'changed': True}
    assert answer_of(lambda: int('many')) == {'failed': True, 'msg': "ValueError: invalid literal for int() with base 10: 'many'"}
