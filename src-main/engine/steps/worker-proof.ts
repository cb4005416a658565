import { FailedProof } from '../plan/failed-proof'
import { scriptCommand } from '../remote/quote'
import { readRemoteFile } from '../ssh/files'
import { proveSandboxInstall, type InstallProof } from '../workers/install-proof'
import type { MirrorAccessLog } from '../workers/mirror-access-log'
import { locateOl } from '../workers/locate-ol'
import { detectOlBuild } from '../workers/ol-build'
import { openLambdaInstallArgs } from '../workers/openlambda-line'
import pipConfigsScript from '../workers/scripts/pip-configs.sh?raw'
import {
  readWorkerConfig,
  registryDir,
  requirementsPaths,
  sandboxBaseDir,
} from '../workers/worker-config-file'
import type { WorkerTarget } from '#shared/worker-target'
import type { Step, VerifyContext } from './step'
import { workerSandboxStep } from './worker-sandbox'

/** What the proof established; `note` is what the worker's status line says. */
export interface WorkerProof {
  status: 'proven' | 'not-proven' | 'not-attempted'
  note: string
  /** The install in the sandbox root and the mirror's log lines; null when none was tried. */
  install: InstallProof | null
}

/** The first line OpenLambda would install as is: pinned, no marker. */
async function packageToInstall(ctx: VerifyContext, target: WorkerTarget): Promise<string | null> {
  const config = await readWorkerConfig(ctx.host, target.worker.workerDir)
  const { txtFile } = requirementsPaths(registryDir(config, target.worker.workerDir))
  const text = (await readRemoteFile(ctx.host, txtFile))?.toString('utf8') ?? ''
  return (
    openLambdaInstallArgs(text).find((arg) => /^[a-z0-9][a-z0-9._-]*==[^;\\]+$/.test(arg)) ?? null
  )
}

const notAttempted = (why: string): WorkerProof => ({
  status: 'not-attempted',
  note: `installs from the mirror: not proven (${why})`,
  install: null,
})

/**
 * The proof from outside, once the worker runs: this build's own installer command for one
 * package, run inside the sandbox root (read-only: see proveSandboxInstall), and the mirror's
 * nginx access log showing that request from this worker. `mirrorLog` is the mirror host's log,
 * opened by whoever applies the workers. A worker whose sandboxes' pip goes elsewhere fails here,
 * with the pip configurations it has; its proof still says what happened.
 */
export function workerProofStep(
  target: WorkerTarget,
  mirrorLog?: MirrorAccessLog,
): Step<undefined, WorkerProof> {
  const { workerDir } = target.worker
  return {
    id: 'worker-proof',
    title: 'Prove the sandboxes install from the mirror',
    async plan() {
      return {
        changes: [],
        notes: [
          "once the worker runs: this OpenLambda's own installer command for one pinned requirement, inside the sandbox root (read-only, in a private mount namespace); the mirror's nginx access log must then show its request from this worker",
        ],
      }
    },
    async verify(ctx) {
      if (!mirrorLog) return notAttempted("the mirror host's log was not read")
      const pkg = await packageToInstall(ctx, target)
      if (!pkg) {
        ctx.log(
          'nothing to prove with: requirements.txt has no pinned line OpenLambda would install',
        )
        return notAttempted('no pinned lambda requirement to install')
      }
      const config = await readWorkerConfig(ctx.host, workerDir)
      const base = sandboxBaseDir(config, workerDir)
      const build =
        ctx.output(workerSandboxStep(target))?.build ??
        (await detectOlBuild(ctx.host, await locateOl(ctx.host, target.worker.ol)))
      const install = await proveSandboxInstall(ctx.host, {
        base,
        build,
        pkg,
        pipMirror: target.pipMirror,
        log: mirrorLog,
      })
      ctx.log(install.summary)
      if (install.proven)
        return { status: 'proven', note: 'installs from the mirror: proven', install }
      for (const line of install.pipTail) ctx.log(`  ${line}`)
      const configs = (
        await ctx.host.read(scriptCommand(pipConfigsScript, [base]), { sudo: true, quiet: true })
      ).stdout.trim()
      ctx.finding({
        severity: 'blocker',
        title: `Packages in ${target.label}'s sandboxes do not come from the mirror`,
        evidence: `${install.summary}${configs ? `; pip configuration in ${base}: ${configs.split('\n').join(' ')}` : ''}`,
        fix: `make every pip configuration in ${base} point at ${target.pipMirror}/simple/ (a later file wins: /root/.config/pip/pip.conf over /etc/pip.conf), then apply the workers again`,
      })
      throw new FailedProof(
        `installs from the mirror are not proven: ${install.summary}`,
        {
          host: ctx.host.label,
          hint: configs
            ? `the sandbox root's pip configuration: ${configs.split('\n').join('; ')}`
            : "read pip's output above",
        },
        { status: 'not-proven', note: 'installs from the mirror: NOT proven', install },
      )
    },
  }
}
