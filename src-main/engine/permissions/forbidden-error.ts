import { EngineError } from '../errors'
import type { VerifyContext } from '../steps/step'
import { diagnoseMirror } from './diagnose'

/**
 * A 403 from the mirror as an error that already carries the doctor's finding: the doctor runs
 * (it only reads), its findings are reported, and the first blocker (for a mirror under a home
 * directory: which directory nginx's user cannot pass, and the one chmod that fixes it) is the
 * message and the hint.
 */
export async function forbiddenError(ctx: VerifyContext, url: string): Promise<EngineError> {
  const plain = new EngineError(`${url} answers HTTP 403 Forbidden`, {
    host: ctx.host.label,
    hint: 'run `pip-mirror doctor` to find the permission that blocks nginx',
  })
  let findings
  try {
    findings = (await diagnoseMirror(ctx.host, ctx.site)).findings
  } catch {
    return plain
  }
  for (const finding of findings) ctx.finding(finding)
  const blocker = findings.find((finding) => finding.severity === 'blocker')
  if (!blocker) return plain
  return new EngineError(`${url} answers HTTP 403 Forbidden: ${blocker.title}`, {
    host: ctx.host.label,
    hint: blocker.fix ?? plain.details.hint,
  })
}
