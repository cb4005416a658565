import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ensureTestUsers, PLAIN_USER } from '../testbed/users'
import { ensureCliBuilt, runPipMirror } from '../testbed/cli'
import { startMirrorHostBed, type MirrorHostBed } from '../testbed/mirror-host'
import { sh } from '../testbed/processes'

/** Preflight refuses, with a reason and a fix, hosts the later steps would fail on. */
let bed: MirrorHostBed
let accept: string[]

beforeAll(async () => {
  await ensureTestUsers()
  await ensureCliBuilt()
  bed = await startMirrorHostBed()
  accept = ['--known-hosts', bed.knownHosts, '--accept-host-key', bed.sshd.hostKeyFingerprint]
})

afterAll(async () => {
  await bed?.stop()
})

async function editedSite(
  edit: (site: {
    mirror: Record<string, unknown> & {
      ssh: Record<string, unknown>
      serve: Record<string, unknown>
    }
  }) => void,
) {
  const created = await bed.newSite()
  const site = JSON.parse(await readFile(created.path, 'utf8'))
  edit(site)
  const path = join(bed.work, `edited-${created.port}.json`)
  await writeFile(path, JSON.stringify(site))
  return { ...created, path }
}

describe('preflight', () => {
  it('warns that a loopback listen address cannot be reached from OpenLambda sandboxes', async () => {
    const site = await bed.newSite()
    const result = await runPipMirror(['plan', '--site', site.path, ...accept])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/listen on 127\.0\.0\.1, a loopback address/)
    expect(result.stdout).toMatch(/OpenLambda sandboxes cannot reach loopback/)
  })

  it('refuses a listen address that is not one of the host’s own', async () => {
    const site = await editedSite((s) => {
      s.mirror.serve.listen = '10.254.254.254:8080'
    })
    const result = await runPipMirror(['plan', '--site', site.path, ...accept])
    expect(result.code).toBe(1)
    expect(result.stdout + result.stderr).toMatch(
      /10\.254\.254\.254 is not an address of this host/,
    )
    expect(result.stdout).toMatch(/the host has: .*127\.0\.0\.1/)
  })

  it('refuses a login that cannot become root', async () => {
    const site = await editedSite((s) => {
      s.mirror.ssh = {
        host: bed.sshd.host,
        port: bed.sshd.port,
        user: PLAIN_USER.name,
        auth: 'password',
      }
    })
    const env = { PIP_MIRROR_SSH_PASSWORD: PLAIN_USER.password }
    const result = await runPipMirror(['plan', '--site', site.path, ...accept], env)
    expect(result.code).toBe(1)
    expect(result.stdout + result.stderr).toMatch(/cannot use sudo/)
    expect(result.stdout + result.stderr).toMatch(
      /log in as root, or as a user listed in \/etc\/sudoers/,
    )
  })

  it('refuses a mirror directory on a filesystem too small for the mirror', async () => {
    const mount = '/mnt/pmw-tiny-test'
    await mkdir(mount, { recursive: true })
    await sh('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mount])
    try {
      const site = await editedSite((s) => {
        s.mirror.directory = `${mount}/pypi`
      })
      const result = await runPipMirror(['apply', '--yes', '--site', site.path, ...accept])
      expect(result.code).toBe(1)
      expect(result.stdout + result.stderr).toMatch(
        /Not enough disk for the mirror at \/mnt\/pmw-tiny-test\/pypi/,
      )
      expect(result.stdout).toMatch(/has 4\.0 MB free/)
      expect(await sh('ls', ['-A', mount])).toBe('')
    } finally {
      await sh('umount', [mount])
      await rmdir(mount)
    }
  })
})
