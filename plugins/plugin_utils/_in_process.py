# -*- coding: utf-8 -*-
# Copyright: (c) 2026, saasops.backup contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one of this collection's modules inside the controller's process, in the calling thread.

Why: the backup modules only talk to REST APIs from the controller (``connection: local``). Run as
modules, each of the 80 runs of a 40-environment snapshot costs a Python start, AnsiballZ and the
imports (about 0.25 s of CPU), which on a small controller is most of the run. Run here, every
environment's request goes out within the same second, from threads of one task.

The module's own ``main()`` runs unchanged: its ``AnsibleModule`` is replaced by ``ThreadModule``,
which validates the arguments with Ansible's ``ArgumentSpecValidator`` (types, defaults, aliases,
required and exclusive options, as AnsibleModule does), masks ``no_log`` values in the answer, and
turns ``exit_json``/``fail_json`` into the answer instead of printing it and leaving the process.
Only what the collection's modules use of AnsibleModule is offered (params, check_mode, warn,
no_log_values, exit_json, fail_json): a module that needs more fails loudly in the tests.
"""

from __future__ import annotations

import importlib
import threading

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values

_PACKAGE = 'ansible_collections.saasops.backup.plugins.modules.'
_CURRENT = threading.local()
_PATCH_LOCK = threading.Lock()


class _Answer(BaseException):
    """How exit_json and fail_json leave the module's main(), like the SystemExit of a real module run."""

    def __init__(self, result):
        super().__init__('module answered')
        self.result = result


def _secrets(spec, params):
    """The values of every no_log option (sub-options included) in ``params``."""
    found = set()
    for name, option in (spec or {}).items():
        value = (params or {}).get(name)
        if value is None or value == '' or isinstance(value, bool):
            # As AnsibleModule: an empty (or yes/no) value hides nothing, and masking it would mask every text.
            continue
        if option.get('no_log') and not isinstance(value, (dict, list)):
            found.add(str(value))
        if option.get('options'):
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    found |= _secrets(option['options'], item)
    return found


class ThreadModule:
    """The part of AnsibleModule the collection's modules use, for one run in the calling thread."""

    def __init__(self, argument_spec, supports_check_mode=False, mutually_exclusive=None, required_together=None,
                 required_one_of=None, required_if=None, required_by=None, **unused):
        del unused  # bypass_checks, no_log, add_file_common_args...: not used by this collection's modules
        args, self.check_mode = _CURRENT.args, _CURRENT.check_mode
        self._warnings = []
        self.no_log_values = _secrets(argument_spec, args)
        validated = ArgumentSpecValidator(argument_spec, mutually_exclusive=mutually_exclusive,
                                          required_together=required_together, required_one_of=required_one_of,
                                          required_if=required_if, required_by=required_by).validate(args)
        self.params = validated.validated_parameters
        self.no_log_values |= _secrets(argument_spec, self.params)
        if validated.error_messages:
            self.fail_json(msg='; '.join(validated.error_messages))
        if self.check_mode and not supports_check_mode:
            self.exit_json(skipped=True, msg='this module does not support check mode')

    def warn(self, warning):
        self._warnings.append(warning)

    def _answer(self, result):
        result = remove_values(result, self.no_log_values)
        if self._warnings:
            result['warnings'] = remove_values(list(self._warnings), self.no_log_values)
        return _Answer(result)

    def exit_json(self, **result):
        result.setdefault('changed', False)
        raise self._answer(result)

    def fail_json(self, msg, **result):
        result.update(failed=True, msg=msg)
        raise self._answer(result)


def _in_this_thread(real):
    """What the module's ``AnsibleModule`` becomes: a ThreadModule in a thread that runs it here, else the real one."""
    def build(*args, **kwargs):
        if getattr(_CURRENT, 'args', None) is None:
            return real(*args, **kwargs)
        return ThreadModule(*args, **kwargs)

    build.saasops_in_process = True
    return build


def _module(name):
    module = importlib.import_module(_PACKAGE + name)
    with _PATCH_LOCK:
        # Once per process; a run of the module outside of run() (a test of its main()) still gets AnsibleModule.
        if not getattr(module.AnsibleModule, 'saasops_in_process', False):
            module.AnsibleModule = _in_this_thread(module.AnsibleModule)
    return module


def run(name, args, check_mode=False):
    """The answer of module ``name`` (short name, e.g. 'mendix_snapshot') given ``args``, as its task would get it."""
    return run_main(_module(name), args, check_mode)


def run_main(module, args, check_mode=False):
    """``module.main()`` (a module whose AnsibleModule builds ThreadModule here) in this thread; its answer."""
    _CURRENT.args, _CURRENT.check_mode = dict(args), bool(check_mode)
    try:
        module.main()
    except _Answer as answer:
        return answer.result
    finally:
        _CURRENT.args = _CURRENT.check_mode = None
    return dict(failed=True, msg='%s ended without an answer' % module.__name__.rsplit('.', 1)[-1])
