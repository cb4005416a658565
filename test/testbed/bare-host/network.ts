import { sh } from '../processes'

/**
 * The bare hosts' test network: one bridge on this machine with the gateway address, and one
 * network namespace per host joined to it by a veth pair. This machine does not forward
 * (ip_forward stays as it is, 0 here), so a host reaches the gateway and the other hosts and
 * nothing else: its way out is the HTTP proxy the tests run on the gateway address.
 */
export const TEST_NET = {
  bridge: 'pmwb0',
  prefix: '10.213.1',
  gateway: '10.213.1.1',
  cidr: 24,
} as const

/** Every name the bed gives a namespace or a link starts with this: the sweep's key. */
export const NAME_PREFIX = 'pmwb'

export interface HostLink {
  netns: string
  address: string
  remove(): Promise<void>
}

async function linkExists(name: string): Promise<boolean> {
  return sh('ip', ['link', 'show', name]).then(
    () => true,
    () => false,
  )
}

/** Creates the bridge with the gateway address, or reuses it. */
export async function ensureTestNetwork(): Promise<void> {
  const { bridge, gateway, cidr } = TEST_NET
  if (!(await linkExists(bridge))) await sh('ip', ['link', 'add', bridge, 'type', 'bridge'])
  // A bridge left by an earlier run may carry an address of an earlier version of the bed.
  await sh('ip', ['addr', 'flush', 'dev', bridge])
  await sh('ip', ['addr', 'add', `${gateway}/${cidr}`, 'dev', bridge])
  await sh('ip', ['link', 'set', bridge, 'up'])
}

/**
 * A namespace for host number `index` (1..200) at 10.213.1.<10 + index>, its end of the pair
 * named eth0 as on a real server, with a route to the gateway's network only.
 */
export async function attachHost(index: number): Promise<HostLink> {
  if (!Number.isInteger(index) || index < 1 || index > 200)
    throw new Error(`host index ${index}: 1 to 200`)
  const netns = `${NAME_PREFIX}-h${index}`
  const outside = `${NAME_PREFIX}h${index}`
  const inside = `${NAME_PREFIX}h${index}i`
  const address = `${TEST_NET.prefix}.${10 + index}`
  const remove = async (): Promise<void> => {
    // Deleting the namespace deletes its end of the pair, and with it the bridge's end.
    await sh('ip', ['netns', 'delete', netns]).catch(() => undefined)
    await sh('ip', ['link', 'delete', outside]).catch(() => undefined)
  }
  await remove()
  const inNs = (...args: string[]) => sh('ip', ['netns', 'exec', netns, 'ip', ...args])
  await sh('ip', ['netns', 'add', netns])
  await sh('ip', ['link', 'add', outside, 'type', 'veth', 'peer', 'name', inside])
  await sh('ip', ['link', 'set', outside, 'master', TEST_NET.bridge])
  await sh('ip', ['link', 'set', outside, 'up'])
  await sh('ip', ['link', 'set', inside, 'netns', netns])
  await inNs('link', 'set', inside, 'name', 'eth0')
  await inNs('addr', 'add', `${address}/${TEST_NET.cidr}`, 'dev', 'eth0')
  await inNs('link', 'set', 'eth0', 'up')
  await inNs('link', 'set', 'lo', 'up')
  return { netns, address, remove }
}

/** The namespaces a crashed run left behind (their processes, then the namespaces and links). */
export async function sweepTestNetwork(): Promise<void> {
  const namespaces = (await sh('ip', ['netns', 'list']))
    .split('\n')
    .map((line) => line.split(' ')[0] as string)
    .filter((name) => name.startsWith(`${NAME_PREFIX}-`))
  for (const netns of namespaces) {
    const pids = (await sh('ip', ['netns', 'pids', netns]).catch(() => ''))
      .split('\n')
      .filter(Boolean)
    // A host's first process takes every other process of its PID namespace with it.
    if (pids.length > 0) await sh('kill', ['-KILL', ...pids]).catch(() => undefined)
    await sh('ip', ['netns', 'delete', netns]).catch(() => undefined)
  }
  const links = (await sh('ip', ['-o', 'link', 'show']))
    .split('\n')
    .map((line) => line.split(':')[1]?.trim().split('@')[0] ?? '')
    .filter((name) => name.startsWith(NAME_PREFIX) && name !== TEST_NET.bridge)
  for (const link of links) await sh('ip', ['link', 'delete', link]).catch(() => undefined)
}

/** Removes the bridge (after the hosts are gone). */
export async function removeTestNetwork(): Promise<void> {
  await sh('ip', ['link', 'delete', TEST_NET.bridge]).catch(() => undefined)
}
