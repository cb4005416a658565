import { describe, expect, it } from 'vitest'
import { parseSite } from '#shared/site'
import type { RemoteHost } from '../../../src-main/engine/ssh/remote-host'
import type { PlanContext } from '../../../src-main/engine/steps/step'
import { workerMirrorStep } from '../../../src-main/engine/steps/worker-mirror'
import { workerTargets } from '#shared/worker-target'

describe('the worker-mirror step', () => {
  it('refuses a pip_mirror that ends in /simple before asking the host anything', async () => {
    const site = parseSite({
      mirror: {
        ssh: { host: '10.0.0.5', user: 'root' },
        requirements: ['alpha'],
        serve: { listen: '10.0.0.5:8080' },
      },
      workers: [
        {
          ssh: { host: 'worker-1', user: 'root' },
          workerDir: '/srv/ol',
          pipMirror: 'http://10.0.0.5:8080/pypi/simple',
        },
      ],
    })
    const [target] = workerTargets(site)
    const host = { label: 'root@worker-1:22' } as RemoteHost
    const ctx = { host, site } as PlanContext
    await expect(workerMirrorStep(target!).plan(ctx)).rejects.toThrow(
      'ends with "/simple", which pip adds itself',
    )
  })
})
