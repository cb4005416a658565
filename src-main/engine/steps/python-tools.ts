import type { HostFacts } from '../remote/facts'
import type { MirrorSite } from '../site'
import type { Change, StepContext, StepPlan } from './step'

const APT = ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get']

/** pip's options for hosts that reach PyPI only through an internal index or a proxy. */
export function pipIndexArgs(mirror: MirrorSite): string[] {
  return [
    ...(mirror.pipIndexUrl ? ['--index-url', mirror.pipIndexUrl] : []),
    ...(mirror.proxy ? ['--proxy', mirror.proxy] : []),
  ]
}

/** Debian's python3 cannot make a venv without python3-venv: the change that installs it, if needed. */
export function venvModuleChanges(facts: HostFacts): Change[] {
  if (facts.python?.hasVenv) return []
  return [
    {
      kind: 'command',
      summary: 'Install Python and its venv module',
      argv: [...APT, 'install', '-y', 'python3', 'python3-venv'],
      sudo: true,
    },
  ]
}

/** Runs a plan's commands in order, refreshing apt's package lists first when one installs with it. */
export async function runPlannedCommands(ctx: StepContext, plan: StepPlan): Promise<void> {
  const commands = plan.changes.filter((c) => c.kind === 'command')
  if (commands.some((c) => c.argv.includes('apt-get')))
    await ctx.host.run([...APT, 'update', '-q'], { sudo: true })
  for (const change of commands) {
    ctx.log(change.summary)
    await ctx.host.run(change.argv, { sudo: change.sudo, signal: ctx.signal })
  }
  await ctx.facts(true)
}
