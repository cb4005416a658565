import { sh } from './processes'

/**
 * A local address that is not loopback (10.213.0.1 on `lo`): the workers' steps refuse a
 * loopback pip_mirror, as OpenLambda sandboxes cannot reach one, yet traffic stays on this host.
 */
export const NON_LOOPBACK_ADDRESS = '10.213.0.1'

export async function addNonLoopbackAddress(): Promise<string> {
  await sh('ip', ['addr', 'replace', `${NON_LOOPBACK_ADDRESS}/32`, 'dev', 'lo'])
  return NON_LOOPBACK_ADDRESS
}

export async function removeNonLoopbackAddress(): Promise<void> {
  await sh('ip', ['addr', 'del', `${NON_LOOPBACK_ADDRESS}/32`, 'dev', 'lo']).catch(() => undefined)
}
