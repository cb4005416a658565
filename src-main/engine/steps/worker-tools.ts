import { EngineError } from '../errors'
import { scriptCommand } from '../remote/quote'
import { UV_VERSION } from './bandersnatch-release'
import { TOOLS_DIR, TOOLS_VENV, UV, VENV_PYTHON } from './mirror-layout'
import { pipIndexArgs, runPlannedCommands, venvModuleChanges } from './python-tools'
import type { Step, StepContext } from './step'

/**
 * Creates the tools venv and installs uv in it, under a lock: several workers may share one
 * filesystem (or be the mirror host itself) and be set up at the same time.
 */
const INSTALL_UV = `
set -eu
dir=$1; venv=$2; python=$3; version=$4; shift 4
mkdir -p "$dir"
if command -v flock >/dev/null 2>&1; then exec 9>"$dir/.install.lock"; flock 9; fi
case "$("$venv/bin/uv" --version 2>/dev/null || true)" in
  "uv $version"|"uv $version "*) echo "uv $version is already installed"; exit 0 ;;
esac
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/python" -m pip install --disable-pip-version-check "uv==$version" "$@"`

async function installedUv(ctx: StepContext): Promise<string | null> {
  const result = await ctx.host.exec([UV, '--version'], { quiet: true })
  return result.code === 0 ? (result.stdout.trim().split(/\s+/)[1] ?? null) : null
}

/** The mirror's resolver (uv, same version) in the wizard's tools venv on the worker host. */
export function workerToolsStep(): Step {
  return {
    id: 'worker-tools',
    title: 'Install the resolver (uv) on the worker host',
    async check(ctx) {
      const version = await installedUv(ctx)
      return { done: version === UV_VERSION, summary: `uv ${version ?? 'not installed'}` }
    },
    async plan(ctx) {
      const version = await installedUv(ctx)
      if (version === UV_VERSION) return { changes: [], notes: [`${UV} is uv ${UV_VERSION}`] }
      const facts = await ctx.facts()
      const changes = venvModuleChanges(facts)
      changes.push({
        kind: 'command',
        summary: `Install uv ${UV_VERSION} in ${TOOLS_VENV} (created if missing)`,
        argv: scriptCommand(INSTALL_UV, [
          TOOLS_DIR,
          TOOLS_VENV,
          facts.python?.path ?? '/usr/bin/python3',
          UV_VERSION,
          ...pipIndexArgs(ctx.site.mirror),
        ]),
        sudo: true,
      })
      return {
        changes,
        notes: [
          version
            ? `uv ${version} is there; the mirror resolves with ${UV_VERSION}`
            : `${UV} is missing`,
        ],
      }
    },
    async apply(ctx, plan) {
      await runPlannedCommands(ctx, plan)
    },
    async verify(ctx) {
      const version = await installedUv(ctx)
      if (version !== UV_VERSION)
        throw new EngineError(
          `${UV} is ${version ? `uv ${version}` : 'missing'}, not ${UV_VERSION}`,
          {
            host: ctx.host.label,
            hint: `remove ${TOOLS_VENV} and apply again`,
          },
        )
      const pip = await ctx.host.exec([VENV_PYTHON, '-m', 'pip', '--version'], { quiet: true })
      if (pip.code !== 0)
        throw new EngineError(`${VENV_PYTHON} has no pip, which the dry install needs`, {
          host: ctx.host.label,
          hint: `remove ${TOOLS_VENV} and apply again`,
        })
    },
  }
}
