import { sh } from './processes'

/**
 * A network namespace joined to this machine by a veth pair in 10.200.<subnet>.0/24: the host
 * side is .1, the namespace side .2. Inside it, 127.0.0.1 is the namespace's own loopback, so a
 * service on this machine's loopback really is out of reach, as it is for a separate host.
 */
export interface TestNetns {
  name: string
  /** This machine's address on the link, reachable from inside the namespace. */
  hostAddress: string
  /** The namespace's address, reachable from this machine. */
  address: string
  remove(): Promise<void>
}

export async function createNetns(name: string, subnet: number): Promise<TestNetns> {
  if (!/^[a-z0-9-]{1,8}$/.test(name)) throw new Error(`netns name ${name}: at most 8 of [a-z0-9-]`)
  const hostSide = `${name}-h`
  const nsSide = `${name}-n`
  const hostAddress = `10.200.${subnet}.1`
  const address = `10.200.${subnet}.2`
  const remove = async (): Promise<void> => {
    // Deleting the namespace deletes its end of the pair, and with it the host end.
    await sh('ip', ['netns', 'delete', name]).catch(() => undefined)
    await sh('ip', ['link', 'delete', hostSide]).catch(() => undefined)
  }
  await remove() // leftovers of an interrupted run
  const inside = (...args: string[]) => sh('ip', ['netns', 'exec', name, 'ip', ...args])
  await sh('ip', ['netns', 'add', name])
  await sh('ip', ['link', 'add', hostSide, 'type', 'veth', 'peer', 'name', nsSide])
  await sh('ip', ['link', 'set', nsSide, 'netns', name])
  await sh('ip', ['addr', 'add', `${hostAddress}/24`, 'dev', hostSide])
  await sh('ip', ['link', 'set', hostSide, 'up'])
  await inside('addr', 'add', `${address}/24`, 'dev', nsSide)
  await inside('link', 'set', nsSide, 'up')
  await inside('link', 'set', 'lo', 'up')
  return { name, hostAddress, address, remove }
}
