import { EngineError } from '../errors'
import { command, type Change, type FileChange } from '../plan/change'
import { fileRead, probeRead, type StateRequest } from '../plan/state-request'
import { commandLine, scriptCommand } from '../remote/quote'
import { readRemoteFile } from '../ssh/files'
import { planFile } from '../steps/managed-file'
import { mirrorLayout } from '../steps/mirror-layout'
import type { PlanContext, Step, VerifyContext } from '../steps/step'
import type { Site } from '#shared/site'
import { parseCronFile } from './cron-file'
import { cronProbe, parseCronProbe, planCronDaemon, probeCronDaemon } from './cron-daemon'
import { scheduleMechanism } from './mechanism'
import { requireMirrorConfig } from './require-mirror'
import { describeSchedule, sameSchedule, type Schedule } from '#shared/schedule'
import { scheduleFiles } from './schedule-files'
import { schedulePaths } from './schedule-paths'
import { scheduledSyncArgv } from './scheduled-command'
import makeCronReload from './scripts/make-cron-reload.sh?raw'
import {
  planTimerActivation,
  plannedTimerState,
  timerState,
  timerStateRead,
} from './timer-activation'

function fileChanges(ctx: PlanContext, schedule: Schedule): FileChange[] {
  const layout = mirrorLayout(ctx.site.mirror)
  const files = scheduleFiles(layout, schedule, scheduleMechanism(ctx.facts), ctx.facts.user)
  return files.flatMap((file) => {
    const change = planFile(
      ctx.state,
      ctx.host.label,
      { path: file.path, content: file.content, asRoot: file.system, backup: file.backup },
      file.summary,
    )
    return change ? [change] : []
  })
}

function cronChanges(ctx: PlanContext, files: FileChange[]): Change[] {
  const daemon = planCronDaemon(
    ctx.facts,
    parseCronProbe(ctx.state.probe(probeRead(cronProbe)).output),
    ctx.host.label,
  )
  const changes: Change[] = [...daemon.install, ...files]
  if (daemon.start) changes.push(daemon.start)
  else if (files.some((file) => file.sudo)) {
    const { cronFile } = schedulePaths(mirrorLayout(ctx.site.mirror))
    changes.push(
      command(
        'Make the running cron notice the changed entry (a second later, touch it and its directory)',
        scriptCommand(makeCronReload, [cronFile]),
      ),
    )
  }
  return changes
}

function scheduleReads(site: Site): StateRequest[] {
  const layout = mirrorLayout(site.mirror)
  const paths = schedulePaths(layout)
  return [
    fileRead(layout.conf),
    fileRead(paths.wrapperFile),
    fileRead(paths.cronFile),
    fileRead(paths.timerFile),
    fileRead(paths.serviceFile),
    probeRead(cronProbe),
    timerStateRead(paths.timerUnit),
  ]
}

async function verifyCron(ctx: VerifyContext, schedule: Schedule): Promise<void> {
  const paths = schedulePaths(mirrorLayout(ctx.site.mirror))
  const facts = await ctx.facts()
  if (!(await probeCronDaemon(ctx.host)).running)
    throw new EngineError('The cron daemon is not running, so the schedule would never fire', {
      host: ctx.host.label,
      hint: 'start it (`cron` as root) and schedule again',
    })
  const text = (await readRemoteFile(ctx.host, paths.cronFile))?.toString('utf8') ?? ''
  const entry = parseCronFile(text)
  if (!entry?.schedule || !sameSchedule(entry.schedule, schedule) || entry.user !== facts.user)
    throw new EngineError(`${paths.cronFile} does not hold the schedule that was written`, {
      host: ctx.host.label,
      hint: 'another tool may manage this file; schedule again',
    })
}

async function verifySystemd(ctx: VerifyContext): Promise<void> {
  const paths = schedulePaths(mirrorLayout(ctx.site.mirror))
  const state = await timerState(ctx.host, paths.timerUnit)
  if (!state.enabled || !state.active)
    throw new EngineError(
      `The timer ${paths.timerUnit} is ${state.enabled ? 'enabled' : 'not enabled'} and ${state.active ? 'active' : 'not active'}`,
      { host: ctx.host.label, hint: `read \`systemctl status ${paths.timerUnit}\` on the host` },
    )
}

/** Installs or changes the mirror's sync schedule: a systemd timer, or a cron entry. */
export function setScheduleStep(schedule: Schedule): Step {
  return {
    id: 'schedule',
    title: 'Schedule syncs on the mirror host',
    reads: scheduleReads,
    async plan(ctx) {
      const layout = mirrorLayout(ctx.site.mirror)
      requireMirrorConfig(ctx.state, layout, ctx.host.label)
      const mechanism = scheduleMechanism(ctx.facts)
      const paths = schedulePaths(layout)
      const files = fileChanges(ctx, schedule)
      const changes =
        mechanism === 'cron'
          ? cronChanges(ctx, files)
          : [
              ...files,
              ...planTimerActivation(
                paths.timerUnit,
                plannedTimerState(ctx.state, paths.timerUnit),
                files.some((file) => file.sudo),
              ),
            ]
      return {
        changes,
        notes: [
          `${describeSchedule(schedule)} (host time), as ${ctx.facts.user}, by ${mechanism === 'cron' ? `cron (${paths.cronFile})` : `the systemd timer ${paths.timerUnit}`}`,
          `runs: ${commandLine(scheduledSyncArgv(layout, mechanism))}`,
          'a scheduled sync is the same as "sync now": the app shows and reattaches to it, and it never starts while another sync runs',
        ],
      }
    },
    async verify(ctx) {
      const layout = mirrorLayout(ctx.site.mirror)
      const wrapper = schedulePaths(layout).wrapperFile
      const syntax = await ctx.host.read(['sh', '-n', wrapper], { quiet: true })
      if (syntax.code !== 0)
        throw new EngineError(`${wrapper} is not a valid shell script: ${syntax.stderr.trim()}`, {
          host: ctx.host.label,
        })
      if (scheduleMechanism(await ctx.facts()) === 'cron') await verifyCron(ctx, schedule)
      else await verifySystemd(ctx)
      ctx.log(`The mirror syncs ${describeSchedule(schedule)} (host time)`)
    },
  }
}
