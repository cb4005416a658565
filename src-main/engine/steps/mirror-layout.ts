import type { MirrorSite } from '#shared/site'

/** Where the wizard keeps its tools on a mirror host: one venv with bandersnatch and uv. */
export const TOOLS_DIR = '/opt/pip-mirror-wizard'
export const TOOLS_VENV = `${TOOLS_DIR}/venv`
export const BANDERSNATCH = `${TOOLS_VENV}/bin/bandersnatch`
export const UV = `${TOOLS_VENV}/bin/uv`
export const VENV_PYTHON = `${TOOLS_VENV}/bin/python`

/** Everything the wizard writes for one mirror lives under its directory; only `web/` is served. */
export function mirrorLayout(mirror: Pick<MirrorSite, 'directory'>) {
  const dir = mirror.directory.replace(/\/+$/, '')
  const state = `${dir}/.pip-mirror`
  return {
    dir,
    web: `${dir}/web`,
    conf: `${dir}/bandersnatch.conf`,
    requirementsDir: `${dir}/requirements`,
    requirementsIn: `${dir}/requirements/requirements.in`,
    requirementsTxt: `${dir}/requirements/requirements.txt`,
    requirementsFileName: 'requirements.txt',
    state,
    syncPid: `${state}/sync.pid`,
    syncLog: `${state}/sync.log`,
    syncExit: `${state}/sync.exit`,
    /** sha256 of the config and requirements that the last successful sync mirrored. */
    syncedInputs: `${state}/synced-inputs`,
    /** What the requirements.txt on the host was resolved from (see steps/requirements.ts). */
    resolvedStamp: `${state}/resolved-stamp`,
    /**
     * Pins an update replaced or dropped, still mirrored and served (bandersnatch reads this file
     * beside requirements.txt, by the glob below) until the operator prunes them.
     */
    retainedTxt: `${dir}/requirements/retained.txt`,
    retainedGlob: 'retained*.txt',
  }
}

export type MirrorLayout = ReturnType<typeof mirrorLayout>
