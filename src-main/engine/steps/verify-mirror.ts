import { EngineError } from '../errors'
import { describeHttpResult, httpGetFromHost } from '../remote/http-get'
import { scriptCommand } from '../remote/quote'
import type { RemoteHost } from '../ssh/remote-host'
import { mirrorUrl, type MirrorSite } from '../site'
import { mirrorLayout, VENV_PYTHON } from './mirror-layout'
import { parsePinnedRequirements, type PinnedRequirement } from './pinned-requirements'
import { readRemoteFile } from '../ssh/files'
import pipDownloadScript from './scripts/pip-download.sh?raw'
import type { Step, VerifyContext } from './step'

export interface PackageCheck {
  name: string
  version: string
  marker: string
  /** HTTP status of the project's simple page. */
  page: number
  /** The page links a file of the pinned version. */
  listed: boolean
  /** pip downloaded it from the mirror; null when its marker excludes this host. */
  downloaded: boolean | null
  detail?: string
}

/** How file names spell a project (wheels use `_`; sdists may keep `-` or `.`). */
function fileNamePattern(pin: PinnedRequirement): RegExp {
  const name = pin.name.replace(/[-_.]+/g, '[-_.]')
  const version = pin.version.replace(/[.+]/g, (c) => `\\${c}`)
  return new RegExp(`>${name}-${version}(?:-|\\.tar|\\.zip)`, 'i')
}

function savedOrIgnored(output: string, pin: PinnedRequirement): boolean | null {
  const name = pin.name.replace(/[-_.]+/g, '[-_.]')
  if (new RegExp(`Ignoring ${name}:`, 'i').test(output)) return null
  return new RegExp(
    `(Saved|File was already downloaded) \\S*/${name}-${pin.version.replace(/\./g, '\\.')}[-.]`,
    'i',
  ).test(output)
}

/** pip downloads every pin from the mirror, in one go (scripts/pip-download.sh). */
async function pipDownload(
  host: RemoteHost,
  mirror: MirrorSite,
  pins: PinnedRequirement[],
): Promise<Map<string, boolean | null>> {
  const index = `${mirrorUrl(mirror)}/simple`
  const ip = mirror.serve.listen.split(':')[0] as string
  const specs = pins.map((p) => `${p.name}==${p.version}${p.marker ? ` ; ${p.marker}` : ''}`)
  const results = new Map<string, boolean | null>()
  const all = await host.read(
    scriptCommand(pipDownloadScript, [VENV_PYTHON, index, ip, ...specs]),
    { quiet: true },
  )
  if (all.code === 0) {
    for (const pin of pins) results.set(pin.name + pin.version, savedOrIgnored(all.stdout, pin))
    return results
  }
  // pip stops at the first failure: ask one by one to say which ones fail.
  for (const [i, pin] of pins.entries()) {
    const one = await host.read(
      scriptCommand(pipDownloadScript, [VENV_PYTHON, index, ip, specs[i] as string]),
      { quiet: true },
    )
    results.set(pin.name + pin.version, one.code === 0 ? savedOrIgnored(one.stdout, pin) : false)
  }
  return results
}

/** Proves the mirror from outside bandersnatch: HTTP for every project page, then a real pip download. */
export async function verifyMirror(
  ctx: Pick<VerifyContext, 'host' | 'site'>,
): Promise<PackageCheck[]> {
  const { mirror } = ctx.site
  const txt =
    (await readRemoteFile(ctx.host, mirrorLayout(mirror).requirementsTxt))?.toString('utf8') ?? ''
  const pins = parsePinnedRequirements(txt)
  const base = `${mirrorUrl(mirror)}/simple/`
  const pages = await httpGetFromHost(ctx.host, [base, ...pins.map((p) => `${base}${p.name}/`)])
  const root = pages[0]
  if (!root || root.status !== 200)
    throw new EngineError(`${base} answers ${root ? describeHttpResult(root) : 'nothing'}`, {
      host: ctx.host.label,
      hint:
        root?.status === 403
          ? 'run `pip-mirror doctor` to find the permission that blocks nginx'
          : 'check that nginx runs and serves this address',
    })
  const downloads = await pipDownload(ctx.host, mirror, pins)
  return pins.map((pin, i) => {
    const page = pages[i + 1]
    const check: PackageCheck = {
      name: pin.name,
      version: pin.version,
      marker: pin.marker,
      page: page?.status ?? 0,
      listed: !!page && page.status === 200 && fileNamePattern(pin).test(page.body),
      downloaded: downloads.has(pin.name + pin.version)
        ? (downloads.get(pin.name + pin.version) as boolean | null)
        : false,
    }
    if (check.page !== 200)
      check.detail = `${base}${pin.name}/ answers ${check.page || page?.error}`
    else if (!check.listed)
      check.detail = `${base}${pin.name}/ lists no file of version ${pin.version}`
    else if (check.downloaded === false)
      check.detail = `pip could not download ${pin.name}==${pin.version} from ${base}`
    return check
  })
}

export function packageCheckFailed(check: PackageCheck): boolean {
  return check.page !== 200 || !check.listed || check.downloaded === false
}

/** Read-only: proves from outside bandersnatch that every pin is served and installs with pip. */
export const verifyMirrorStep: Step<undefined, PackageCheck[]> = {
  id: 'verify',
  title: 'Prove the mirror works',
  async plan() {
    return {
      changes: [],
      notes: [
        'HTTP GET of every project page, then pip download of every pinned release, from the mirror host',
      ],
    }
  },
  async verify(ctx) {
    const checks = await verifyMirror(ctx)
    for (const check of checks) {
      const skipped = check.downloaded === null ? ` (not downloaded here: ${check.marker})` : ''
      ctx.log(
        `${packageCheckFailed(check) ? 'FAIL' : 'ok  '} ${check.name}==${check.version}${skipped}${check.detail ? `: ${check.detail}` : ''}`,
      )
      if (packageCheckFailed(check))
        ctx.finding({
          severity: 'blocker',
          title: `${check.name}==${check.version} does not install from the mirror`,
          evidence: check.detail ?? '',
          fix: 'apply again from the sync step; if it persists, read the sync log',
        })
    }
    const failed = checks.filter(packageCheckFailed)
    if (failed.length > 0)
      throw new EngineError(
        `${failed.length} of ${checks.length} packages do not install from the mirror: ${failed.map((c) => `${c.name}==${c.version}`).join(', ')}`,
        {
          host: ctx.host.label,
          hint: 'apply again from the sync step; read the sync log if it persists',
        },
      )
    ctx.log(
      `All ${checks.length} pinned releases are served and install with pip from ${mirrorUrl(ctx.site.mirror)}/simple`,
    )
    return checks
  },
}
