#!/usr/bin/python
# -*- coding: utf-8 -*-
# The documentation of the smharden.hardening.run action (plugins/action/run.py does the work).

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: run
short_description: Check or apply a smharden hardening profile on a host
description:
  - Runs C(smharden check) or C(smharden apply --yes) on the host with C(--format json) and returns
    its JSON report (C(smharden.report/1)) as the task result.
  - Runs through M(ansible.windows.win_command) on Windows hosts and M(ansible.builtin.command) on
    others.
  - In check mode (C(--check)) it runs C(smharden check), which changes nothing, whatever I(mode) says.
  - Secrets (for example from Ansible Vault) go to smharden on its standard input with
    C(--secret-stdin NAME), never on its command line; smharden redacts them in its report.
version_added: 0.1.0
author:
  - smharden maintainers
options:
  binary:
    description: The smharden executable on the host (the install role sets C(smharden_binary)).
    type: str
    default: smharden
  profile:
    description: The profile, a file on the host or the name of a shipped profile.
    type: str
    required: true
  target:
    description: C(local), C(lab:DIR), C(offline:DIR) or a target file; smharden's default when omitted.
    type: str
  mode:
    description: C(apply) changes what is missing; C(check) only reports. Check mode always checks.
    type: str
    choices: [check, apply]
    default: apply
  only:
    description: Run only these steps.
    type: list
    elements: str
    default: []
  skip:
    description: Do not run these steps.
    type: list
    elements: str
    default: []
  tags:
    description: Run only the steps with any of these tags.
    type: list
    elements: str
    default: []
  secrets:
    description:
      - Secret name to value, for example C(smartermail_password). Each value is one line (no line
        breaks). Passed on standard input, never on the command line.
    type: dict
    default: {}
  no_restart:
    description: Leave requested service restarts and app pool recycles pending (apply).
    type: bool
    default: false
  wait_lock:
    description: Seconds to wait for another run that holds the run lock (apply).
    type: int
    default: 0
  fail_on_drift:
    description: Fail the host when drift remains (exit code 3), e.g. findings that need the operator.
    type: bool
    default: false
  report_dir:
    description:
      - A folder on the controller; the host's report is written there as C(INVENTORY_HOSTNAME.json),
        which the C(smharden.hardening.fleet_report) role merges into one fleet report.
    type: path
notes:
  - C(changed) is true when apply changed something (and was not rolled back), or in check mode
    when a step drifts with an open finding apply can fix. A C(mode=check) run outside check mode
    never reports a change.
  - A host fails when smharden exits with 1, 2 or 4 (or 3 with I(fail_on_drift)); the message names
    each failed step and its open finding, or its reason.
"""

EXAMPLES = r"""
- name: Apply the baseline profile
  smharden.hardening.run:
    binary: "{{ smharden_binary }}"
    profile: baseline
    secrets:
      smartermail_password: "{{ vault_smartermail_password }}"
    report_dir: "{{ playbook_dir }}/reports"
"""

RETURN = r"""
report:
  description: smharden's JSON report (C(smharden.report/1)).
  returned: when smharden wrote one
  type: dict
summary:
  description: Steps per status.
  returned: when smharden wrote a report
  type: dict
rc:
  description: smharden's exit code (0 compliant or applied, 1 runtime error, 2 usage, 3 drift, 4 apply failed).
  returned: always
  type: int
mode:
  description: What ran, C(check) or C(apply).
  returned: always
  type: str
drift:
  description: True when smharden exited 3 (findings remain open).
  returned: when smharden wrote a report
  type: bool
failed_steps:
  description: Each failed, error or blocked step with its first open finding (C(finding), C(current), C(desired)) or reason.
  returned: when smharden wrote a report
  type: list
  elements: dict
failed_step:
  description: The first failed step's id.
  returned: when the host failed
  type: str
failed_finding:
  description: The id of the first failed step's open finding (null when the step failed without one).
  returned: when the host failed
  type: str
report_file:
  description: The report's file on the controller.
  returned: when report_dir is set
  type: str
"""
