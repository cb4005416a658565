import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureBuilt, OUT_DIR } from './harness'

const read = (path: string): string => readFileSync(join(OUT_DIR, path), 'utf8')

describe('the built Electron bundles', () => {
  beforeAll(ensureBuilt)

  it('has a CommonJS preload that requires nothing but electron, as the sandbox demands', () => {
    const preload = read('preload/index.cjs')
    const required = [...preload.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])
    expect(required).toEqual(['electron'])
    expect(preload).not.toMatch(/^\s*(import|export)\s/m)
  })

  it('points the main process at the preload and page it was built with', () => {
    const main = read('main/index.js')
    expect(main).toContain('../preload/index.cjs')
    // The page is served from that folder as app://pip-mirror-wizard/index.html, never file://.
    expect(main).toContain('../renderer/')
    expect(main).toContain('index.html')
    expect(main).not.toContain('loadFile(')
  })

  it('ships a page with its CSP and no inline script', () => {
    const html = read('renderer/index.html')
    expect(html).toContain('http-equiv="Content-Security-Policy"')
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
  })
})
