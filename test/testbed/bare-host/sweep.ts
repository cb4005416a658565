import { readdirSync, readFileSync } from 'node:fs'
import { sh } from '../processes'
import { sweepHostDirs } from './host'
import { sweepTestNetwork } from './network'

/** Processes a crashed run left outside the hosts: its proxy (named by its config directory). */
function leftoverBedProcesses(): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
      if (argv[0]?.endsWith('tinyproxy') && argv.some((arg) => arg.includes('/pmw-proxy-')))
        pids.push(Number(entry))
    } catch {
      // gone meanwhile
    }
  }
  return pids
}

/**
 * What a crashed run of the bare-host bed can leave: hosts still running (killed with their
 * namespaces), veth links, host directories, loop devices over files in them (mount -o loop
 * sets autoclear, so they go with the host's mounts; this catches the rest), the proxy.
 */
export async function sweepBareHosts(): Promise<void> {
  await sweepTestNetwork()
  const loops = await sh('losetup', ['-n', '-l', '-O', 'NAME,BACK-FILE']).catch(() => '')
  for (const line of loops.split('\n')) {
    const [device, backing] = line.trim().split(/\s+/)
    if (device && backing?.includes('/pmw-bare-hosts/'))
      await sh('losetup', ['-d', device]).catch(() => undefined)
  }
  await sweepHostDirs()
  for (const pid of leftoverBedProcesses()) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}
