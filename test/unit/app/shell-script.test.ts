import { describe, expect, it } from 'vitest'
import type { RecordedAction } from '../../../src-main/app-data/recorded-action'
import { renderShellScript } from '../../../src-main/app/shell-script'
import type { StageRecord } from '#shared/ipc/contract'

const at = '2025-01-01T00:00:00.000Z'

function command(
  argv: string[],
  extra: Partial<Extract<RecordedAction, { kind: 'command' }>> = {},
): RecordedAction {
  return {
    kind: 'command',
    stage: 'mirror',
    step: 'tools',
    host: 'ops@10.0.0.5:22',
    argv,
    sudo: false,
    readOnly: false,
    at,
    ...extra,
  }
}

const mirrorRecord = {
  plans: [
    {
      step: 'config',
      plan: {
        changes: [
          {
            kind: 'file',
            summary: 'Write bandersnatch.conf',
            path: '/srv/pypi/bandersnatch.conf',
            diff: '--- /dev/null\n+++ b/srv/pypi/bandersnatch.conf\n@@ -0,0 +1 @@\n+[mirror]\n',
          },
        ],
        notes: [],
      },
    },
  ],
} as unknown as StageRecord

describe('renderShellScript', () => {
  it('lists what ran in order, quoted by the engine, with sudo where the login was not root', () => {
    const script = renderShellScript(
      [
        command(['sh', '-c', 'cat /etc/os-release'], { readOnly: true, stage: 'check' }),
        command(['python3', '-m', 'venv', '/opt/pip-mirror-wizard/venv'], { sudo: true }),
        command(['echo', "it's $HOME"]),
        {
          kind: 'file-write',
          stage: 'mirror',
          step: 'config',
          host: 'ops@10.0.0.5:22',
          path: '/srv/pypi/bandersnatch.conf',
          backupPath: null,
          at,
        },
      ],
      { mirror: mirrorRecord },
      new Date(at),
    )
    expect(script).toBe(
      [
        '#!/bin/sh',
        '# What Pip Mirror Wizard ran on ops@10.0.0.5:22, in order.',
        `# Exported ${at}. Read-only checks are left out.`,
        '# Files the wizard wrote are shown as diffs in comments; it kept each previous file as a backup.',
        'set -eu',
        '',
        '# == Mirror: tools (ops@10.0.0.5:22)',
        'sudo python3 -m venv /opt/pip-mirror-wizard/venv',
        `echo 'it'\\''s $HOME'`,
        '',
        '# == Mirror: config (ops@10.0.0.5:22)',
        '# wrote /srv/pypi/bandersnatch.conf',
        '#   --- /dev/null',
        '#   +++ b/srv/pypi/bandersnatch.conf',
        '#   @@ -0,0 +1 @@',
        '#   +[mirror]',
        '',
      ].join('\n'),
    )
  })

  it('needs no sudo for root, and says so when nothing ran', () => {
    const root = renderShellScript(
      [command(['nginx', '-t'], { sudo: true, host: 'root@h:22', stage: 'serve', step: 'nginx' })],
      {},
      new Date(at),
    )
    expect(root).toContain('\nnginx -t\n')
    expect(renderShellScript([], {}, new Date(at))).toContain('(no host yet)')
  })
})
