import { describe, expect, it } from 'vitest'
import {
  registryDir,
  sandboxBaseDir,
  workerStatusUrl,
  type WorkerConfigFile,
} from '../../../src-main/engine/workers/worker-config-file'

function config(settings: Record<string, unknown> | null): WorkerConfigFile {
  return { path: '/srv/ol/config.json', text: '{}', settings, parseError: null }
}

describe("reading a worker's config.json", () => {
  it("finds the registry from OpenLambda's file:// registry setting", () => {
    expect(registryDir(config({ registry: 'file:///data/ol/registry/' }), '/srv/ol')).toBe(
      '/data/ol/registry',
    )
    expect(registryDir(config({ registry: 's3://bucket/registry' }), '/srv/ol')).toBe(
      '/srv/ol/registry',
    )
    expect(registryDir(config(null), '/srv/ol')).toBe('/srv/ol/registry')
  })

  it('asks /status on localhost at worker_port, as ol worker status does', () => {
    expect(workerStatusUrl(config({ worker_port: '5000' }))).toBe('http://localhost:5000/status')
    expect(workerStatusUrl(config({ worker_port: 5001 }))).toBe('http://localhost:5001/status')
    expect(workerStatusUrl(config({}))).toBeNull()
  })

  it('finds the sandbox base image', () => {
    expect(sandboxBaseDir(config({ sock_base_path: '/srv/ol/lambda' }), '/x')).toBe(
      '/srv/ol/lambda',
    )
    expect(sandboxBaseDir(config({}), '/srv/ol')).toBe('/srv/ol/lambda')
  })
})
