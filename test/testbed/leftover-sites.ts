import { existsSync } from 'node:fs'
import { readFile, readdir, rm } from 'node:fs/promises'
import { SITES_AVAILABLE, removeProductSite } from './system-nginx'
import { sh } from './processes'

/** A loopback test's mirror directory: named for the process that made it (see mirror-host.ts). */
export function testMirrorDirectory(suffix: string): string {
  return `/srv/pmw-test-${process.pid}-${suffix}`
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * The nginx sites and mirror directories a killed test run left on this machine (its afterAll
 * never ran): a site the product wrote for a test mirror whose process is gone. Sites of running
 * processes, and every other site, are left alone. Returns the sites removed.
 */
export async function sweepLeftoverTestSites(): Promise<string[]> {
  if (!existsSync(SITES_AVAILABLE)) return []
  const removed: string[] = []
  for (const name of await readdir(SITES_AVAILABLE)) {
    if (!/^pip-mirror-\d+$/.test(name)) continue
    const text = await readFile(`${SITES_AVAILABLE}/${name}`, 'utf8').catch(() => '')
    const owner = /alias (\/srv\/pmw-test-(\d+)-[0-9a-f]+)\/web\/;/.exec(text)
    if (!owner || alive(Number(owner[2]))) continue
    await removeProductSite(name)
    await rm(owner[1] as string, { recursive: true, force: true })
    removed.push(name)
  }
  if (removed.length) await sh('nginx', ['-s', 'reload']).catch(() => undefined)
  return removed
}
