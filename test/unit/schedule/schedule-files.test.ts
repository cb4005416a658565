import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseSite } from '#shared/site'
import { mirrorLayout } from '../../../src-main/engine/steps/mirror-layout'
import { parseEvery, parseDaily, scheduleId } from '../../../src-main/engine/schedule'
import { parseCronFile, renderCronFile } from '../../../src-main/engine/schedule/cron-file'
import { scheduleFiles } from '../../../src-main/engine/schedule/schedule-files'
import { schedulePaths } from '../../../src-main/engine/schedule/schedule-paths'
import {
  scheduledSyncArgv,
  wrapperFileText,
} from '../../../src-main/engine/schedule/scheduled-command'
import {
  renderServiceUnit,
  renderTimerUnit,
  scheduleFromTimerUnit,
  serviceUnitUser,
} from '../../../src-main/engine/schedule/systemd-units'
import { SYNC_WRAPPER } from '../../../src-main/engine/sync/sync-wrapper'

const layout = (directory: string) =>
  mirrorLayout(
    parseSite({
      mirror: {
        ssh: { host: '10.0.0.5', user: 'ops' },
        directory,
        requirements: ['alpha'],
        serve: { listen: '10.0.0.5:8080' },
      },
    }).mirror,
  )

describe('schedule names and paths', () => {
  it('names a schedule after its directory, in the characters cron.d accepts', () => {
    const id = scheduleId(layout('/srv/pypi'))
    expect(id).toMatch(/^srv-pypi-[0-9a-f]{8}$/)
    expect(schedulePaths(layout('/srv/pypi'))).toMatchObject({
      cronFile: `/etc/cron.d/pip-mirror-${id}`,
      timerFile: `/etc/systemd/system/pip-mirror-${id}.timer`,
      serviceFile: `/etc/systemd/system/pip-mirror-${id}.service`,
      timerUnit: `pip-mirror-${id}.timer`,
      wrapperFile: '/srv/pypi/.pip-mirror/sync-wrapper.sh',
    })
    for (const dir of ['/srv/py.pi', '/data/a_b+c@d', `/x/${'long-'.repeat(30)}end`])
      expect(`pip-mirror-${scheduleId(layout(dir))}`, dir).toMatch(/^[A-Za-z0-9_-]{1,70}$/)
  })

  it('gives two directories with the same slug different names', () => {
    expect(scheduleId(layout('/srv/py.pi'))).not.toBe(scheduleId(layout('/srv/py-pi')))
    expect(scheduleId(layout('/srv/pypi/'))).toBe(scheduleId(layout('/srv/pypi')))
  })
})

describe('the scheduled command', () => {
  it("runs the app's own wrapper, as a process group leader under cron only", () => {
    const l = layout('/srv/pypi')
    const cron = scheduledSyncArgv(l, 'cron')
    const systemd = scheduledSyncArgv(l, 'systemd-timer')
    expect(cron.slice(0, 3)).toEqual(['setsid', '/bin/sh', '/srv/pypi/.pip-mirror/sync-wrapper.sh'])
    expect(systemd[0]).toBe('/bin/sh')
    expect(cron.slice(1)).toEqual(systemd)
    expect(cron).toContain('/srv/pypi/bandersnatch.conf')
    expect(cron.at(-1)).toBe('schedule')
    expect(wrapperFileText()).toContain(SYNC_WRAPPER.trim())
  })
})

describe('the cron.d file', () => {
  const l = layout('/srv/pypi')
  const argv = scheduledSyncArgv(l, 'cron')

  it('has the user field and sends output nowhere', () => {
    const text = renderCronFile({ schedule: parseEvery('6h'), user: 'ops', argv, directory: l.dir })
    const job = text.split('\n').find((line) => /^\d/.test(line)) as string
    expect(job).toMatch(
      /^0 \*\/6 \* \* \* ops setsid \/bin\/sh \/srv\/pypi\/\.pip-mirror\/sync-wrapper\.sh /,
    )
    expect(job).toMatch(/ schedule >\/dev\/null 2>&1$/)
    expect(text).toContain('SHELL=/bin/sh\n')
    expect(text).toMatch(/^PATH=.*\/usr\/sbin.*$/m)
    expect(text.endsWith('\n')).toBe(true)
    // cron turns % into a newline: never one in a job line
    expect(job).not.toContain('%')
  })

  it('reads back the schedule and the user', () => {
    const text = renderCronFile({
      schedule: parseDaily('03:15'),
      user: 'pmw',
      argv,
      directory: l.dir,
    })
    expect(parseCronFile(text)).toMatchObject({
      schedule: parseDaily('03:15'),
      user: 'pmw',
      expression: '15 3 * * *',
    })
    expect(parseCronFile('# nothing\nSHELL=/bin/sh\n')).toBeNull()
    expect(parseCronFile('0 3 * * 1 root true\n')).toMatchObject({ schedule: null, user: 'root' })
  })

  it('refuses an argument that would need quoting or has a %', () => {
    for (const bad of ['/srv/my pypi', '/srv/100%', "/srv/it's", '$(reboot)'])
      expect(() =>
        renderCronFile({
          schedule: parseEvery('1h'),
          user: 'ops',
          argv: ['sh', bad],
          directory: '/x',
        }),
      ).toThrow(/unquoted/)
  })
})

describe('the systemd units', () => {
  const l = layout('/srv/pypi')
  const paths = schedulePaths(l)

  it("runs the wrapper once as the mirror's owner, from a persistent timer", () => {
    const service = renderServiceUnit({
      directory: l.dir,
      user: 'ops',
      argv: scheduledSyncArgv(l, 'systemd-timer'),
    })
    expect(service).toMatch(/^Type=oneshot$/m)
    expect(service).toMatch(/^User=ops$/m)
    expect(service).toMatch(/^ExecStart=\/bin\/sh \/srv\/pypi\/\.pip-mirror\/sync-wrapper\.sh /m)
    expect(service).not.toMatch(/setsid/)
    expect(serviceUnitUser(service)).toBe('ops')
    const timer = renderTimerUnit({
      schedule: parseEvery('6h'),
      directory: l.dir,
      serviceUnit: paths.serviceUnit,
    })
    expect(timer).toMatch(/^OnCalendar=\*-\*-\* 00\/06:00:00$/m)
    expect(timer).toMatch(/^Persistent=true$/m)
    expect(timer).toMatch(new RegExp(`^Unit=${paths.serviceUnit.replace(/\./g, '\\.')}$`, 'm'))
    expect(timer).toMatch(/^WantedBy=timers\.target$/m)
    expect(scheduleFromTimerUnit(timer)).toEqual(parseEvery('6h'))
  })

  it.runIf(existsSync('/usr/bin/systemd-analyze'))('passes systemd-analyze verify', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmw-units-'))
    try {
      const files = scheduleFiles(l, parseDaily('03:00'), 'systemd-timer', 'root')
      for (const file of files.filter((f) => f.system)) {
        // The wrapper is not on this machine: point ExecStart at something that is.
        const content = file.content.replace(/^ExecStart=.*$/m, 'ExecStart=/bin/true')
        writeFileSync(join(dir, file.path.split('/').pop() as string), content)
      }
      const out = execFileSync(
        'sh',
        [
          '-c',
          'cd "$1" && systemd-analyze verify --man=no ./*.service ./*.timer 2>&1; echo "exit=$?"',
          'sh',
          dir,
        ],
        { encoding: 'utf8' },
      )
      expect(out.trim().split('\n').pop(), out).toBe('exit=0')
      expect(out).not.toMatch(/ignoring|failed|bad/i)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('the files a schedule consists of', () => {
  const l = layout('/srv/pypi')

  it('with cron: the wrapper and the entry, no backup in /etc/cron.d', () => {
    const files = scheduleFiles(l, parseEvery('6h'), 'cron', 'ops')
    expect(files.map((f) => f.path)).toEqual([
      '/srv/pypi/.pip-mirror/sync-wrapper.sh',
      schedulePaths(l).cronFile,
    ])
    expect(files[1]).toMatchObject({ system: true, backup: false })
    expect(files[0]).toMatchObject({ system: false })
  })

  it('with systemd: the wrapper, the service and the timer', () => {
    const files = scheduleFiles(l, parseEvery('6h'), 'systemd-timer', 'ops')
    expect(files.map((f) => f.path)).toEqual([
      '/srv/pypi/.pip-mirror/sync-wrapper.sh',
      schedulePaths(l).serviceFile,
      schedulePaths(l).timerFile,
    ])
  })
})
