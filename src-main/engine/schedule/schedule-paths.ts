import { createHash } from 'node:crypto'
import type { MirrorLayout } from '../steps/mirror-layout'
import { syncJobFiles } from '../sync/sync-wrapper'

const CRON_DIR = '/etc/cron.d'
const SYSTEMD_DIR = '/etc/systemd/system'

/**
 * A name for one mirror's schedule, readable and unique per directory: `srv-pypi-1a2b3c4d`.
 * Letters, digits and `-` only: Debian's cron ignores /etc/cron.d files with other characters.
 */
export function scheduleId(layout: MirrorLayout): string {
  const slug = layout.dir
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
  const hash = createHash('sha256').update(layout.dir).digest('hex').slice(0, 8)
  return slug ? `${slug}-${hash}` : hash
}

/** Where a mirror's schedule lives on its host, for either mechanism. */
export function schedulePaths(layout: MirrorLayout) {
  const id = scheduleId(layout)
  return {
    id,
    cronFile: `${CRON_DIR}/pip-mirror-${id}`,
    timerUnit: `pip-mirror-${id}.timer`,
    serviceUnit: `pip-mirror-${id}.service`,
    timerFile: `${SYSTEMD_DIR}/pip-mirror-${id}.timer`,
    serviceFile: `${SYSTEMD_DIR}/pip-mirror-${id}.service`,
    wrapperFile: syncJobFiles(layout).wrapperFile,
  }
}

export type SchedulePaths = ReturnType<typeof schedulePaths>
