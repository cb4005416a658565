import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { sweepLeftoverTestSites, testMirrorDirectory } from '../testbed/leftover-sites'
import { freePort } from '../testbed/processes'
import { SITES_AVAILABLE, SITES_ENABLED, installSite, removeSite } from '../testbed/system-nginx'

/**
 * A test run killed before its afterAll leaves the nginx site the product wrote for its mirror,
 * and the mirror directory. The next loopback test bed removes those of processes that are gone,
 * and nothing else.
 */
const made: { name: string; dir: string }[] = []

afterAll(async () => {
  for (const { name, dir } of made) {
    await removeSite(name)
    await rm(dir, { recursive: true, force: true })
  }
})

async function site(dir: string): Promise<string> {
  const name = `pip-mirror-${await freePort()}`
  await mkdir(`${dir}/web`, { recursive: true })
  await installSite(
    name,
    `server {\n    listen 127.0.0.1:${name.slice(11)};\n    location /pypi/ {\n        alias ${dir}/web/;\n    }\n}\n`,
  )
  made.push({ name, dir })
  return name
}

const there = (name: string) =>
  existsSync(`${SITES_AVAILABLE}/${name}`) || existsSync(`${SITES_ENABLED}/${name}`)

describe('sweepLeftoverTestSites', () => {
  it('removes the site and directory of a test process that is gone, and keeps the others', async () => {
    const gone = spawnSync('true').pid
    const leftover = await site(`/srv/pmw-test-${gone}-0123abcd`)
    const mine = await site(testMirrorDirectory('4567ef01'))
    const operators = await site('/srv/pmw-operator-mirror')

    const removed = await sweepLeftoverTestSites()

    expect(removed).toContain(leftover)
    expect(there(leftover)).toBe(false)
    expect(existsSync(`/srv/pmw-test-${gone}-0123abcd`)).toBe(false)
    for (const kept of [mine, operators]) {
      expect(removed).not.toContain(kept)
      expect(there(kept)).toBe(true)
    }
    expect(existsSync(testMirrorDirectory('4567ef01'))).toBe(true)
  })
})
