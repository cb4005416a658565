import { checkPipMirrorUrl, WorkerConfigError } from '../config/worker-config'
import { EngineError } from '../errors'
import { mirrorReachFindings, simpleIndexUrl } from '../workers/mirror-reach'
import type { WorkerTarget } from '#shared/worker-target'
import type { Step } from './step'

/**
 * Refuses a pip_mirror the worker cannot use before anything on the worker changes: a loopback
 * address (when planning), or an index the worker host does not get an HTTP 200 for (checked
 * again first thing at apply, when the mirror may only just have been set up by the same run).
 */
export function workerMirrorStep(target: WorkerTarget): Step {
  const url = simpleIndexUrl(target.pipMirror)
  return {
    id: 'worker-mirror',
    title: 'Reach the mirror from the worker host',
    async plan(ctx) {
      try {
        checkPipMirrorUrl(target.pipMirror)
      } catch (error) {
        if (!(error instanceof WorkerConfigError)) throw error
        throw new EngineError(error.message, {
          host: ctx.host.label,
          hint: "correct the worker's pipMirror (or the mirror's serve.listen and location)",
        })
      }
      const findings = await mirrorReachFindings(ctx.host, target.pipMirror)
      // A loopback address is wrong whatever the mirror does; an answer that is missing may only
      // mean that the mirror is set up by this same run: checked again before any change here.
      const loopback = findings.find((finding) => /a loopback address/.test(finding.title))
      if (loopback) {
        ctx.finding(loopback)
        throw new EngineError(`pip_mirror ${target.pipMirror} refused: ${loopback.title}`, {
          host: ctx.host.label,
          hint: `${loopback.fix ?? ''} (${loopback.evidence ?? ''})`,
        })
      }
      for (const finding of findings)
        ctx.finding({
          ...finding,
          severity: 'warning',
          fix: `${finding.fix ?? ''} (checked again before anything changes on this worker)`,
        })
      return {
        changes: [],
        notes: [
          findings.length === 0
            ? `${url} answers HTTP 200 from ${ctx.host.label}`
            : `${url} does not answer yet; checked again at apply, before any change`,
        ],
      }
    },
    async verify(ctx) {
      const findings = await mirrorReachFindings(ctx.host, target.pipMirror)
      for (const finding of findings) ctx.finding(finding)
      const blocker = findings.find((finding) => finding.severity === 'blocker')
      if (blocker)
        throw new EngineError(`pip_mirror ${target.pipMirror} refused: ${blocker.title}`, {
          host: ctx.host.label,
          hint: `${blocker.fix ?? ''} (${blocker.evidence ?? ''})`,
        })
    },
  }
}
