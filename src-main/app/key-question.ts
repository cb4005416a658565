import { commandLine } from '../engine/remote/quote'
import type { ConnectOutcome } from '#shared/ipc/contract'
import type { ConnectResult } from './host-connections'

export type KeyQuestion = Extract<ConnectResult, { kind: 'unknown-key' | 'changed-key' }>

/** A host key the operator must look at: new (to confirm) or changed (refused). */
export function keyQuestion(
  result: KeyQuestion,
): Extract<ConnectOutcome, { kind: KeyQuestion['kind'] }> {
  const { key } = result
  if (result.kind === 'unknown-key')
    return {
      kind: 'unknown-key',
      host: key.host,
      port: key.port,
      keyType: key.keyType,
      fingerprint: key.fingerprint,
      checkCommand: commandLine(hostKeyCheckArgv(key.keyType)),
    }
  return {
    kind: 'changed-key',
    host: key.host,
    port: key.port,
    offered: { keyType: key.keyType, fingerprint: key.fingerprint },
    known: result.known,
    knownHostsPath: result.knownHostsPath,
  }
}

/** Prints the server's own fingerprint: where OpenSSH keeps a key of this type on Debian/Ubuntu. */
function hostKeyCheckArgv(keyType: string): string[] {
  const name = keyType.replace(/^ssh-/, '').replace(/^ecdsa-sha2-nistp\d+$/, 'ecdsa')
  return ['ssh-keygen', '-lf', `/etc/ssh/ssh_host_${name}_key.pub`]
}
