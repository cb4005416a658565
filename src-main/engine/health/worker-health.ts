import { readPipMirror } from '../config/worker-config'
import { describeError } from '../errors'
import type { Site, WorkerSite } from '#shared/site'
import type { RemoteHost } from '../ssh/remote-host'
import { describeProbe, probeUrl } from '../workers/http-probe'
import { isLoopbackHost, urlHost } from '../workers/loopback'
import { simpleIndexUrl } from '../workers/mirror-reach'
import { readWorkerConfig } from '../workers/worker-config-file'
import { pipMirrorFor, workerLabel } from '#shared/worker-target'
import { combineChecks, failed, healthy, unknown, warning, type HealthCheck } from './health-check'

export interface WorkerHealth {
  label: string
  host: string
  workerDir: string
  /** The pip_mirror this worker should have. */
  pipMirror: string
  /** What its config.json holds; null when absent or unreadable. */
  configuredPipMirror: string | null
  ssh: HealthCheck
  /** `<pip_mirror>/simple/` asked from the worker host. */
  http: HealthCheck
  /** config.json's pip_mirror is the mirror's URL. */
  config: HealthCheck
  /** The arrow from the mirror's URL to this worker: the worst of the three. */
  arrow: HealthCheck
}

const sameUrl = (a: string, b: string): boolean => a.replace(/\/+$/, '') === b.replace(/\/+$/, '')

async function httpFromWorker(host: RemoteHost, pipMirror: string): Promise<HealthCheck> {
  const url = simpleIndexUrl(pipMirror)
  const probe = await probeUrl(host, url)
  const what = `GET ${url} from ${host.label}: ${describeProbe(probe)}`
  if (probe.status !== 200) return failed(what)
  // It answers here, but inside an OpenLambda sandbox a loopback address is the sandbox itself.
  if (isLoopbackHost(urlHost(pipMirror)))
    return warning(`${what}, but ${urlHost(pipMirror)} is loopback: sandboxes cannot reach it`)
  return healthy(what)
}

async function configCheck(
  host: RemoteHost,
  worker: WorkerSite,
  pipMirror: string,
): Promise<{ check: HealthCheck; configured: string | null }> {
  const config = await readWorkerConfig(host, worker.workerDir)
  if (config.text === null)
    return {
      check: failed(`${config.path} does not exist (initialise the worker)`),
      configured: null,
    }
  let configured: string | null
  try {
    configured = readPipMirror(config.text)
  } catch (error) {
    return { check: failed(`${config.path}: ${describeError(error)}`), configured: null }
  }
  if (configured === null)
    return { check: failed(`${config.path} has no pip_mirror (apply the workers)`), configured }
  return sameUrl(configured, pipMirror)
    ? { check: healthy(`${config.path}: pip_mirror is ${pipMirror}`), configured }
    : {
        check: failed(
          `${config.path}: pip_mirror is ${configured}, not ${pipMirror} (apply the workers)`,
        ),
        configured,
      }
}

/** Reads one worker's side of the picture over an open connection. */
export async function readWorkerHealth(
  host: RemoteHost,
  site: Site,
  worker: WorkerSite,
): Promise<WorkerHealth> {
  const pipMirror = pipMirrorFor(site.mirror, worker)
  const [http, config] = await Promise.all([
    httpFromWorker(host, pipMirror).catch((error: unknown) =>
      failed(`GET ${simpleIndexUrl(pipMirror)} from ${host.label} failed: ${describeError(error)}`),
    ),
    configCheck(host, worker, pipMirror).catch((error: unknown) => ({
      check: failed(`Reading ${worker.workerDir}/config.json failed: ${describeError(error)}`),
      configured: null,
    })),
  ])
  const ssh = healthy(`${host.label} answers over SSH`)
  return {
    label: workerLabel(worker),
    host: host.label,
    workerDir: worker.workerDir,
    pipMirror,
    configuredPipMirror: config.configured,
    ssh,
    http,
    config: config.check,
    arrow: combineChecks([ssh, http, config.check]),
  }
}

export function unreachableWorker(site: Site, worker: WorkerSite, error: unknown): WorkerHealth {
  const { user, host, port } = worker.ssh
  const label = `${user}@${host}:${port}`
  const ssh = failed(`${label} cannot be reached over SSH: ${describeError(error)}`)
  return {
    label: workerLabel(worker),
    host: label,
    workerDir: worker.workerDir,
    pipMirror: pipMirrorFor(site.mirror, worker),
    configuredPipMirror: null,
    ssh,
    http: unknown('not checked: the worker host cannot be reached'),
    config: unknown('not checked: the worker host cannot be reached'),
    arrow: ssh,
  }
}
