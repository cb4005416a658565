import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeClientKey, startSshd, type ClientKey, type TestSshd } from '../testbed/sshd'
import { ensureCliBuilt, runPipMirror } from '../testbed/cli'
import { runPipMirrorOnTerminal } from '../testbed/terminal'
import { waitFor } from '../testbed/processes'

/**
 * What the `pip-mirror` command refuses to do without the operator: trust two hosts with one
 * "yes", read a requirements file outside the site's folder, or carry a password in a URL.
 * Real sshds, the real command, on a pseudo-terminal where a person would answer.
 */
let sshds: TestSshd[]
let work: string
let key: ClientKey

beforeAll(async () => {
  await ensureCliBuilt()
  work = await mkdtemp(join(tmpdir(), 'pmw-cli-trust-'))
  await chmod(work, 0o755)
  key = await makeClientKey(work, 'root_key')
  sshds = await Promise.all([startSshd(), startSshd()])
  for (const sshd of sshds) await sshd.authorize('root', key)
})

afterAll(async () => {
  await Promise.all((sshds ?? []).map((sshd) => sshd.stop()))
  await rm(work, { recursive: true, force: true })
})

/** A site whose workers are the test sshds; the mirror host is never contacted (--only workers). */
async function siteFile(name: string, mirror: Record<string, unknown> = {}): Promise<string> {
  const dir = join(work, name)
  await mkdir(dir, { recursive: true })
  const path = join(dir, 'site.json')
  await writeFile(
    path,
    JSON.stringify({
      mirror: {
        ssh: { host: '127.0.0.1', port: sshds[0]?.port, user: 'root', identityFile: key.path },
        directory: '/srv/pmw-never-made',
        requirements: ['six'],
        serve: { listen: '127.0.0.1:8080' },
        ...mirror,
      },
      workers: sshds.map((sshd, i) => ({
        ssh: { host: sshd.host, port: sshd.port, user: 'root', identityFile: key.path },
        workerDir: join(work, `worker-${i}`),
      })),
    }),
  )
  return path
}

async function knownHostLines(path: string): Promise<string[]> {
  if (!existsSync(path)) return []
  return (await readFile(path, 'utf8')).split('\n').filter(Boolean)
}

async function connectionsSeen(): Promise<number> {
  let seen = 0
  for (const sshd of sshds)
    seen += ((await readFile(sshd.logPath, 'utf8').catch(() => '')).match(/Connection from/g) ?? [])
      .length
  return seen
}

const PROMPT = /Trust the key (SHA256:\S+) of ([\d.]+):(\d+)\? Type "yes" to continue: /g

describe('host keys at the terminal', () => {
  it('asks about one host at a time, each prompt naming host and fingerprint; one "yes" trusts one host', async () => {
    const knownHosts = join(work, 'known_hosts_prompts')
    const run = runPipMirrorOnTerminal([
      'plan',
      '--site',
      await siteFile('prompts'),
      '--only',
      'workers',
      '--known-hosts',
      knownHosts,
      '--no-history',
    ])
    try {
      await run.waitFor((o) => o.includes('Type "yes"'), 'the first host key prompt')
      // Both workers connect at once (4 at a time): give a second prompt every chance to appear.
      await new Promise((resolve) => setTimeout(resolve, 1500))
      expect(run.output().match(/First contact with/g)).toHaveLength(1)
      const first = [...run.output().matchAll(PROMPT)]
      expect(first).toHaveLength(1)
      const [, firstFp, , firstPort] = first[0] as RegExpMatchArray
      const firstSshd = sshds.find((s) => String(s.port) === firstPort)
      expect(firstFp).toBe(firstSshd?.hostKeyFingerprint)
      expect(run.output()).toContain(`First contact with 127.0.0.1:${firstPort}.`)

      run.type('yes\r')
      await run.waitFor((o) => [...o.matchAll(PROMPT)].length === 2, 'the second host key prompt')
      const [, secondFp, , secondPort] = [...run.output().matchAll(PROMPT)][1] as RegExpMatchArray
      const secondSshd = sshds.find((s) => String(s.port) === secondPort)
      expect(secondPort).not.toBe(firstPort)
      expect(secondFp).toBe(secondSshd?.hostKeyFingerprint)
      // The host that was answered is trusted; the other one waits for its own answer.
      await waitFor(
        async () => (await knownHostLines(knownHosts)).length > 0,
        'the first key to be stored',
      )
      expect(await knownHostLines(knownHosts)).toHaveLength(1)

      run.type('no\r')
      await run.exited
      const lines = await knownHostLines(knownHosts)
      expect(lines).toHaveLength(1)
      expect(lines[0]?.startsWith(`[127.0.0.1]:${firstPort} `)).toBe(true)
      expect(run.output()).toContain(`127.0.0.1:${secondPort}`)
    } finally {
      run.stop()
    }
  })
})

describe('site files refused before any host is contacted', () => {
  it('a password inside a URL: the field is named, the password is not repeated', async () => {
    const before = await connectionsSeen()
    const result = await runPipMirror([
      'plan',
      '--site',
      await siteFile('credentials', {
        proxy: 'http://ops:Pr0xy-Secret@proxy.lan:3128',
        allowNonHttps: true,
      }),
      '--accept-host-key',
      sshds[0]?.hostKeyFingerprint as string,
      '--known-hosts',
      join(work, 'known_hosts_credentials'),
    ])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/mirror\.proxy: must not hold a user name or password/)
    expect(result.stdout + result.stderr).not.toContain('Pr0xy-Secret')
    expect(await connectionsSeen()).toBe(before)
  })

  it('a requirements file outside the site file’s folder', async () => {
    const secretList = join(work, 'not-for-the-site.in')
    await writeFile(secretList, 'private-project-name\n')
    const before = await connectionsSeen()
    const result = await runPipMirror([
      'plan',
      '--site',
      await siteFile('outside', {
        requirements: undefined,
        requirementsFile: '../not-for-the-site.in',
      }),
      '--known-hosts',
      join(work, 'known_hosts_outside'),
    ])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /mirror\.requirementsFile: must name a file in the site file's folder/,
    )
    expect(result.stdout + result.stderr).not.toContain('private-project-name')
    expect(await connectionsSeen()).toBe(before)
  })
})
