import { EngineError } from '../errors'
import { mirrorUrl } from '#shared/site'
import { FailedProof } from '../plan/failed-proof'
import type { VerifyContext } from '../steps/step'
import { fetchFromHost } from './fetch-index'
import { failingCells, type TargetMatrix } from './matrix-types'
import { matrixLines } from './matrix-text'
import { proveTargets, type TargetProof } from './prove-targets'

/** At most this many failing cells become findings; the log and the matrix carry all of them. */
const MAX_FINDINGS = 40

async function requireIndex(ctx: VerifyContext): Promise<void> {
  const base = `${mirrorUrl(ctx.site.mirror)}/simple/`
  const [root] = (await fetchFromHost(ctx.host, 'HEAD', [base])).results
  if (root?.status === 200) return
  throw new EngineError(
    `${base} answers ${root?.status ? `HTTP ${root.status}` : `nothing (${root?.error ?? 'no answer'})`}`,
    {
      host: ctx.host.label,
      hint:
        root?.status === 403
          ? 'run `pip-mirror doctor` to find the permission that blocks nginx'
          : 'check that nginx runs and serves this address',
    },
  )
}

/** Cells of requirement rows whose marker holds: what the proof is about. */
function neededCells(matrix: TargetMatrix): number {
  return matrix.rows
    .filter((row) => row.role === 'requirement')
    .reduce((n, row) => n + row.cells.filter((c) => c.state !== 'not-needed').length, 0)
}

/**
 * The verify step's proof: every pin on every target of the site, from the mirror's index. Logs
 * the matrix, makes each failing cell a finding (pin, target, reason, fix), and fails the step
 * when a needed cell fails, the matrix still handed over as its proof.
 */
export async function verifyTargets(ctx: VerifyContext): Promise<TargetProof> {
  await requireIndex(ctx)
  const proof = await proveTargets(ctx.host, ctx.site.mirror)
  const { matrix, cost } = proof
  for (const line of matrixLines(matrix)) ctx.log(line)
  const failing = failingCells(matrix)
  for (const { row, cell, target } of failing.slice(0, MAX_FINDINGS))
    ctx.finding({
      severity: 'blocker',
      title: `${row.name}==${row.version} does not install on ${target.label}`,
      evidence: cell.reason,
      fix: cell.fix ?? '',
    })
  const needed = neededCells(matrix)
  const index = `${mirrorUrl(ctx.site.mirror)}/simple`
  const how = `from its index: ${cost.pages} pages, ${cost.files} files asked (HEAD), no file downloaded`
  if (failing.length > 0) {
    const first = failing
      .slice(0, 3)
      .map(({ row, target }) => `${row.name}==${row.version} on ${target.label}`)
      .join(', ')
    throw new FailedProof(
      `${failing.length} of ${needed} needed pin × target cells do not install from the mirror: ${first}${failing.length > 3 ? ', …' : ''}`,
      {
        host: ctx.host.label,
        hint: failing[0]?.cell.fix ?? 'read the matrix above: each failing cell says its fix',
      },
      proof,
    )
  }
  ctx.log(
    `All ${matrix.rows.length} pinned releases install from ${index} on each of the ${matrix.targets.length} targets where they are needed (${needed} cells), proven ${how}`,
  )
  return proof
}
