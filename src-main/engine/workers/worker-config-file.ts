import { posix } from 'node:path'
import { isSafeAbsolutePath } from '#shared/site'
import { readRemoteFile } from '../ssh/files'
import type { RemoteHost } from '../ssh/remote-host'

/** A worker's config.json as found on its host. */
export interface WorkerConfigFile {
  path: string
  /** null when the file does not exist. */
  text: string | null
  /** The parsed object; null when missing or not a JSON object. */
  settings: Record<string, unknown> | null
  /** Why it did not parse, when it exists but is not a JSON object. */
  parseError: string | null
}

export function configJsonPath(workerDir: string): string {
  return posix.join(workerDir, 'config.json')
}

export async function readWorkerConfig(
  host: RemoteHost,
  workerDir: string,
): Promise<WorkerConfigFile> {
  const path = configJsonPath(workerDir)
  const raw = await readRemoteFile(host, path)
  return parseWorkerConfig(path, raw === null ? null : raw.toString('utf8'))
}

/** config.json's text as OpenLambda would read it; null text: the file does not exist. */
export function parseWorkerConfig(path: string, text: string | null): WorkerConfigFile {
  if (text === null) return { path, text: null, settings: null, parseError: null }
  try {
    const value: unknown = JSON.parse(text)
    if (value && typeof value === 'object' && !Array.isArray(value))
      return { path, text, settings: value as Record<string, unknown>, parseError: null }
    return { path, text, settings: null, parseError: 'it holds no JSON object' }
  } catch (error) {
    return { path, text, settings: null, parseError: (error as Error).message }
  }
}

function stringSetting(config: WorkerConfigFile, key: string): string | null {
  const value = config.settings?.[key]
  return typeof value === 'string' ? value : null
}

/** Where the worker's lambdas and their requirements live: config.json's file:// registry. */
export function registryDir(config: WorkerConfigFile, workerDir: string): string {
  const registry = stringSetting(config, 'registry')
  const path = registry?.startsWith('file://') ? registry.slice('file://'.length) : null
  return path && isSafeAbsolutePath(path)
    ? path.replace(/\/+$/, '')
    : posix.join(workerDir, 'registry')
}

/** Where the worker answers HTTP (OpenLambda's own `ol worker status` asks localhost). */
export function workerStatusUrl(config: WorkerConfigFile): string | null {
  const port = stringSetting(config, 'worker_port') ?? String(config.settings?.worker_port ?? '')
  if (!/^\d{1,5}$/.test(port)) return null
  return `http://localhost:${port}/status`
}

/** The unpacked base image the sandboxes run (`sock_base_path`). */
export function sandboxBaseDir(config: WorkerConfigFile, workerDir: string): string {
  const base = stringSetting(config, 'sock_base_path')
  return base && isSafeAbsolutePath(base) ? base : posix.join(workerDir, 'lambda')
}

/** OpenLambda writes worker.out into the worker directory when `ol worker up -d` detaches. */
export function workerLogPath(workerDir: string): string {
  return posix.join(workerDir, 'worker.out')
}

export function requirementsPaths(registry: string): { inFile: string; txtFile: string } {
  return {
    inFile: posix.join(registry, 'requirements.in'),
    txtFile: posix.join(registry, 'requirements.txt'),
  }
}
