import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import {
  nginxAccessLog,
  nginxSiteName,
  renderNginxSite,
} from '../../src-main/engine/config/nginx-site'

/**
 * The generated site under the real nginx: `nginx -t` accepts it, and a private nginx serving a
 * mirror laid out as bandersnatch lays it out answers pip's requests. Everything (config, pid,
 * logs, temp paths) lives in a temp dir; the system nginx and /etc/nginx are left alone.
 */

const NGINX = '/usr/sbin/nginx'
const PYPI_JSON = 'application/vnd.pypi.simple.v1+json'
const PYPI_HTML = 'application/vnd.pypi.simple.v1+html'
/** The Accept header pip 23+ sends for simple pages. */
const PIP_ACCEPT = `${PYPI_JSON}, ${PYPI_HTML}; q=0.1, text/html; q=0.01`
const WHEEL = 'packages/ab/cd/0123456789abcdef/alpha-1.0-py3-none-any.whl'

const mirrorFiles: Record<string, string | Buffer> = {
  'simple/index.html': '<!DOCTYPE html><html><body><a href="alpha/">alpha</a></body></html>\n',
  'simple/alpha/index.html': `<!DOCTYPE html><html><body><a href="../../${WHEEL}#sha256=00">alpha-1.0-py3-none-any.whl</a></body></html>\n`,
  'simple/alpha/index.v1_html': `<!DOCTYPE html><html><body><a href="../../${WHEEL}">v1 html</a></body></html>\n`,
  'simple/alpha/index.v1_json': `{"meta":{"api-version":"1.0"},"name":"alpha","files":[{"filename":"alpha-1.0-py3-none-any.whl","url":"../../${WHEEL}","hashes":{}}]}\n`,
  // A project synced with simple-format = HTML only: JSON requests fall back to index.html.
  'simple/beta/index.html': '<!DOCTYPE html><html><body>beta</body></html>\n',
  [WHEEL]: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0x10, 0x0a]),
}

let workDir = ''

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Lays out a mirror readable by nginx's worker user, as the product's permissions step does. */
function writeMirror(webRoot: string): void {
  for (const [path, content] of Object.entries(mirrorFiles)) {
    const file = join(webRoot, path)
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 })
    writeFileSync(file, content, { mode: 0o644 })
  }
}

/** A main nginx.conf that includes the site at http level, as Debian's sites-enabled/ is. */
function writeNginxConf(sites: string[]): string {
  const temp = (name: string): string => join(workDir, 'temp', name)
  const runsAsRoot = process.getuid?.() === 0
  const conf = join(workDir, 'nginx.conf')
  writeFileSync(
    conf,
    `${runsAsRoot ? 'user www-data;\n' : ''}worker_processes 1;
pid ${join(workDir, 'nginx.pid')};
error_log ${join(workDir, 'error.log')};
events {}
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log ${join(workDir, 'access.log')};
    client_body_temp_path ${temp('body')};
    proxy_temp_path ${temp('proxy')};
    fastcgi_temp_path ${temp('fastcgi')};
    uwsgi_temp_path ${temp('uwsgi')};
    scgi_temp_path ${temp('scgi')};
${sites.map((site) => `    include ${site};`).join('\n')}
}
`,
  )
  return conf
}

/** The sites written: nginx creates each one's access log where the product puts it. */
const listens: string[] = []

function writeSite(listen: string): string {
  listens.push(listen)
  const file = join(workDir, nginxSiteName(listen))
  writeFileSync(
    file,
    renderNginxSite({ listen, location: '/pypi/', webRoot: join(workDir, 'mirror', 'web') }),
  )
  return file
}

function nginxArgs(conf: string): string[] {
  return ['-p', workDir, '-e', join(workDir, 'error.log'), '-c', conf]
}

function nginxTest(conf: string): { status: number | null; output: string } {
  const result = spawnSync(NGINX, ['-t', ...nginxArgs(conf)], { encoding: 'utf8' })
  return { status: result.status, output: result.stdout + result.stderr }
}

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'pmw-nginx-'))
  // mkdtemp makes the directory 0700; nginx's workers run as www-data.
  chmodSync(workDir, 0o755)
  mkdirSync(join(workDir, 'temp'), { mode: 0o755 })
  writeMirror(join(workDir, 'mirror', 'web'))
})

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true })
  for (const listen of listens) rmSync(nginxAccessLog(listen), { force: true })
})

describe('nginx -t', () => {
  it('accepts the generated site', async () => {
    const conf = writeNginxConf([writeSite(`127.0.0.1:${await freePort()}`)])
    const { status, output } = nginxTest(conf)
    expect(output).toContain('syntax is ok')
    expect(output).toContain('test is successful')
    expect(status).toBe(0)
  })

  it('accepts two mirror sites side by side', async () => {
    const sites = [
      writeSite(`127.0.0.1:${await freePort()}`),
      writeSite(`127.0.0.1:${await freePort()}`),
    ]
    const { status, output } = nginxTest(writeNginxConf(sites))
    expect(status, output).toBe(0)
  })
})

describe('the generated site served by a real nginx', () => {
  let nginx: ChildProcess | null = null
  let base = ''

  beforeAll(async () => {
    const port = await freePort()
    const conf = writeNginxConf([writeSite(`127.0.0.1:${port}`)])
    base = `http://127.0.0.1:${port}/pypi`
    const started = spawn(NGINX, [...nginxArgs(conf), '-g', 'daemon off;'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    nginx = started
    let stderr = ''
    started.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const deadline = Date.now() + 10_000
    for (;;) {
      if (started.exitCode !== null) {
        throw new Error(
          `nginx exited with ${started.exitCode}: ${stderr}\n${readFileSync(join(workDir, 'error.log'), 'utf8')}`,
        )
      }
      try {
        await fetch(`${base}/`)
        return
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`nginx did not answer on port ${port}: ${String(error)}`, {
            cause: error,
          })
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  })

  afterAll(async () => {
    const running = nginx
    if (!running || running.exitCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    running.kill('SIGTERM')
    await exited
  })

  it('serves the HTML simple page as text/html by default', async () => {
    const response = await fetch(`${base}/simple/alpha/`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await response.text()).toBe(mirrorFiles['simple/alpha/index.html'])
  })

  it('serves PEP 691 JSON when the Accept header asks for it', async () => {
    const response = await fetch(`${base}/simple/alpha/`, { headers: { Accept: PYPI_JSON } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe(PYPI_JSON)
    expect(response.headers.get('vary')).toBe('Accept')
    expect(await response.text()).toBe(mirrorFiles['simple/alpha/index.v1_json'])
  })

  it('serves JSON for the Accept header pip sends', async () => {
    const response = await fetch(`${base}/simple/alpha/`, { headers: { Accept: PIP_ACCEPT } })
    expect(response.headers.get('content-type')).toBe(PYPI_JSON)
  })

  it('serves the v1 HTML page when asked for it', async () => {
    const response = await fetch(`${base}/simple/alpha/`, { headers: { Accept: PYPI_HTML } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(
      /^application\/vnd\.pypi\.simple\.v1\+html/,
    )
    expect(await response.text()).toBe(mirrorFiles['simple/alpha/index.v1_html'])
  })

  it('falls back to index.html when a project has no JSON page', async () => {
    const response = await fetch(`${base}/simple/beta/`, { headers: { Accept: PYPI_JSON } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await response.text()).toBe(mirrorFiles['simple/beta/index.html'])
  })

  it('downloads a wheel as application/octet-stream', async () => {
    const response = await fetch(`${base}/${WHEEL}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/octet-stream')
    expect(Buffer.from(await response.arrayBuffer())).toEqual(mirrorFiles[WHEEL])
  })

  it('answers 404 for a project the mirror does not hold', async () => {
    expect((await fetch(`${base}/simple/missing/`)).status).toBe(404)
    expect(
      (await fetch(`${base}/simple/missing/`, { headers: { Accept: PYPI_JSON } })).status,
    ).toBe(404)
  })

  it('redirects a project URL without its trailing slash', async () => {
    const response = await fetch(`${base}/simple/alpha`, { redirect: 'manual' })
    expect(response.status).toBe(301)
    expect(response.headers.get('location')).toMatch(/\/pypi\/simple\/alpha\/$/)
  })
})
