import { EngineError } from '../../src-main/engine/errors'
import { describeHttpResult, httpGetFromHost } from '../../src-main/engine/remote/http-get'
import { scriptCommand } from '../../src-main/engine/remote/quote'
import type { RemoteHost } from '../../src-main/engine/ssh/remote-host'
import { mirrorUrl, type MirrorSite } from '#shared/site'
import { mirrorLayout, VENV_PYTHON } from '../../src-main/engine/steps/mirror-layout'
import {
  parsePinnedRequirements,
  type PinnedRequirement,
} from '../../src-main/engine/steps/pinned-requirements'
import { readRemoteFile } from '../../src-main/engine/ssh/files'

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

/** pip downloads every pin in one go; `Saved` lines say which came, `Ignoring` lines which the marker skipped. */
const PIP_DOWNLOAD_SCRIPT = `
python=$1; index=$2; host=$3; shift 3
dir=$(mktemp -d)
trap 'rm -rf -- "$dir"' EXIT
# PIP_CONFIG_FILE=/dev/null: a pip.conf with extra indexes or find-links would hide a missing file.
PIP_CONFIG_FILE=/dev/null "$python" -m pip download --disable-pip-version-check --no-cache-dir --no-deps --index-url "$index" --trusted-host "$host" -d "$dir" "$@" 2>&1
`

function savedOrIgnored(output: string, pin: PinnedRequirement): boolean | null {
  const name = pin.name.replace(/[-_.]+/g, '[-_.]')
  if (new RegExp(`Ignoring ${name}:`, 'i').test(output)) return null
  return new RegExp(
    `(Saved|File was already downloaded) \\S*/${name}-${pin.version.replace(/\./g, '\\.')}[-.]`,
    'i',
  ).test(output)
}

async function pipDownload(
  host: RemoteHost,
  mirror: MirrorSite,
  pins: PinnedRequirement[],
): Promise<Map<string, boolean | null>> {
  const index = `${mirrorUrl(mirror)}/simple`
  const ip = mirror.serve.listen.split(':')[0] as string
  const specs = pins.map((p) => `${p.name}==${p.version}${p.marker ? ` ; ${p.marker}` : ''}`)
  const results = new Map<string, boolean | null>()
  const all = await host.exec(
    scriptCommand(PIP_DOWNLOAD_SCRIPT, [VENV_PYTHON, index, ip, ...specs]),
    { quiet: true },
  )
  if (all.code === 0) {
    for (const pin of pins) results.set(pin.name + pin.version, savedOrIgnored(all.stdout, pin))
    return results
  }
  // pip stops at the first failure: ask one by one to say which ones fail.
  for (const [i, pin] of pins.entries()) {
    const one = await host.exec(
      scriptCommand(PIP_DOWNLOAD_SCRIPT, [VENV_PYTHON, index, ip, specs[i] as string]),
      { quiet: true },
    )
    results.set(pin.name + pin.version, one.code === 0 ? savedOrIgnored(one.stdout, pin) : false)
  }
  return results
}

/**
 * The verify step before engine/verify/ (kept for bench/verify-scale.ts as the baseline): HTTP
 * for every project page, then a real `pip download` of every pin on the mirror host, which
 * moves every file of every pin once more.
 */
export async function pipDownloadVerify(
  host: RemoteHost,
  mirror: MirrorSite,
): Promise<PackageCheck[]> {
  const txt =
    (await readRemoteFile(host, mirrorLayout(mirror).requirementsTxt))?.toString('utf8') ?? ''
  const pins = parsePinnedRequirements(txt)
  const base = `${mirrorUrl(mirror)}/simple/`
  const pages = await httpGetFromHost(host, [base, ...pins.map((p) => `${base}${p.name}/`)])
  const root = pages[0]
  if (!root || root.status !== 200)
    throw new EngineError(`${base} answers ${root ? describeHttpResult(root) : 'nothing'}`, {
      host: host.label,
      hint:
        root?.status === 403
          ? 'run `pip-mirror doctor` to find the permission that blocks nginx'
          : 'check that nginx runs and serves this address',
    })
  const downloads = await pipDownload(host, mirror, pins)
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
