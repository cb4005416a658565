import { describe, expect, it } from 'vitest'
import { parseSite } from '#shared/site'
import { isLoopbackHost, urlHost } from '../../../src-main/engine/workers/loopback'
import { addToMirrorRequirements } from '../../../src-main/engine/workers/mirror-additions'
import { workerTargets } from '#shared/worker-target'

function site(listen: string, worker: Record<string, unknown> = {}) {
  return parseSite({
    mirror: {
      ssh: { host: '10.0.0.5', user: 'root' },
      requirements: ['alpha', 'beta==2.0'],
      serve: { listen, location: '/pypi/' },
    },
    workers: [{ ssh: { host: 'worker-1', user: 'ol' }, workerDir: '/srv/ol', ...worker }],
  })
}

describe('worker targets', () => {
  it('points pip_mirror at the listen address, without /simple or a trailing slash', () => {
    const [target] = workerTargets(site('10.0.0.5:8080'))
    expect(target?.pipMirror).toBe('http://10.0.0.5:8080/pypi')
    expect(target?.label).toBe('ol@worker-1:22:/srv/ol')
  })

  it('uses the SSH address when nginx listens on every address', () => {
    expect(workerTargets(site('0.0.0.0:8080'))[0]?.pipMirror).toBe('http://10.0.0.5:8080/pypi')
  })

  it("takes the worker's own pipMirror and name when given", () => {
    const [target] = workerTargets(
      site('10.0.0.5:8080', { pipMirror: 'http://203.0.113.7:80/pypi/', name: 'edge-1' }),
    )
    expect(target?.pipMirror).toBe('http://203.0.113.7:80/pypi')
    expect(target?.label).toBe('edge-1')
  })

  it('checks the new worker fields', () => {
    expect(() => site('10.0.0.5:8080', { pythonVersion: '3' })).toThrow(/pythonVersion/)
    expect(() => site('10.0.0.5:8080', { pipMirror: 'ftp://x/pypi' })).toThrow(/pipMirror/)
  })
})

describe('loopback addresses', () => {
  it('knows the names and addresses that reach the sandbox itself', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '0.0.0.0'])
      expect(isLoopbackHost(host)).toBe(true)
    for (const host of ['10.0.0.5', 'mirror.example', '128.0.0.1'])
      expect(isLoopbackHost(host)).toBe(false)
    expect(urlHost('http://[::1]:8080/pypi')).toBe('::1')
  })
})

describe("the doctor's offer to add to the mirror", () => {
  it('adds missing lines once', () => {
    const fixed = addToMirrorRequirements(site('10.0.0.5:8080'), [
      'Beta==2.0',
      'outsider==1.0',
      'beta==1.0',
    ])
    expect(fixed.mirror.requirements).toEqual(['alpha', 'beta==2.0', 'outsider==1.0', 'beta==1.0'])
  })
})
