import { writeFile } from 'node:fs/promises'
import { sh } from './processes'

/**
 * Local accounts the test sshd logs into. They live on this (throwaway) machine, so the tests
 * create them idempotently; passwords are reset on every run.
 */
export const SUDOER = { name: 'pmw-sudoer', password: 'Sudo-pass 1!-x7' }
export const NOPASSWD_SUDOER = { name: 'pmw-nopass', password: 'Nopass-pass 2!-q9' }
export const PLAIN_USER = { name: 'pmw-plain', password: 'Plain-pass 3!-k4' }
/** sudo asks this one for a password, except for tee and sh (NOPASSWD): they never ask. */
export const PARTIAL_SUDOER = { name: 'pmw-partial', password: 'Partial-pass 4!-z2' }

async function ensureUser(name: string, password: string): Promise<void> {
  const exists = await sh('id', ['-u', name]).then(
    () => true,
    () => false,
  )
  if (!exists) await sh('useradd', ['--create-home', '--shell', '/bin/bash', name])
  await sh('chpasswd', [], { input: `${name}:${password}\n` })
}

export async function ensureTestUsers(): Promise<void> {
  await ensureUser(SUDOER.name, SUDOER.password)
  await ensureUser(NOPASSWD_SUDOER.name, NOPASSWD_SUDOER.password)
  await ensureUser(PLAIN_USER.name, PLAIN_USER.password)
  await ensureUser(PARTIAL_SUDOER.name, PARTIAL_SUDOER.password)
  await writeFile(
    '/etc/sudoers.d/pmw-test',
    [
      `${SUDOER.name} ALL=(ALL:ALL) ALL`,
      `${NOPASSWD_SUDOER.name} ALL=(ALL:ALL) NOPASSWD: ALL`,
      // The last matching rule wins: a password for everything, then none for these two.
      `${PARTIAL_SUDOER.name} ALL=(ALL:ALL) ALL`,
      `${PARTIAL_SUDOER.name} ALL=(ALL:ALL) NOPASSWD: /usr/bin/tee, /bin/sh`,
      '',
    ].join('\n'),
    { mode: 0o440 },
  )
  await sh('visudo', ['-c', '-q', '-f', '/etc/sudoers.d/pmw-test'])
}
