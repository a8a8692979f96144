# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX path with credentials from the saasops.backup credential types, on all four platforms.

Each platform's credential type (docs/awx/credential_types/) is filled in with the emulator's
credentials and its CA, and rendered the way AWX renders injectors (a sandboxed Jinja environment
over the inputs given, file injectors written to files named by ``tower.filename.<name>``). The job
then gets the injected environment variables - and ArcGIS's passcode as the injected extra
variable - and nothing else: the inventory names the environments, as docs/awx/inventory.yml does,
and holds no URL, user, password, token, API key or CA path.
"""

import json
from pathlib import Path

import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

# pylint: disable-next=import-error
from conftest import (
    ARCGIS_PASSWORD, ARCGIS_USERNAME, ATLASSIAN_API_TOKEN, ATLASSIAN_ORG_ID, ATLASSIAN_USER, JAHIA_API_TOKEN,
    MENDIX_API_KEY, MENDIX_USERNAME, PASSCODE, SECRETS, mutating, published, restores)

SNAPSHOT = 'saasops.backup.pre_deploy_snapshot'
RESTORE = 'saasops.backup.restore'
TYPES_DIR = Path(__file__).resolve().parents[2] / 'docs' / 'awx' / 'credential_types'
# What an inventory of credential-type jobs holds (docs/awx/inventory.yml): no credential.
INVENTORY = {
    'gis-prod': {'saasops_platform': 'arcgis', 'saasops_connection': {'passcode': '{{ saasops_arcgis_passcode }}'},
                 'saasops_backup_options': {'retention_days': 14}},
    'jahia-staging': {'saasops_platform': 'jahia', 'saasops_connection': {}, 'saasops_target': {'environment': 'staging'}},
    'mendix-accp': {'saasops_platform': 'mendix', 'saasops_connection': {},
                    'saasops_target': {'app_id': 'calc', 'environment': 'Acceptance'}},
    'jira-prod': {'saasops_platform': 'atlassian', 'saasops_connection': {},
                  'saasops_target': {'cloud_id': 'cloud-prod', 'product': 'jira'}},
}


class _Namespace:  # pylint: disable=too-few-public-methods
    """AWX's ``tower`` namespace (``tower.filename.<name>``)."""


def inject(platform, inputs, private_dir):
    """The (env, extra_vars) AWX injects for a credential of this platform's type with ``inputs``."""
    with open(TYPES_DIR / ('%s.yml' % platform), encoding='utf-8') as handle:
        ctype = yaml.safe_load(handle)
    sandbox = ImmutableSandboxedEnvironment()
    namespace = {name: value for name, value in inputs.items() if isinstance(value, bool) or value}
    for field in ctype['inputs']['fields']:
        if field['type'] == 'boolean':
            namespace.setdefault(field['id'], False)
    namespace['tower'] = _Namespace()
    namespace['tower'].filename = _Namespace()
    for label, template in ctype['injectors'].get('file', {}).items():
        path = Path(private_dir) / ('%s-%s' % (platform, label))
        path.write_text(sandbox.from_string(template).render(**namespace), encoding='utf-8')
        path.chmod(0o600)
        setattr(namespace['tower'].filename, label.split('.', 1)[1], str(path))

    def render(templates):
        return {name: sandbox.from_string(template).render(**namespace) for name, template in templates.items()}

    return render(ctype['injectors']['env']), render(ctype['injectors'].get('extra_vars', {}))


def credentials(emulator, private_dir):
    """One credential per platform, as an AWX user would fill it in for the emulator."""
    ca_cert = Path(emulator.info['ca_path']).read_text(encoding='utf-8')
    filled = {
        'arcgis': {'url': emulator.url('/arcgis'), 'username': ARCGIS_USERNAME, 'password': ARCGIS_PASSWORD,
                   'passcode': PASSCODE, 'ca_cert': ca_cert},
        'jahia': {'api_token': JAHIA_API_TOKEN, 'organization': 'acme', 'api_url': emulator.url('/jahia'), 'ca_cert': ca_cert},
        'mendix': {'username': MENDIX_USERNAME, 'api_key': MENDIX_API_KEY, 'api_url': emulator.url('/mendix'),
                   'ca_cert': ca_cert},
        'atlassian': {'org_id': ATLASSIAN_ORG_ID, 'user': ATLASSIAN_USER, 'api_token': ATLASSIAN_API_TOKEN,
                      'api_url': emulator.url('/atlassian'), 'ca_cert': ca_cert},
    }
    env, extra_vars = {}, {}
    for platform, inputs in filled.items():
        platform_env, platform_vars = inject(platform, inputs, private_dir)
        env.update(platform_env)
        extra_vars.update(platform_vars)
    return env, extra_vars


def test_snapshot_and_restore_with_credentials_from_the_credential_types(emu, job, tmp_path):
    env, extra_vars = credentials(emu, tmp_path)
    # Every platform's URL, credentials and CA arrive through the injected environment.
    assert {'ARCGIS_URL', 'ARCGIS_PASSWORD', 'ARCGIS_CA_PATH', 'JAHIA_CLOUD_TOKEN', 'JAHIA_CLOUD_ORG', 'MENDIX_API_KEY',
            'MENDIX_CA_PATH', 'ATLASSIAN_API_TOKEN', 'ATLASSIAN_CA_PATH'} <= set(env)
    assert set(extra_vars) == {'saasops_arcgis_passcode'}
    inventory_text = json.dumps(INVENTORY)
    for secret in SECRETS + (emu.info['ca_path'],):
        assert secret not in inventory_text

    snapshot = job.run(SNAPSHOT, INVENTORY, dict(extra_vars, saasops_run_id='awx-env'), name='snapshot', env=env)
    assert snapshot.rc == 0, snapshot.output
    manifest = job.manifest('awx-env')
    assert {e['host']: e['status'] for e in manifest['environments']} == {
        'gis-prod': 'completed', 'jahia-staging': 'triggered', 'mendix-accp': 'completed', 'jira-prod': 'completed'}
    assert published(snapshot)['saasops_manifest'] == manifest
    state = emu.state()
    assert [b['backupName'] for b in state['arcgis']['backups']['default-store']] == ['saasops-awx-env']
    assert [s['comment'] for s in state['mendix']['snapshots']] == ['saasops awx-env']
    assert len(state['jahia']['backups']) == 1 and len(state['atlassian']['backups']) == 1
    for secret in SECRETS:
        assert secret not in snapshot.output
        assert secret not in json.dumps(manifest)

    # The rollback job of the workflow: the manifest from the snapshot job, the same credentials.
    emu.clear_requests()
    restore = job.run(RESTORE, INVENTORY, dict(extra_vars, saasops_restore_confirm=True, saasops_manifest=manifest),
                      name='restore', env=env)
    assert restore.rc == 0, restore.output
    assert len(restores(emu)) == 4, restores(emu)
    for secret in SECRETS:
        assert secret not in restore.output


def test_without_the_credentials_nothing_is_sent(emu, job, tmp_path):
    """The same inventory without the injected environment: every backup fails, naming what is missing."""
    dummy, extra_vars = credentials(emu, tmp_path)
    snapshot = job.run(SNAPSHOT, INVENTORY, dict(extra_vars, saasops_run_id='no-env'), name='snapshot')
    assert snapshot.rc != 0
    errors = {e['host']: e.get('error', '') for e in job.manifest('no-env')['environments'] if e['status'] == 'failed'}
    assert sorted(errors) == sorted(INVENTORY)
    assert 'missing required arguments: url' in errors['gis-prod']
    assert 'missing required arguments: api_token, organization' in errors['jahia-staging']
    assert 'MENDIX_USERNAME / MENDIX_API_KEY' in errors['mendix-accp']
    assert 'missing required arguments: api_token, org_id, user' in errors['jira-prod']
    assert mutating(emu) == []
