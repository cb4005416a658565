import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { sh } from './processes'

/** The mirror's owner (who runs bandersnatch) and an unrelated account, for permission tests. */
export const MIRROR_OWNER = 'pmw-mirror-owner'
export const STRANGER = 'pmw-stranger'

export async function ensureAccount(name: string): Promise<{ uid: number; gid: number }> {
  const exists = await sh('id', ['-u', name]).then(
    () => true,
    () => false,
  )
  if (!exists) await sh('useradd', ['--create-home', '--shell', '/bin/bash', name])
  return {
    uid: Number((await sh('id', ['-u', name])).trim()),
    gid: Number((await sh('id', ['-g', name])).trim()),
  }
}

/** Wheels as bandersnatch stores them: web/packages/<2>/<2>/<hash>/<file>. */
export const MIRROR_WHEELS = {
  alpha:
    'packages/3a/7f/0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c/alpha-1.0-py3-none-any.whl',
  beta: 'packages/b2/44/9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e/beta-2.0-py3-none-any.whl',
} as const

function projectPage(project: string, wheel: string): string {
  const file = wheel.split('/').at(-1) as string
  return `<!DOCTYPE html>\n<html><body><h1>Links for ${project}</h1><a href="../../${wheel}#sha256=00">${file}</a><br/></body></html>\n`
}

/**
 * A mirror as bandersnatch lays it out (config, status and web/ with simple pages and wheels),
 * owned by `owner` with the modes a umask of 022 gives: directories 0755, files 0644.
 */
export async function layOutMirror(
  dir: string,
  owner: { uid: number; gid: number },
): Promise<string[]> {
  const files: Record<string, string | Buffer> = {
    'bandersnatch.conf': '[mirror]\ndirectory = here\n',
    status: '123456\n',
    generation: '5\n',
    'web/simple/index.html':
      '<!DOCTYPE html>\n<html><body><a href="alpha/">alpha</a><br/><a href="beta/">beta</a><br/></body></html>\n',
    'web/simple/alpha/index.html': projectPage('alpha', MIRROR_WHEELS.alpha),
    'web/simple/alpha/index.v1_html': projectPage('alpha', MIRROR_WHEELS.alpha),
    'web/simple/alpha/index.v1_json': `{"meta":{"api-version":"1.1"},"name":"alpha","files":[]}\n`,
    'web/simple/beta/index.html': projectPage('beta', MIRROR_WHEELS.beta),
    [`web/${MIRROR_WHEELS.alpha}`]: Buffer.from('PK\x03\x04alpha wheel'),
    [`web/${MIRROR_WHEELS.beta}`]: Buffer.from('PK\x03\x04beta wheel'),
  }
  await mkdir(dir, { recursive: true })
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path)
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, content)
  }
  await sh('chown', ['-R', `${owner.uid}:${owner.gid}`, dir])
  await sh('find', [dir, '-type', 'd', '-exec', 'chmod', '0755', '{}', '+'])
  await sh('find', [dir, '-type', 'f', '-exec', 'chmod', '0644', '{}', '+'])
  return Object.keys(files)
}

/** Every entry under `root`, and each parent of it, as `uid:gid mode path` lines (sorted). */
export async function ownershipAndModes(root: string): Promise<Map<string, string>> {
  const parents: string[] = []
  for (let dir = dirname(root); ; dir = dirname(dir)) {
    parents.push(dir)
    if (dir === '/') break
  }
  const lines = [
    ...(await sh('stat', ['-c', '%u:%g %a %n', ...parents])).split('\n'),
    ...(await sh('find', [root, '-printf', '%U:%G %m %p\\n'])).split('\n'),
  ].filter(Boolean)
  return new Map(
    lines.map((line) => {
      const [owner = '', mode = '', ...path] = line.split(' ')
      return [path.join(' '), `${owner} ${Number.parseInt(mode, 8).toString(8).padStart(4, '0')}`]
    }),
  )
}
