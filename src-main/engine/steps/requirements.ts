import { buildBackendsChange } from '../build-backends/backends-routine'
import { resolveBuildBackends } from '../build-backends/resolve-build-backends'
import { EngineError } from '../errors'
import { formatBytes } from '#shared/format-bytes'
import { command, type Change } from '../plan/change'
import { fileRead } from '../plan/state-request'
import { upstreamSizes } from '../remote/upstream-sizes'
import { readRemoteFile } from '../ssh/files'
import { mirrorRequirements } from '../site-file'
import { planFile } from './managed-file'
import { UV_VERSION } from './bandersnatch-release'
import { requirementsAreCurrent, resolvedStampPath, wantedResolutionStamp } from './mirror-current'
import { mirrorLayout } from './mirror-layout'
import { parsePinnedRequirements, unpinnedLines } from './pinned-requirements'
import { dirStateRead, dirStates, toolsVersions, toolsVersionsRead } from './probes'
import { compileArgv, compileClosure, requirementsInText } from './resolve-requirements'
import { buildSystemsPath } from '../verify/build-systems-file'
import type { PinnedRequirement } from './pinned-requirements'
import type { Step, VerifyContext } from './step'

export interface RequirementsOutputs {
  /** This run resolves the closure again (so the mirror needs a sync). */
  resolves: boolean
}

/** The closure must fit: checked against the upstream's own file sizes once it is known. */
async function checkDiskForClosure(ctx: VerifyContext, pins: PinnedRequirement[]): Promise<void> {
  const { mirror } = ctx.site
  const facts = await ctx.facts(true)
  if (!facts.python || pins.length === 0) return
  const sizes = await upstreamSizes(ctx.host, facts.python.path, {
    upstream: mirror.upstream,
    proxy: mirror.proxy,
    platforms: mirror.platforms,
    requirements: pins.map((p) => `${p.name}==${p.version}`),
  })
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
export const requirementsStep: Step<RequirementsOutputs, PinnedRequirement[]> = {
  id: 'requirements',
  title: 'Resolve the dependency closure',
  reads(site) {
    const layout = mirrorLayout(site.mirror)
    return [
      dirStateRead(layout.dir, layout.requirementsDir, layout.state),
      fileRead(layout.requirementsIn),
      fileRead(layout.requirementsTxt),
      fileRead(buildSystemsPath(layout)),
      fileRead(resolvedStampPath(site)),
      toolsVersionsRead(),
    ]
  },
  async plan(ctx) {
    const layout = mirrorLayout(ctx.site.mirror)
    const requirements = mirrorRequirements(ctx.site)
    const { facts, state } = ctx
    const host = ctx.host.label
    const changes: Change[] = []
    const notes: string[] = []
    const [dir, requirementsDir, stateDir] = dirStates(
      state,
      layout.dir,
      layout.requirementsDir,
      layout.state,
    )
    if (dir === 'not-writable')
      throw new EngineError(`${layout.dir} exists and ${facts.user} cannot write to it`, {
        host,
        hint: `give it to the user that runs bandersnatch (sudo chown -R ${facts.user}: ${layout.dir}) or choose another directory`,
      })
    if (dir === 'missing') {
      changes.push(
        command(`Create the mirror directory ${layout.dir}`, [
          'mkdir',
          '-p',
          '-m',
          '0755',
          layout.dir,
        ]),
      )
      if (facts.uid !== 0)
        changes.push(
          command(`Give ${layout.dir} to ${facts.user}, who runs bandersnatch`, [
            'chown',
            `${facts.user}:`,
            layout.dir,
          ]),
        )
    }
    const missing = [
      requirementsDir === 'missing' ? layout.requirementsDir : null,
      stateDir === 'missing' ? layout.state : null,
    ].filter((path): path is string => path !== null)
    if (missing.length > 0)
      changes.push(
        command(`Create ${missing.join(' and ')}`, ['mkdir', '-p', ...missing], { sudo: false }),
      )
    const inText = requirementsInText(requirements)
    const inChange = planFile(
      state,
      host,
      { path: layout.requirementsIn, content: inText },
      'Write the list of projects to mirror',
    )
    if (inChange) changes.push(inChange)
    const resolves = !requirementsAreCurrent(state, ctx.site, host)
    if (resolves) {
      if (toolsVersions(state).get('uv') === UV_VERSION) {
        // The resolver is there: the plan holds requirements.txt as it will be, backends included.
        const closure = await compileClosure(
          ctx.host,
          ctx.site.mirror,
          requirements,
          layout.requirementsIn,
        )
        notes.push(
          `${closure.pins.length} releases: ${closure.pins.map((p) => `${p.name}==${p.version}${p.direct ? '' : ' (dependency)'}${p.marker ? ` ; ${p.marker}` : ''}`).join(', ')}`,
        )
        const backends = await resolveBuildBackends(
          ctx.host,
          ctx.site.mirror,
          closure.text,
          (line) => notes.push(line),
        )
        const files = [
          planFile(
            state,
            host,
            { path: layout.requirementsTxt, content: backends.requirementsTxt, backup: false },
            'Pin every dependency (the resolution above) and the build backends of sdist-only pins',
          ),
          planFile(
            state,
            host,
            { path: buildSystemsPath(layout), content: backends.buildSystemsJson, backup: false },
            'Record the build-system of each sdist some target builds (for the proof)',
          ),
        ]
        for (const file of files) if (file) changes.push(file)
      } else {
        changes.push(
          command(
            'Resolve every dependency and pin it',
            compileArgv(ctx.site.mirror, layout.requirementsIn, layout.requirementsTxt),
            { sudo: false },
          ),
          buildBackendsChange(ctx.site.mirror),
        )
        notes.push('the closure is shown once uv is installed (the tools step)')
      }
      const stamp = planFile(
        state,
        host,
        {
          path: resolvedStampPath(ctx.site),
          content: wantedResolutionStamp(ctx.site),
          backup: false,
        },
        'Record what the resolution was made from',
      )
      if (stamp) changes.push(stamp)
    } else notes.push(`${layout.requirementsTxt} is current`)
    return { changes, notes, outputs: { resolves } }
  },
  async verify(ctx) {
    const layout = mirrorLayout(ctx.site.mirror)
    const text = (await readRemoteFile(ctx.host, layout.requirementsTxt))?.toString('utf8')
    if (text === undefined)
      throw new EngineError(`${layout.requirementsTxt} is missing`, {
        host: ctx.host.label,
        hint: 'apply again from this step',
      })
    const pins = parsePinnedRequirements(text)
    const loose = unpinnedLines(text)
    if (loose.length > 0)
      throw new EngineError(
        `${layout.requirementsTxt} has lines without a pinned version: ${loose.join(', ')}`,
        { host: ctx.host.label },
      )
    if (ctx.output(requirementsStep)?.resolves) await checkDiskForClosure(ctx, pins)
    ctx.log(
      `${pins.length} pinned releases: ${pins.map((p) => `${p.name}==${p.version}`).join(', ')}`,
    )
    return pins
  },
}
