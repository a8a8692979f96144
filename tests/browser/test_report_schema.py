# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The published JSON Schema (docs/schemas/backup_report.schema.json) and the run-time check
(_report_check, standard library only) agree: what one refuses the other refuses, what one accepts the
other accepts. Here and not in tests/unit: jsonschema is a test tool of the .venv, not a dependency."""

import json

import jsonschema
import pytest

from ansible_collections.saasops.backup.plugins.plugin_utils import _report_check
from ansible_collections.saasops.backup.tests.unit.helpers.estate_report import MALFORMED, WELL_FORMED, sample_report

from conftest import REPO  # pylint: disable=import-error

SCHEMA = json.loads((REPO / 'docs' / 'schemas' / 'backup_report.schema.json').read_text(encoding='utf-8'))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def test_the_schema_is_a_valid_draft_2020_12_schema_of_this_version():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA['properties']['schema']['const'] == _report_check.SCHEMA
    assert SCHEMA['properties']['schema_version']['const'] == _report_check.SCHEMA_VERSION
    assert sorted(SCHEMA['$defs']['verdict']['enum']) == sorted(_report_check.VERDICTS)
    assert sorted(SCHEMA['$defs']['platform']['enum']) == sorted(_report_check.PLATFORMS)


@pytest.mark.parametrize('case', WELL_FORMED, ids=[case[0] for case in WELL_FORMED])
def test_both_accept(case):
    report = sample_report()
    case[1](report)
    VALIDATOR.validate(report)
    _report_check.check_report(report)


@pytest.mark.parametrize('case', MALFORMED, ids=[case[0] for case in MALFORMED])
def test_both_refuse(case):
    name, change, schema_refuses = case
    report = sample_report()
    change(report)
    with pytest.raises(_report_check.ReportError):
        _report_check.check_report(report)
    if schema_refuses:
        assert list(VALIDATOR.iter_errors(report)), name
    else:
        # JSON Schema cannot compare counts with the list they count: only the run-time check can.
        VALIDATOR.validate(report)


@pytest.mark.parametrize('where', [[], ['environments', 0], ['environments', 0, 'newest'], ['environments', 0, 'window'],
                                   ['environments', 0, 'last_drill'], ['summary'], ['defaults']])
def test_the_schema_refuses_keys_it_does_not_document(where):
    """A misspelt or undocumented key is a mistake the schema catches (the run-time check lets it pass)."""
    report = sample_report()
    target = report
    for key in where:
        target = target[key]
    target['unexpected'] = 1
    assert list(VALIDATOR.iter_errors(report))
    _report_check.check_report(report)
