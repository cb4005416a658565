import { EngineError } from '../errors'
import type { HostFacts } from '../remote/facts'
import { chooseBandersnatch, UV_VERSION } from './bandersnatch-release'
import { BANDERSNATCH, TOOLS_VENV, UV, VENV_PYTHON } from './mirror-layout'
import { pipIndexArgs, runPlannedCommands, venvModuleChanges } from './python-tools'
import type { Change, Step, StepContext } from './step'

const INSTALLED_VERSIONS = `
import importlib.metadata as m
for name in ("bandersnatch", "uv"):
    try:
        print(name, m.version(name))
    except m.PackageNotFoundError:
        print(name, "-")
`

async function installedVersions(ctx: StepContext): Promise<Map<string, string>> {
  const result = await ctx.host.exec([VENV_PYTHON, '-c', INSTALLED_VERSIONS], { quiet: true })
  const versions = new Map<string, string>()
  if (result.code !== 0) return versions
  for (const line of result.stdout.trim().split('\n')) {
    const [name, version] = line.split(' ')
    if (name && version && version !== '-') versions.set(name, version)
  }
  return versions
}

function wanted(facts: HostFacts): { bandersnatch: string; reason: string } {
  const python = facts.python?.version ?? ''
  const choice = chooseBandersnatch(python)
  if (!choice)
    throw new EngineError(`No bandersnatch release runs on Python ${python || '(none)'}`, {
      hint: 'use a host with Python 3.8 or later',
    })
  return { bandersnatch: choice.version, reason: choice.reason }
}

/** bandersnatch and the uv resolver in their own venv: Debian's pip refuses system installs (PEP 668). */
export const installToolsStep: Step = {
  id: 'tools',
  title: 'Install bandersnatch',
  async check(ctx) {
    const facts = await ctx.facts()
    const versions = await installedVersions(ctx)
    const want = wanted(facts)
    const done =
      versions.get('bandersnatch') === want.bandersnatch && versions.get('uv') === UV_VERSION
    return { done, summary: done ? `bandersnatch ${want.bandersnatch} installed` : want.reason }
  },
  async plan(ctx) {
    const facts = await ctx.facts()
    const want = wanted(facts)
    const versions = await installedVersions(ctx)
    const changes: Change[] = venvModuleChanges(facts)
    if (versions.size === 0)
      changes.push({
        kind: 'command',
        summary: `Create the tools venv in ${TOOLS_VENV}`,
        argv: [facts.python?.path ?? '/usr/bin/python3', '-m', 'venv', TOOLS_VENV],
        sudo: true,
      })
    if (versions.get('bandersnatch') !== want.bandersnatch || versions.get('uv') !== UV_VERSION)
      changes.push({
        kind: 'command',
        summary: `Install bandersnatch ${want.bandersnatch} and uv ${UV_VERSION}`,
        argv: [
          VENV_PYTHON,
          '-m',
          'pip',
          'install',
          '--disable-pip-version-check',
          ...pipIndexArgs(ctx.site.mirror),
          `bandersnatch==${want.bandersnatch}`,
          `uv==${UV_VERSION}`,
        ],
        sudo: true,
      })
    return { changes, notes: [want.reason] }
  },
  async apply(ctx, plan) {
    // python -m venv creates the missing parents of the venv directory itself.
    await runPlannedCommands(ctx, plan)
  },
  async verify(ctx) {
    for (const argv of [
      [BANDERSNATCH, '--help'],
      [UV, '--version'],
    ]) {
      const result = await ctx.host.exec(argv, { quiet: true })
      if (result.code !== 0)
        throw new EngineError(
          `${argv[0]} does not run: ${result.stderr.trim().split('\n').pop() ?? ''}`,
          {
            host: ctx.host.label,
            hint: `remove ${TOOLS_VENV} and apply again`,
          },
        )
    }
    ctx.log(`${BANDERSNATCH} and ${UV} run`)
  },
}
