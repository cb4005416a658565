import { mirrorUrl, type MirrorSite, type Site, type WorkerSite } from './site'

/** One worker as the steps see it: its site entry and the pip_mirror it should use. */
export interface WorkerTarget {
  worker: WorkerSite
  /** For status lines and summaries: the worker's name, or `user@host:port:workerDir`. */
  label: string
  /** The value config.json's `pip_mirror` gets: no `/simple`, no trailing slash. */
  pipMirror: string
  /** The Pythons the mirror was resolved for (site `mirror.pythonVersions`). */
  mirrorPythonVersions: readonly string[]
}

export function workerLabel(worker: WorkerSite): string {
  const { user, host, port } = worker.ssh
  return worker.name ?? `${user}@${host}:${port}:${worker.workerDir}`
}

/**
 * The address a worker reaches the mirror at: its own `pipMirror` when given, else the mirror's
 * listen address (or, when nginx listens on every address, the address the mirror is reached
 * over SSH).
 */
export function pipMirrorFor(mirror: MirrorSite, worker: WorkerSite): string {
  if (worker.pipMirror) return worker.pipMirror.replace(/\/+$/, '')
  const [address = '', port = ''] = mirror.serve.listen.split(':')
  if (address === '0.0.0.0')
    return `http://${mirror.ssh.host}:${port}${mirror.serve.location.replace(/\/$/, '')}`
  return mirrorUrl(mirror)
}

export function workerTargets(site: Site): WorkerTarget[] {
  return site.workers.map((worker) => ({
    worker,
    label: workerLabel(worker),
    pipMirror: pipMirrorFor(site.mirror, worker),
    mirrorPythonVersions: site.mirror.pythonVersions,
  }))
}
