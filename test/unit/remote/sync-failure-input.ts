import { parseSite } from '#shared/site'

/** A failed sync's inputs to explainSyncFailure, for a bare host behind the proxy 10.213.0.1:3128. */
export const syncFailureInput = {
  mirror: parseSite({
    mirror: {
      ssh: { host: '10.213.0.11', user: 'root' },
      directory: '/srv/pypi',
      upstream: 'http://127.0.0.1:40453',
      allowNonHttps: true,
      proxy: 'http://10.213.0.1:3128',
      requirements: ['flask'],
      serve: { listen: '10.213.0.11:80' },
    },
  }).mirror,
  exitCode: 1 as number | null,
  todo: false,
  logPath: '/srv/pypi/.pip-mirror/sync.log',
  disk: { freeBytes: 500e6, mount: '/' },
}
