import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  SYSTEM_PYTHON,
  ensureToolsVenv,
  standinClientEnv,
  startPypiStandin,
  type PypiStandin,
  type ToolsVenv,
} from '../testbed/pypi-standin'
import { REAL_DISTS, realClosurePins, realDists } from '../testbed/real-dists'

/**
 * The PyPI stand-in serving real distributions fetched from PyPI (test/testbed/real-dists.ts):
 * platform wheels for several Pythons and platforms, an sdist-only project and a yanked release,
 * each the way PyPI says it in PEP 503 HTML, PEP 691 JSON and the JSON API; checked with the
 * real pip and uv.
 */
let standin: PypiStandin
let tools: ToolsVenv
let work: string

beforeAll(async () => {
  tools = await ensureToolsVenv()
  standin = await startPypiStandin({ wheelsDir: await realDists() })
  work = await mkdtemp(join(tmpdir(), 'pmw-real-dists-'))
})

afterAll(async () => {
  await standin?.stop()
  if (work) await rm(work, { recursive: true, force: true })
})

function run(file: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: work, env: standinClientEnv(), timeout: 180_000, maxBuffer: 32 << 20 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? -1) : 0, out: stdout + stderr }),
    )
  })
}

const [yankedName, yankedVersion] = REAL_DISTS.yanked.requirement.split('==') as [string, string]
const JSON_V1 = 'application/vnd.pypi.simple.v1+json'

describe('yanked releases, as PyPI serves them', () => {
  it('PEP 503 HTML marks each file of the release with data-yanked and the reason', async () => {
    const page = await (await fetch(`${standin.url}/simple/${yankedName}/`)).text()
    const links = page.split('\n').filter((line) => line.includes('<a '))
    const yanked = links.filter((line) => line.includes(`${yankedName}-${yankedVersion}`))
    expect(yanked.length).toBeGreaterThan(0)
    for (const line of yanked) expect(line).toContain(`data-yanked="${REAL_DISTS.yanked.reason}"`)
    const others = links.filter((line) => !line.includes(`${yankedName}-${yankedVersion}`))
    expect(others.length).toBeGreaterThan(0)
    for (const line of others) expect(line).not.toContain('data-yanked')
  })

  it('PEP 691 JSON gives the reason as "yanked", false elsewhere', async () => {
    const page = (await (
      await fetch(`${standin.url}/simple/${yankedName}/`, { headers: { Accept: JSON_V1 } })
    ).json()) as { files: { filename: string; yanked: boolean | string }[] }
    for (const file of page.files)
      expect(file.yanked).toBe(
        file.filename.includes(`-${yankedVersion}`) ? REAL_DISTS.yanked.reason : false,
      )
  })

  it('the JSON API sets yanked and yanked_reason on the release files and its info', async () => {
    const project = (await (await fetch(`${standin.url}/pypi/${yankedName}/json`)).json()) as {
      info: { version: string }
      releases: Record<string, { yanked: boolean; yanked_reason: string | null }[]>
    }
    expect(project.releases[yankedVersion]?.every((f) => f.yanked)).toBe(true)
    expect(project.releases[yankedVersion]?.[0]?.yanked_reason).toBe(REAL_DISTS.yanked.reason)
    // "latest" is the newest release that is not yanked, as on PyPI.
    expect(project.info.version).toBe(realClosurePins().get(yankedName))
    const release = (await (
      await fetch(`${standin.url}/pypi/${yankedName}/${yankedVersion}/json`)
    ).json()) as { info: { yanked: boolean; yanked_reason: string } }
    expect(release.info).toMatchObject({ yanked: true, yanked_reason: REAL_DISTS.yanked.reason })
  })

  it('uv resolves past the yanked release, and takes it only when pinned to it', async () => {
    const compile = async (requirement: string) => {
      await writeFile(join(work, 'in.txt'), `${requirement}\n`)
      return run(tools.uv, [
        ...['pip', 'compile', '--universal', '--python', SYSTEM_PYTHON, '--no-python-downloads'],
        ...['--no-config', '--no-cache', '--index-url', `${standin.url}/simple`],
        ...['--python-version', '3.10', 'in.txt'],
      ])
    }
    const floating = await compile(yankedName)
    expect(floating.code).toBe(0)
    expect(floating.out).toContain(`${yankedName}==${realClosurePins().get(yankedName)}`)
    const pinned = await compile(REAL_DISTS.yanked.requirement)
    expect(pinned.out).toContain(`${yankedName}==${yankedVersion}`)
    expect(pinned.out).toMatch(/yanked/i)
  })
})

describe('the real closure', () => {
  it('uv pins flask, requests and pydantic to exactly the fetched closure', async () => {
    await writeFile(join(work, 'requested.txt'), `${REAL_DISTS.requested.join('\n')}\n`)
    const result = await run(tools.uv, [
      ...['pip', 'compile', '--universal', '--python', SYSTEM_PYTHON, '--no-python-downloads'],
      ...['--no-config', '--no-cache', '--index-url', `${standin.url}/simple`],
      ...['--python-version', '3.10', '--no-annotate', '--no-header', 'requested.txt'],
    ])
    expect(result.code).toBe(0)
    const pins = new Map(
      result.out
        .split('\n')
        .filter((line) => line.includes('=='))
        .map((line) => line.split(/\s|;/)[0]?.split('==') as [string, string]),
    )
    expect(pins).toEqual(realClosurePins())
  })

  it.each(REAL_DISTS.pythons.flatMap((python) => REAL_DISTS.platforms.map((p) => [python, p])))(
    'pip downloads a wheel of every pin for CPython %s on %s',
    async (python, platform) => {
      const dest = join(work, `dl-${python}-${platform}`)
      const result = await run(SYSTEM_PYTHON, [
        ...['-m', 'pip', 'download', '--no-cache-dir', '--disable-pip-version-check'],
        ...['--index-url', `${standin.url}/simple`, '--only-binary=:all:', '--no-deps'],
        ...['--platform', platform, '--python-version', python, '--implementation', 'cp'],
        ...['--abi', `cp${python.replace('.', '')}`, '-d', dest, ...REAL_DISTS.closure],
      ])
      expect(result.code, result.out).toBe(0)
      const files = await readdir(dest)
      expect(files).toHaveLength(REAL_DISTS.closure.length)
      const arch = platform.split('_').slice(1).join('_')
      expect(files.find((f) => f.startsWith('pydantic_core-'))).toMatch(
        new RegExp(`-cp${python.replace('.', '')}-.*${arch}`),
      )
    },
  )
})

describe('an sdist-only project', () => {
  const [name, version] = REAL_DISTS.sdistOnly.split('==') as [string, string]

  it('is listed as an sdist with no PEP 658 metadata, and pip downloads it', async () => {
    const project = (await (await fetch(`${standin.url}/pypi/${name}/json`)).json()) as {
      urls: { filename: string; packagetype: string; python_version: string; url: string }[]
    }
    expect(project.urls).toMatchObject([
      { filename: `${name}-${version}.tar.gz`, packagetype: 'sdist', python_version: 'source' },
    ])
    expect((await fetch(`${project.urls[0]?.url}.metadata`)).status).toBe(404)
    const html = await (await fetch(`${standin.url}/simple/${name}/`)).text()
    expect(html).not.toContain('data-core-metadata')
    const dest = join(work, 'sdist')
    const result = await run(SYSTEM_PYTHON, [
      ...['-m', 'pip', 'download', '--no-cache-dir', '--disable-pip-version-check', '--no-deps'],
      ...['--no-build-isolation', '--index-url', `${standin.url}/simple`, '-d', dest],
      REAL_DISTS.sdistOnly,
    ])
    expect(result.code, result.out).toBe(0)
    expect(await readdir(dest)).toEqual([`${name}-${version}.tar.gz`])
  })
})
