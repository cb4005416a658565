import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { APP_PAGE_URL, appFileFor, appProtocolHandler } from '../../src-main/electron/app-protocol'
import { CONTENT_SECURITY_POLICY_HEADER } from '../../src-main/electron/security-policy'

let base: string
let root: string

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'pmw-app-protocol-'))
  root = join(base, 'out', 'renderer')
  await mkdir(join(root, 'assets'), { recursive: true })
  await writeFile(join(root, 'index.html'), '<!doctype html><title>page</title>')
  await writeFile(join(root, 'assets', 'index-abc.js'), 'console.log(1)')
  await writeFile(join(base, 'out', 'secret.txt'), 'outside the renderer')
  await writeFile(join(base, 'out', 'renderer-evil.txt'), 'a sibling with the same prefix')
})

afterAll(async () => {
  await rm(base, { recursive: true, force: true })
})

describe('appFileFor: which file an app:// URL may name', () => {
  it('maps the page and its assets to files inside the renderer folder', () => {
    expect(appFileFor(APP_PAGE_URL, root)).toBe(join(root, 'index.html'))
    expect(appFileFor('app://pip-mirror-wizard/', root)).toBe(join(root, 'index.html'))
    expect(appFileFor('app://pip-mirror-wizard/assets/index-abc.js?v=1#x', root)).toBe(
      join(root, 'assets', 'index-abc.js'),
    )
  })

  it.each([
    'app://x/../../etc/passwd',
    'app://pip-mirror-wizard/assets/%2E%2E%2F%2E%2E%2Fsecret.txt',
    'app://pip-mirror-wizard/..%2fsecret.txt',
    'app://pip-mirror-wizard/..%5csecret.txt',
    'app://pip-mirror-wizard/index.html%00.js',
    'app://pip-mirror-wizard/%E0%A4%A',
    'app://elsewhere/index.html',
    'file:///etc/passwd',
    'https://pip-mirror-wizard/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    expect(appFileFor(url, root)).toBeNull()
  })

  it.each([
    'app://pip-mirror-wizard/../../etc/passwd',
    'app://pip-mirror-wizard/%2e%2e/%2e%2e/etc/passwd',
    'app://pip-mirror-wizard/%2fetc%2fpasswd',
    'app://pip-mirror-wizard/../renderer-evil.txt',
  ])('keeps %s inside the renderer folder (where no such file is)', (url) => {
    const file = appFileFor(url, root)
    expect(file === null || file.startsWith(`${root}/`)).toBe(true)
  })
})

describe('the app:// protocol handler', () => {
  const handle = (request: Request): Promise<Response> => appProtocolHandler(root)(request)

  it('serves the page with its type and the Content-Security-Policy', async () => {
    const response = await handle(new Request(APP_PAGE_URL))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY_HEADER)
    expect(await response.text()).toContain('<title>page</title>')
  })

  it('answers 404 for anything outside the renderer folder, missing files and folders', async () => {
    for (const url of [
      'app://x/../../etc/passwd',
      'app://pip-mirror-wizard/%2e%2e/secret.txt',
      'app://pip-mirror-wizard/..%2fsecret.txt',
      'app://pip-mirror-wizard/assets/%2E%2E%2F%2E%2E%2Fsecret.txt',
      'app://pip-mirror-wizard/missing.js',
      'app://pip-mirror-wizard/assets',
    ]) {
      const response = await handle(new Request(url))
      expect(response.status, url).toBe(404)
      expect(await response.text()).not.toContain('outside the renderer')
    }
  })

  it('serves only GET', async () => {
    const response = await handle(new Request(APP_PAGE_URL, { method: 'POST', body: 'x' }))
    expect(response.status).toBe(404)
  })
})
