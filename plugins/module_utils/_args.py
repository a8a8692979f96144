# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Argument specs shared by every module (documented in the connection and wait doc fragments)."""


def connection_argument_spec():
    return dict(
        validate_certs=dict(type='bool', default=True),
        ca_path=dict(type='path'),
        timeout=dict(type='float', default=30.0),
        retries=dict(type='int', default=3),
    )


def wait_argument_spec(wait_timeout=1800):
    return dict(
        wait=dict(type='bool', default=True),
        wait_timeout=dict(type='int', default=wait_timeout),
    )


def client_options(params):
    """The HttpClient keyword arguments taken from a module's parameters."""
    return dict(validate_certs=params['validate_certs'], ca_path=params['ca_path'],
                timeout=params['timeout'], retries=params['retries'])
