import { EngineError } from '../errors'
import { commandLine } from '../remote/quote'
import { readRemoteFile, writeRemoteFileAtomic } from '../ssh/files'
import { planManagedFile } from '../steps/managed-file'
import { mirrorLayout } from '../steps/mirror-layout'
import type { Change, Step, StepContext } from '../steps/step'
import { parseCronFile } from './cron-file'
import { APT_UPDATE, planCronDaemon, probeCronDaemon, startCronArgv } from './cron-daemon'
import { scheduleMechanism } from './mechanism'
import { requireMirrorConfig } from './require-mirror'
import { describeSchedule, sameSchedule, type Schedule } from './schedule'
import { scheduleFiles, type ScheduleFile } from './schedule-files'
import { schedulePaths } from './schedule-paths'
import { scheduledSyncArgv } from './scheduled-command'
import { planTimerActivation, timerState } from './timer-activation'

async function fileChanges(ctx: StepContext, files: readonly ScheduleFile[]): Promise<Change[]> {
  const changes: Change[] = []
  for (const file of files) {
    const change = await planManagedFile(ctx.host, file, file.summary)
    if (change) changes.push(change)
  }
  return changes
}

async function writeFiles(ctx: StepContext, files: readonly ScheduleFile[]): Promise<boolean> {
  let unitsChanged = false
  for (const file of files) {
    const result = await writeRemoteFileAtomic(ctx.host, file.path, file.content, {
      mode: 0o644,
      backup: file.backup,
    })
    if (result.changed && file.system) unitsChanged = true
  }
  return unitsChanged
}

async function applyCron(ctx: StepContext, files: readonly ScheduleFile[]): Promise<void> {
  const facts = await ctx.facts()
  let daemon = await probeCronDaemon(ctx.host)
  const { install } = planCronDaemon(facts, daemon, ctx.host.label)
  if (install) {
    if (facts.packageManager === 'apt-get') await ctx.host.run(APT_UPDATE, { sudo: true })
    ctx.log(install.summary)
    await ctx.host.run(install.argv, { sudo: true, signal: ctx.signal })
    daemon = await probeCronDaemon(ctx.host)
  }
  if (!daemon.path)
    throw new EngineError('cron was installed but its daemon cannot be found', {
      host: ctx.host.label,
      hint: 'install cron (Debian, Ubuntu) or cronie (RHEL, Fedora) by hand and schedule again',
    })
  const changed = await writeFiles(ctx, files)
  // A host without systemd may still start services on install (sysvinit): ask again.
  if (!(await probeCronDaemon(ctx.host)).running)
    await ctx.host.run(startCronArgv(facts, daemon.path).argv, { sudo: true })
  else if (changed) {
    const { cronFile } = schedulePaths(mirrorLayout(ctx.site.mirror))
    await ctx.host.script(MAKE_CRON_RELOAD, [cronFile], { sudo: true })
  }
}

/**
 * cron rereads /etc/cron.d when a modification time differs, to the second, from the one it last
 * read: a file rewritten in the same second as that read (cron just started, or the schedule
 * changed twice) would never be seen. A second later, touching the file and its directory gives
 * them a time cron cannot have read.
 */
const MAKE_CRON_RELOAD = `sleep 1; touch -c -- "$1" "$(dirname -- "$1")"`

async function applySystemd(ctx: StepContext, files: readonly ScheduleFile[]): Promise<void> {
  const paths = schedulePaths(mirrorLayout(ctx.site.mirror))
  const unitsChanged = await writeFiles(ctx, files)
  const state = await timerState(ctx.host, paths.timerUnit)
  for (const change of planTimerActivation(paths.timerUnit, state, unitsChanged))
    if (change.kind === 'command') await ctx.host.run(change.argv, { sudo: true })
}

async function verifyCron(ctx: StepContext, schedule: Schedule): Promise<void> {
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

async function verifySystemd(ctx: StepContext): Promise<void> {
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
  const wanted = async (ctx: StepContext) => {
    const layout = mirrorLayout(ctx.site.mirror)
    const facts = await ctx.facts()
    const mechanism = scheduleMechanism(facts)
    return {
      layout,
      facts,
      mechanism,
      files: scheduleFiles(layout, schedule, mechanism, facts.user),
    }
  }
  return {
    id: 'schedule',
    title: 'Schedule syncs on the mirror host',
    async check(ctx) {
      const plan = await this.plan(ctx)
      return {
        done: plan.changes.length === 0,
        summary:
          plan.changes.length === 0 ? `syncs ${describeSchedule(schedule)}` : 'not scheduled so',
      }
    },
    async plan(ctx) {
      const { layout, facts, mechanism, files } = await wanted(ctx)
      await requireMirrorConfig(ctx, layout)
      const paths = schedulePaths(layout)
      const changes: Change[] = []
      if (mechanism === 'cron') {
        const daemon = planCronDaemon(facts, await probeCronDaemon(ctx.host), ctx.host.label)
        if (daemon.install) changes.push(daemon.install)
        changes.push(...(await fileChanges(ctx, files)))
        if (daemon.start) changes.push(daemon.start)
      } else {
        const fileDiffs = await fileChanges(ctx, files)
        const unitsChanged = fileDiffs.some((c) => c.kind === 'file' && c.path.startsWith('/etc/'))
        changes.push(
          ...fileDiffs,
          ...planTimerActivation(
            paths.timerUnit,
            await timerState(ctx.host, paths.timerUnit),
            unitsChanged,
          ),
        )
      }
      return {
        changes,
        notes: [
          `${describeSchedule(schedule)} (host time), as ${facts.user}, by ${mechanism === 'cron' ? `cron (${paths.cronFile})` : `the systemd timer ${paths.timerUnit}`}`,
          `runs: ${commandLine(scheduledSyncArgv(layout, mechanism))}`,
          'a scheduled sync is the same as "sync now": the app shows and reattaches to it, and it never starts while another sync runs',
        ],
      }
    },
    async apply(ctx) {
      const { layout, mechanism, files } = await wanted(ctx)
      await ctx.host.run(['mkdir', '-p', layout.state])
      if (mechanism === 'cron') await applyCron(ctx, files)
      else await applySystemd(ctx, files)
    },
    async verify(ctx) {
      const { layout, mechanism } = await wanted(ctx)
      const wrapper = schedulePaths(layout).wrapperFile
      const syntax = await ctx.host.exec(['sh', '-n', wrapper], { quiet: true })
      if (syntax.code !== 0)
        throw new EngineError(`${wrapper} is not a valid shell script: ${syntax.stderr.trim()}`, {
          host: ctx.host.label,
        })
      if (mechanism === 'cron') await verifyCron(ctx, schedule)
      else await verifySystemd(ctx)
      ctx.log(`The mirror syncs ${describeSchedule(schedule)} (host time)`)
    },
  }
}
