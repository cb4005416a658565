import { EngineError } from '../errors'
import { command, type Change } from '../plan/change'
import { scriptCommand } from '../remote/quote'
import { UV_VERSION } from './bandersnatch-release'
import { TOOLS_DIR, TOOLS_VENV, UV, VENV_PYTHON } from './mirror-layout'
import { toolsVersions, toolsVersionsRead } from './probes'
import { pipIndexArgs, venvModuleChanges } from './python-tools'
import installUv from './scripts/install-uv.sh?raw'
import type { Step } from './step'

/** The mirror's resolver (uv, same version) in the wizard's tools venv on the worker host. */
export function workerToolsStep(): Step {
  return {
    id: 'worker-tools',
    title: 'Install the resolver (uv) on the worker host',
    reads: () => [toolsVersionsRead()],
    async plan(ctx) {
      const version = toolsVersions(ctx.state).get('uv') ?? null
      if (version === UV_VERSION) return { changes: [], notes: [`${UV} is uv ${UV_VERSION}`] }
      const changes: Change[] = [
        ...venvModuleChanges(ctx.facts),
        command(
          `Install uv ${UV_VERSION} in ${TOOLS_VENV} (created if missing)`,
          scriptCommand(installUv, [
            TOOLS_DIR,
            TOOLS_VENV,
            ctx.facts.python?.path ?? '/usr/bin/python3',
            UV_VERSION,
            ...pipIndexArgs(ctx.site.mirror),
          ]),
        ),
      ]
      return {
        changes,
        notes: [
          version
            ? `uv ${version} is there; the mirror resolves with ${UV_VERSION}`
            : `${UV} is missing`,
        ],
      }
    },
    async verify(ctx) {
      const result = await ctx.host.read([UV, '--version'], { quiet: true })
      const version = result.code === 0 ? (result.stdout.trim().split(/\s+/)[1] ?? null) : null
      if (version !== UV_VERSION)
        throw new EngineError(
          `${UV} is ${version ? `uv ${version}` : 'missing'}, not ${UV_VERSION}`,
          {
            host: ctx.host.label,
            hint: `remove ${TOOLS_VENV} and apply again`,
          },
        )
      const pip = await ctx.host.read([VENV_PYTHON, '-m', 'pip', '--version'], { quiet: true })
      if (pip.code !== 0)
        throw new EngineError(`${VENV_PYTHON} has no pip, which the dry install needs`, {
          host: ctx.host.label,
          hint: `remove ${TOOLS_VENV} and apply again`,
        })
    },
  }
}
