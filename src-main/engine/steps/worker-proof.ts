import { EngineError } from '../errors'
import { readRemoteFile } from '../ssh/files'
import { proveSandboxInstall } from '../workers/install-proof'
import type { MirrorAccessLog } from '../workers/mirror-access-log'
import { locateOl } from '../workers/locate-ol'
import { detectOlBuild, type OlBuild } from '../workers/ol-build'
import { openLambdaInstallArgs } from '../workers/openlambda-line'
import pipConfigsScript from '../workers/scripts/pip-configs.sh?raw'
import { addStatusNote } from '../workers/status-notes'
import {
  readWorkerConfig,
  registryDir,
  requirementsPaths,
  sandboxBaseDir,
} from '../workers/worker-config-file'
import type { WorkerTarget } from '../workers/worker-target'
import type { Step, StepContext } from './step'
import { OL_BUILD } from './worker-sandbox'

/** The job's shared-map key for the mirror's access log (given by applyWorkers). */
export const MIRROR_ACCESS_LOG = 'worker.mirrorAccessLog'

/** The first line OpenLambda would install as is: pinned, no marker. */
async function packageToInstall(ctx: StepContext, target: WorkerTarget): Promise<string | null> {
  const config = await readWorkerConfig(ctx.host, target.worker.workerDir)
  const { txtFile } = requirementsPaths(registryDir(config, target.worker.workerDir))
  const text = (await readRemoteFile(ctx.host, txtFile))?.toString('utf8') ?? ''
  return (
    openLambdaInstallArgs(text).find((arg) => /^[a-z0-9][a-z0-9._-]*==[^;\\]+$/.test(arg)) ?? null
  )
}

/**
 * The proof from outside: this build's own installer command for one package, run inside the
 * sandbox root, and the mirror's nginx access log showing that request from this worker. A
 * worker whose sandboxes' pip goes elsewhere fails here, with the pip configurations it has.
 */
export function workerProofStep(target: WorkerTarget): Step {
  const { workerDir } = target.worker
  return {
    id: 'worker-proof',
    title: 'Prove the sandboxes install from the mirror',
    async check() {
      return { done: false, summary: 'the proof runs on every apply' }
    },
    async plan() {
      return {
        changes: [],
        notes: [
          "once the worker runs: this OpenLambda's own installer command for one pinned requirement, inside the sandbox root; the mirror's nginx access log must then show its request from this worker",
        ],
      }
    },
    async apply() {},
    async verify(ctx) {
      const log = ctx.shared.get(MIRROR_ACCESS_LOG) as MirrorAccessLog | undefined
      if (!log) {
        addStatusNote(
          ctx,
          "installs from the mirror: not proven (the mirror host's log was not read)",
        )
        return
      }
      const pkg = await packageToInstall(ctx, target)
      if (!pkg) {
        addStatusNote(
          ctx,
          'installs from the mirror: not proven (no pinned lambda requirement to install)',
        )
        ctx.log(
          'nothing to prove with: requirements.txt has no pinned line OpenLambda would install',
        )
        return
      }
      const config = await readWorkerConfig(ctx.host, workerDir)
      const base = sandboxBaseDir(config, workerDir)
      const build =
        (ctx.shared.get(OL_BUILD) as OlBuild | undefined) ??
        (await detectOlBuild(ctx.host, await locateOl(ctx.host, target.worker.ol)))
      const proof = await proveSandboxInstall(ctx.host, {
        base,
        build,
        pkg,
        pipMirror: target.pipMirror,
        log,
      })
      ctx.log(proof.summary)
      if (proof.proven) {
        addStatusNote(ctx, 'installs from the mirror: proven')
        return
      }
      addStatusNote(ctx, 'installs from the mirror: NOT proven')
      for (const line of proof.pipTail) ctx.log(`  ${line}`)
      const configs = (
        await ctx.host.exec(['sh', '-c', pipConfigsScript, 'sh', base], {
          sudo: true,
          quiet: true,
        })
      ).stdout.trim()
      ctx.finding({
        severity: 'blocker',
        title: `Packages in ${target.label}'s sandboxes do not come from the mirror`,
        evidence: `${proof.summary}${configs ? `; pip configuration in ${base}: ${configs.split('\n').join(' ')}` : ''}`,
        fix: `make every pip configuration in ${base} point at ${target.pipMirror}/simple/ (a later file wins: /root/.config/pip/pip.conf over /etc/pip.conf), then apply the workers again`,
      })
      throw new EngineError(`installs from the mirror are not proven: ${proof.summary}`, {
        host: ctx.host.label,
        hint: configs
          ? `the sandbox root's pip configuration: ${configs.split('\n').join('; ')}`
          : "read pip's output above",
      })
    },
  }
}
