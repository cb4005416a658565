import { resolveBuildBackends } from '../build-backends/resolve-build-backends'
import { EngineError } from '../errors'
import { readRemoteFile, writeRemoteFileAtomic } from '../ssh/files'
import { formatBytes } from '../format-bytes'
import { upstreamSizes } from '../remote/upstream-sizes'
import { mirrorRequirements } from '../site-file'
import { mirrorLayout, UV, type MirrorLayout } from './mirror-layout'
import { planManagedFile } from './managed-file'
import { unpinnedLines } from './pinned-requirements'
import {
  compileArgv,
  compileOnHost,
  previewClosure,
  readResolvedRequirements,
  requirementsInText,
  resolutionStamp,
} from './resolve-requirements'
import type { Change, Step, StepContext } from './step'

const STAMP = (layout: MirrorLayout): string => `${layout.state}/resolved-stamp`

async function directoryState(
  ctx: StepContext,
  layout: MirrorLayout,
): Promise<'missing' | 'writable' | 'not-writable'> {
  const result = await ctx.host.exec(
    [
      'sh',
      '-c',
      'if [ ! -d "$1" ]; then echo missing; elif [ -w "$1" ]; then echo writable; else echo not-writable; fi',
      'sh',
      layout.dir,
    ],
    {
      quiet: true,
    },
  )
  return result.stdout.trim() as 'missing' | 'writable' | 'not-writable'
}

async function isCurrent(ctx: StepContext, layout: MirrorLayout, inText: string): Promise<boolean> {
  const [stamp, txt] = await Promise.all([
    readRemoteFile(ctx.host, STAMP(layout)),
    readRemoteFile(ctx.host, layout.requirementsTxt),
  ])
  return txt !== null && stamp?.toString('utf8').trim() === resolutionStamp(ctx.site.mirror, inText)
}

function createDirectoryChanges(user: string, uid: number, dir: string): Change[] {
  const changes: Change[] = [
    {
      kind: 'command',
      summary: `Create the mirror directory ${dir}`,
      argv: ['mkdir', '-p', '-m', '0755', dir],
      sudo: true,
    },
  ]
  if (uid !== 0)
    changes.push({
      kind: 'command',
      summary: `Give ${dir} to ${user}, who runs bandersnatch`,
      argv: ['chown', `${user}:`, dir],
      sudo: true,
    })
  return changes
}

/** The closure must fit: checked against the upstream's own file sizes once it is known. */
async function checkDiskForClosure(ctx: StepContext): Promise<void> {
  const { mirror } = ctx.site
  const facts = await ctx.facts(true)
  const pins = (await readResolvedRequirements(ctx.host, mirror)) ?? []
  if (!facts.python || pins.length === 0) return
  const sizes = await upstreamSizes(ctx.host, facts.python.path, {
    upstream: mirror.upstream,
    proxy: mirror.proxy,
    platforms: mirror.platforms,
    requirements: pins.map((p) => `${p.name}==${p.version}`),
  })
  ctx.shared.set('estimatedBytes', sizes.totalBytes)
  const free = facts.disk?.freeBytes ?? 0
  ctx.log(
    `The resolved closure is ${pins.length} releases, ${formatBytes(sizes.totalBytes)} on the upstream; ${formatBytes(free)} free`,
  )
  if (sizes.totalBytes > free)
    throw new EngineError(
      `The mirror needs ${formatBytes(sizes.totalBytes)} and ${mirror.directory} has ${formatBytes(free)} free`,
      {
        host: ctx.host.label,
        hint: 'free space, or choose a mirror directory on a larger filesystem',
      },
    )
}

/** The operator's list becomes a fully pinned requirements file: what bandersnatch never does. */
export const requirementsStep: Step = {
  id: 'requirements',
  title: 'Resolve the dependency closure',
  async check(ctx) {
    const layout = mirrorLayout(ctx.site.mirror)
    const done = await isCurrent(ctx, layout, requirementsInText(mirrorRequirements(ctx.site)))
    return {
      done,
      summary: done ? `${layout.requirementsTxt} is current` : 'the requirements need resolving',
    }
  },
  async plan(ctx) {
    const layout = mirrorLayout(ctx.site.mirror)
    const requirements = mirrorRequirements(ctx.site)
    const inText = requirementsInText(requirements)
    const facts = await ctx.facts()
    const changes: Change[] = []
    const notes: string[] = []
    const state = await directoryState(ctx, layout)
    if (state === 'not-writable')
      throw new EngineError(`${layout.dir} exists and ${facts.user} cannot write to it`, {
        host: ctx.host.label,
        hint: `give it to the user that runs bandersnatch (sudo chown -R ${facts.user}: ${layout.dir}) or choose another directory`,
      })
    if (state === 'missing')
      changes.push(...createDirectoryChanges(facts.user, facts.uid, layout.dir))
    const inChange = await planManagedFile(
      ctx.host,
      { path: layout.requirementsIn, content: inText },
      'Write the list of projects to mirror',
    )
    if (inChange) changes.push(inChange)
    if (!(await isCurrent(ctx, layout, inText))) {
      changes.push({
        kind: 'command',
        summary: 'Resolve every dependency and pin it',
        argv: compileArgv(ctx.site.mirror, layout.requirementsIn, layout.requirementsTxt),
        sudo: false,
      })
      const uvRuns = (await ctx.host.exec([UV, '--version'], { quiet: true })).code === 0
      if (uvRuns) {
        const closure = await previewClosure(ctx.host, ctx.site.mirror, requirements)
        ctx.shared.set('closure', closure)
        notes.push(
          `${closure.length} releases: ${closure.map((p) => `${p.name}==${p.version}${p.direct ? '' : ' (dependency)'}${p.marker ? ` ; ${p.marker}` : ''}`).join(', ')}`,
        )
      }
    }
    return { changes, notes }
  },
  async apply(ctx, plan) {
    const layout = mirrorLayout(ctx.site.mirror)
    for (const change of plan.changes)
      if (change.kind === 'command' && change.sudo) await ctx.host.run(change.argv, { sudo: true })
    await ctx.host.run(['mkdir', '-p', layout.requirementsDir, layout.state])
    const inText = requirementsInText(mirrorRequirements(ctx.site))
    await writeRemoteFileAtomic(ctx.host, layout.requirementsIn, inText)
    if (!(await isCurrent(ctx, layout, inText))) {
      await compileOnHost(ctx.host, ctx.site.mirror, ctx.signal)
      // sdist-only pins: their build backends are pinned and mirrored too (engine/build-backends/).
      await resolveBuildBackends(ctx.host, ctx.site.mirror, ctx.log)
      await checkDiskForClosure(ctx)
      await writeRemoteFileAtomic(
        ctx.host,
        STAMP(layout),
        `${resolutionStamp(ctx.site.mirror, inText)}\n`,
        { backup: false },
      )
    }
  },
  async verify(ctx) {
    const layout = mirrorLayout(ctx.site.mirror)
    const text = (await readRemoteFile(ctx.host, layout.requirementsTxt))?.toString('utf8')
    if (!text)
      throw new EngineError(`${layout.requirementsTxt} is missing`, {
        host: ctx.host.label,
        hint: 'apply again from this step',
      })
    const loose = unpinnedLines(text)
    if (loose.length > 0)
      throw new EngineError(
        `${layout.requirementsTxt} has lines without a pinned version: ${loose.join(', ')}`,
        { host: ctx.host.label },
      )
    const pins = (await readResolvedRequirements(ctx.host, ctx.site.mirror)) ?? []
    ctx.shared.set('pins', pins)
    ctx.log(
      `${pins.length} pinned releases: ${pins.map((p) => `${p.name}==${p.version}`).join(', ')}`,
    )
  },
}
