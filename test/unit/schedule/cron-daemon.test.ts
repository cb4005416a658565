import { describe, expect, it } from 'vitest'
import { EngineError } from '../../../src-main/engine/errors'
import { parseCronProbe, planCronDaemon } from '../../../src-main/engine/schedule/cron-daemon'

describe('the cron daemon', () => {
  it('reads the probe', () => {
    expect(parseCronProbe('path=/usr/sbin/cron\nrunning=yes\n')).toEqual({
      path: '/usr/sbin/cron',
      running: true,
    })
    expect(parseCronProbe('path=\nrunning=no\n')).toEqual({ path: null, running: false })
  })

  it('plans nothing when cron runs', () => {
    expect(
      planCronDaemon(
        { packageManager: 'apt-get', init: 'other' },
        { path: '/usr/sbin/cron', running: true },
        'h',
      ),
    ).toEqual({ install: [], start: null })
  })

  it('installs cron without a mail server, then starts the daemon itself without systemd', () => {
    const plan = planCronDaemon(
      { packageManager: 'apt-get', init: 'other' },
      { path: null, running: false },
      'h',
    )
    expect(plan.install.map((change) => change.argv[3])).toEqual(['update', 'install'])
    expect(plan.install.at(-1)?.argv).toEqual([
      'env',
      'DEBIAN_FRONTEND=noninteractive',
      'apt-get',
      'install',
      '-y',
      '--no-install-recommends',
      'cron',
    ])
    expect(plan.install.every((change) => change.sudo)).toBe(true)
    // Installing may have started it (sysvinit): the start leaves a running cron be.
    expect(plan.start?.argv.at(-1)).toBe('/usr/sbin/cron')
  })

  it('starts an installed daemon through systemd where it runs; cronie on RHEL-likes', () => {
    expect(
      planCronDaemon(
        { packageManager: 'dnf', init: 'systemd' },
        { path: '/usr/sbin/crond', running: false },
        'h',
      ).start?.argv,
    ).toEqual(['systemctl', 'enable', '--now', 'crond'])
    expect(
      planCronDaemon(
        { packageManager: 'dnf', init: 'other' },
        { path: null, running: false },
        'h',
      ).install.at(-1)?.argv,
    ).toEqual(['dnf', 'install', '-y', 'cronie'])
  })

  it('says what to do where it cannot install cron', () => {
    expect(() =>
      planCronDaemon({ packageManager: 'apk', init: 'other' }, { path: null, running: false }, 'h'),
    ).toThrow(EngineError)
  })
})
