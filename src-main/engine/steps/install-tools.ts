import { EngineError } from '../errors'
import { command, type Change } from '../plan/change'
import type { HostFacts } from '../remote/facts'
import { chooseBandersnatch, UV_VERSION } from './bandersnatch-release'
import { BANDERSNATCH, TOOLS_VENV, UV, VENV_PYTHON } from './mirror-layout'
import { toolsVersions, toolsVersionsRead } from './probes'
import { pipIndexArgs, venvModuleChanges } from './python-tools'
import type { Step } from './step'

/** The Python each supported release ships, for a host that has none installed yet. */
const DISTRIBUTION_PYTHON: Record<string, string> = {
  'debian 11': '3.9',
  'debian 12': '3.11',
  'debian 13': '3.13',
  'ubuntu 20.04': '3.8',
  'ubuntu 22.04': '3.10',
  'ubuntu 24.04': '3.12',
}

function wanted(facts: HostFacts): { bandersnatch: string; reason: string } {
  const python =
    facts.python?.version ?? DISTRIBUTION_PYTHON[`${facts.os.id} ${facts.os.versionId}`] ?? ''
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
  reads: () => [toolsVersionsRead()],
  async plan(ctx) {
    const facts = ctx.facts
    const want = wanted(facts)
    const versions = toolsVersions(ctx.state)
    const changes: Change[] = []
    const upToDate =
      versions.get('bandersnatch') === want.bandersnatch && versions.get('uv') === UV_VERSION
    if (!upToDate) {
      changes.push(...venvModuleChanges(facts))
      // python -m venv creates the missing parents of the venv directory itself.
      if (versions.size === 0)
        changes.push(
          command(`Create the tools venv in ${TOOLS_VENV}`, [
            facts.python?.path ?? '/usr/bin/python3',
            '-m',
            'venv',
            TOOLS_VENV,
          ]),
        )
      changes.push(
        command(`Install bandersnatch ${want.bandersnatch} and uv ${UV_VERSION}`, [
          VENV_PYTHON,
          '-m',
          'pip',
          'install',
          '--disable-pip-version-check',
          ...pipIndexArgs(ctx.site.mirror),
          `bandersnatch==${want.bandersnatch}`,
          `uv==${UV_VERSION}`,
        ]),
      )
    }
    return { changes, notes: [want.reason] }
  },
  async verify(ctx) {
    for (const argv of [
      [BANDERSNATCH, '--help'],
      [UV, '--version'],
    ]) {
      const result = await ctx.host.read(argv, { quiet: true })
      if (result.code !== 0)
        throw new EngineError(
          `${argv[0]} does not run: ${result.stderr.trim().split('\n').pop() ?? ''}`,
          { host: ctx.host.label, hint: `remove ${TOOLS_VENV} and apply again` },
        )
    }
    ctx.log(`${BANDERSNATCH} and ${UV} run`)
  },
}
