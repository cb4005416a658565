import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { ensureBareRoot } from './bare-host/roots'
import { execFileAsync, sh } from './processes'
import { CACHE_DIR } from './pypi-standin'

/**
 * The base image the `ol` stand-in's sandboxes run on, in place of OpenLambda's ol-min (Ubuntu
 * 22.04 with python3 and an upgraded pip in /usr/local): a bare Debian 12 root made with
 * debootstrap as the bare-hosts test bed makes it (ensureBareRoot: built here when missing, used
 * read-only), with pip added as `pip3 install --upgrade pip` leaves it in ol-min. Built once into
 * .cache/ol-sandbox-root/; `ol worker init` dumps it into each worker's sock_base_path.
 *
 * The one function to swap for another root (a real ol-min export, another suite).
 */
export async function olSandboxBaseRoot(): Promise<string> {
  building ??= build()
  return building
}

let building: Promise<string> | undefined

/** Debian's pip (the version a Debian 12 host's venv has), copied into /usr/local like ol-min's. */
const PIP_SOURCE = '/usr/lib/python3/dist-packages'

const ADD_PIP = String.raw`
set -eu
root=$1 pip_source=$2
python=$(ls "$root"/usr/bin | grep -E '^python3\.[0-9]+$' | sort -t. -k2,2n | tail -n 1)
site="$root/usr/local/lib/$python/dist-packages"
mkdir -p "$site" "$root/usr/local/bin"
cp -a "$pip_source/pip" "$pip_source"/pip-*.dist-info "$site/"
# ol-min has apt's /usr/bin/pip3 and the upgraded /usr/local/bin/pip3; both run the newer pip.
for bin in "$root/usr/bin" "$root/usr/local/bin"; do
  for name in pip pip3 "pip$(echo "$python" | sed 's/^python//')"; do
    printf '#!/usr/bin/python3\nimport sys\nfrom pip._internal.cli.main import main\nsys.exit(main())\n' >"$bin/$name"
    chmod 0755 "$bin/$name"
  done
done
# Ubuntu 22.04 (ol-min) marks no Python as externally managed.
rm -f "$root/usr/lib/$python/EXTERNALLY-MANAGED"
`

async function build(): Promise<string> {
  const source = await ensureBareRoot('bookworm')
  const digest = createHash('sha256').update(source).update(ADD_PIP).digest('hex').slice(0, 12)
  const dir = join(CACHE_DIR, 'ol-sandbox-root', `ol-min-standin-${digest}`)
  if (existsSync(dir)) return dir
  await mkdir(join(CACHE_DIR, 'ol-sandbox-root'), { recursive: true })
  const partial = `${dir}.partial-${process.pid}`
  try {
    await execFileAsync('cp', ['-a', source, partial])
    await sh('sh', ['-c', ADD_PIP, 'sh', partial, PIP_SOURCE])
    await rename(partial, dir)
  } catch (error) {
    await rm(partial, { recursive: true, force: true })
    if (!existsSync(dir)) throw error
  }
  return dir
}
