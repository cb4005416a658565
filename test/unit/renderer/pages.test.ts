import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import ConnectView from '@/views/ConnectView.vue'
import HostKeyDialog from '@/components/HostKeyDialog.vue'
import PackagesView from '@/views/PackagesView.vue'
import VerifyView from '@/views/VerifyView.vue'
import CommandsPanel from '@/components/CommandsPanel.vue'
import { useCommandsStore } from '@/stores/commands'
import { useConnectionStore } from '@/stores/connection'
import { useHostKeyStore } from '@/stores/host-key'
import { useRunsStore } from '@/stores/runs'
import { fakeBridge } from './fake-bridge'
import { stageRecord } from './stage-record'
import { mountPage } from './mount-page'

const FINGERPRINT = `SHA256:${'Q'.repeat(43)}`
const byTestId = (id: string): HTMLElement | null =>
  document.body.querySelector(`[data-testid="${id}"]`)

afterEach(() => {
  delete window.pipMirror
  document.body.innerHTML = ''
})

async function type(testId: string, value: string): Promise<void> {
  const input = byTestId(testId)?.querySelector('input, textarea') as HTMLInputElement
  input.value = value
  input.dispatchEvent(new Event('input'))
  await flushPromises()
}

describe('the Connect page', () => {
  it('asks before trusting a new host key, then trusts exactly the fingerprint shown', async () => {
    const fake = fakeBridge({
      'ssh:config-hosts': () => [],
      'host:connect': () => ({
        kind: 'unknown-key',
        host: '10.0.0.5',
        port: 22,
        keyType: 'ssh-ed25519',
        fingerprint: FINGERPRINT,
        checkCommand: 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub',
      }),
      'host:trust': () => ({
        kind: 'connected',
        connection: {
          state: 'connected',
          label: 'ops@10.0.0.5:22',
          hostKey: { keyType: 'ssh-ed25519', fingerprint: FINGERPRINT },
          hasSecrets: false,
        },
      }),
    })
    window.pipMirror = fake.bridge
    const { wrapper, pinia } = await mountPage(ConnectView, '/connect')
    const { mount } = await import('@vue/test-utils')
    mount(HostKeyDialog, { global: { plugins: [pinia] }, attachTo: document.body })
    await type('host', '10.0.0.5')
    await type('user', 'ops')
    await type('identity-file', '~/.ssh/id_ed25519')
    await wrapper.find('[data-testid="connect"]').trigger('click')
    await flushPromises()

    expect(fake.calls.find((call) => call.channel === 'host:connect')?.request).toEqual({
      target: {
        host: '10.0.0.5',
        port: 22,
        user: 'ops',
        auth: 'key',
        identityFile: '~/.ssh/id_ed25519',
      },
      secrets: {},
      remember: false,
    })
    expect(byTestId('host-key-fingerprint')?.textContent).toBe(FINGERPRINT)
    expect(document.body.textContent).toContain('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub')
    byTestId('host-key-trust')?.click()
    await flushPromises()
    expect(fake.calls.at(-1)).toEqual({
      channel: 'host:trust',
      request: { fingerprint: FINGERPRINT },
    })
    expect(useConnectionStore().connected).toBe(true)
    expect(wrapper.find('[data-testid="connected"]').exists()).toBe(true)
  })

  it('shows a changed key with both fingerprints and offers no way to trust it', async () => {
    window.pipMirror = fakeBridge({ 'ssh:config-hosts': () => [] }).bridge
    const { pinia } = await mountPage(ConnectView, '/connect')
    const { mount } = await import('@vue/test-utils')
    mount(HostKeyDialog, { global: { plugins: [pinia] }, attachTo: document.body })
    useHostKeyStore().changedKey = {
      kind: 'changed-key',
      host: '10.0.0.5',
      port: 22,
      offered: { keyType: 'ssh-ed25519', fingerprint: FINGERPRINT },
      known: [`ssh-ed25519 SHA256:${'K'.repeat(43)}`],
      knownHostsPath: '/home/ops/.config/pip-mirror-wizard/known_hosts',
    }
    await flushPromises()
    expect(document.body.textContent).toContain('Refusing to connect')
    expect(document.body.textContent).toContain(`SHA256:${'K'.repeat(43)}`)
    expect(byTestId('changed-key-offered')?.textContent).toContain(FINGERPRINT)
    expect(byTestId('host-key-trust')).toBeNull()
  })

  it('keeps no password in the form once it is sent', async () => {
    window.pipMirror = fakeBridge({
      'ssh:config-hosts': () => [],
      'host:connect': () => ({
        kind: 'failed',
        error: { message: 'refused', hint: 'check the password' },
      }),
    }).bridge
    const { wrapper } = await mountPage(ConnectView, '/connect')
    await type('host', '10.0.0.5')
    await type('user', 'ops')
    ;(wrapper.findAll('.n-radio-button').at(1)?.element as HTMLElement).click()
    await flushPromises()
    await type('password', 'hunter2')
    await wrapper.find('[data-testid="connect"]').trigger('click')
    await flushPromises()
    const input = byTestId('password')?.querySelector('input') as HTMLInputElement
    expect(input.value).toBe('')
    expect(byTestId('error-hint')?.textContent).toBe('check the password')
  })
})

describe('the Choose packages page', () => {
  it('names a line that is not a requirement and sends nothing', async () => {
    const fake = fakeBridge({})
    window.pipMirror = fake.bridge
    const { wrapper } = await mountPage(PackagesView, '/packages')
    useConnectionStore().hydrate({
      state: 'connected',
      label: 'ops@h:22',
      hostKey: null,
      hasSecrets: false,
    })
    await flushPromises()
    await type('requirements', 'requests\n-r other.txt\n')
    await wrapper.find('[data-testid="resolve"]').trigger('click')
    await flushPromises()
    expect(byTestId('error-panel')?.textContent).toContain('Line 2 "-r other.txt"')
    expect(fake.calls.map((call) => call.channel)).not.toContain('site:update')
  })
})

describe('the Verify & repair page', () => {
  it('turns a 403 into the doctor: findings, then exactly what the repair changes', async () => {
    const fake = fakeBridge({
      'run:start': ({ stage }) => ({ kind: 'started', runId: `run-${stage}` }),
    })
    window.pipMirror = fake.bridge
    const { wrapper } = await mountPage(VerifyView, '/verify')
    const runs = useRunsStore()
    useConnectionStore().hydrate({
      state: 'connected',
      label: 'root@h:22',
      hostKey: null,
      hasSecrets: false,
    })
    const base = stageRecord({ finishedAt: '2025-01-01T00:00:01Z' })
    runs.hydrate(
      {
        serve: {
          ...base,
          runId: 's',
          stage: 'serve',
          mode: 'apply',
          status: 'changed',
          error: null,
        },
        verify: {
          ...base,
          runId: 'v',
          stage: 'verify',
          mode: 'apply',
          status: 'failed',
          error: {
            message: 'http://127.0.0.1:8080/pypi/simple/ answers 403',
            hint: 'run the doctor',
          },
        },
      },
      null,
    )
    await flushPromises()
    expect(byTestId('forbidden')).not.toBeNull()
    await wrapper.find('[data-testid="diagnose"]').trigger('click')
    await flushPromises()
    expect(fake.calls.at(-1)).toEqual({
      channel: 'run:start',
      request: { stage: 'repair', mode: 'plan' },
    })

    runs.onRunFinished({
      ...base,
      startedAt: '2025-01-01T00:00:05Z',
      runId: 'run-repair',
      stage: 'repair',
      mode: 'plan',
      status: 'planned',
      error: null,
      findings: [
        {
          severity: 'blocker',
          title: 'www-data cannot pass through /srv/pypi',
          fix: 'chmod o+x /srv/pypi',
        },
      ],
      plans: [
        {
          step: 'permissions',
          plan: {
            changes: [
              {
                kind: 'command',
                summary: 'o+x on /srv/pypi',
                command: 'chmod o+x /srv/pypi',
                sudo: true,
              },
            ],
            notes: ['Least change'],
          },
        },
      ],
    })
    await flushPromises()
    expect(byTestId('doctor')?.textContent).toContain('www-data cannot pass through /srv/pypi')
    expect(byTestId('repair-plan')?.textContent).toContain('chmod o+x /srv/pypi')
    await wrapper.find('[data-testid="repair"]').trigger('click')
    await flushPromises()
    expect(fake.calls.at(-1)).toEqual({
      channel: 'run:start',
      request: { stage: 'repair', mode: 'apply' },
    })
  })
})

describe('Show commands', () => {
  it('lists the commands of the page’s stages only, marking the read-only ones', async () => {
    const { wrapper } = await mountPage(CommandsPanel, '/mirror', { stages: ['mirror'] })
    const commands = useCommandsStore()
    commands.hydrate([
      { stage: 'check', step: 'facts', line: '$ sh -c probe', readOnly: true },
      { stage: 'mirror', step: 'sync', line: '$ bandersnatch mirror', readOnly: false },
    ])
    commands.add({ stage: 'mirror', step: 'closure', line: '$ uv pip compile -', readOnly: true })
    await wrapper.find('[data-testid="show-commands"]').trigger('click')
    await flushPromises()
    const items = wrapper.findAll('.commands-panel__item').map((item) => item.text())
    expect(items).toEqual(['$ bandersnatch mirror', '$ uv pip compile -read-only'])
  })
})
