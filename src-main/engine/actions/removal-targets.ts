import { posix } from 'node:path'
import { EngineError } from '../errors'
import { readRemoteFile } from '../ssh/files'
import type { RemoteHost } from '../ssh/remote-host'
import type { Site } from '#shared/site'
import { existingPaths } from '../schedule/existing-files'
import { scheduleArtifacts } from '../schedule/remove-schedule-step'
import { scriptCommand } from '../remote/quote'
import siteBackupsScript from './scripts/site-backups.sh?raw'
import { mirrorLayout } from '../steps/mirror-layout'
import { nginxSitePaths } from '../steps/nginx'
import { syncState } from '../sync/sync-job'

/** What removing a mirror deletes, read from the host: only what exists and is the mirror's. */
export interface RemovalTargets {
  /** The sync to stop first; null when none runs. */
  runningSync: number | null
  /** The schedule's files (cron entry or timer and service, and the wrapper). */
  schedule: string[]
  /** The nginx site's symlink, file and its backups: only when the site serves this mirror. */
  nginx: string[]
  /** The mirror directory (its web/ tree, config, requirements and sync state); null when gone. */
  directory: string | null
  /** The sync state inside it, named on its own for the operator. */
  syncState: string | null
  /** Every path above, in the order they go. */
  paths: string[]
  /** Things left alone on purpose, for the plan. */
  kept: string[]
}

/** Top-level directories whose removal would wreck the host, whatever the site says. */
const NEVER_REMOVE = new Set([
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/lib64',
  '/media',
  '/mnt',
  '/opt',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/srv',
  '/sys',
  '/tmp',
  '/usr',
  '/var',
  '/var/lib',
  '/var/www',
  '/usr/local',
])

/** The mirror directory is only deleted when it is clearly one the app made. */
async function checkRemovable(host: RemoteHost, site: Site): Promise<void> {
  const layout = mirrorLayout(site.mirror)
  const depth = layout.dir.split('/').filter(Boolean).length
  if (NEVER_REMOVE.has(layout.dir) || depth < 2 || /^\/home\/[^/]+$/.test(layout.dir))
    throw new EngineError(`${layout.dir} is a system or home directory: it is never deleted`, {
      host: host.label,
      hint: 'delete the mirror files by hand, or move the mirror into a directory of its own',
    })
  const marks = await existingPaths(host, [layout.conf, layout.state])
  if (marks.length === 0)
    throw new EngineError(
      `${layout.dir} holds neither bandersnatch.conf nor .pip-mirror/: it does not look like a mirror this app made, so nothing is deleted`,
      { host: host.label, hint: "check the site's mirror directory" },
    )
}

async function nginxTargets(host: RemoteHost, site: Site): Promise<string[]> {
  const layout = mirrorLayout(site.mirror)
  const paths = nginxSitePaths(site.mirror)
  const text = (await readRemoteFile(host, paths.available))?.toString('utf8') ?? null
  // Another mirror may have taken the same port since: its site is not this mirror's to delete.
  if (text !== null && !text.includes(`${layout.web}/`)) return []
  const link = await host.read(['readlink', paths.enabled], { quiet: true })
  const backups = await host.read(scriptCommand(siteBackupsScript, [paths.available]), {
    quiet: true,
  })
  return [
    ...(link.code === 0 && link.stdout.trim() === paths.available ? [paths.enabled] : []),
    ...(text !== null ? [paths.available] : []),
    ...backups.stdout.split('\n').filter(Boolean),
  ]
}

export async function removalTargets(host: RemoteHost, site: Site): Promise<RemovalTargets> {
  const layout = mirrorLayout(site.mirror)
  const [directoryExists] = await existingPaths(host, [layout.dir])
  if (directoryExists) await checkRemovable(host, site)
  const state = directoryExists ? await syncState(host, layout) : null
  const schedule = await scheduleArtifacts(host, layout)
  const nginx = await nginxTargets(host, site)
  const [syncStateDir] = directoryExists ? await existingPaths(host, [layout.state]) : []
  return {
    runningSync: state?.kind === 'running' ? state.pid : null,
    schedule,
    nginx,
    directory: directoryExists ? layout.dir : null,
    syncState: syncStateDir ?? null,
    paths: [
      ...schedule,
      ...nginx,
      ...(syncStateDir ? [syncStateDir] : []),
      ...(directoryExists ? [layout.dir] : []),
    ],
    kept: [
      `${posix.dirname(layout.dir)} (the mirror's parent directory)`,
      '/opt/pip-mirror-wizard/venv (bandersnatch and uv, shared by every mirror on this host)',
      'the nginx and cron packages, and nginx itself (it keeps serving its other sites)',
    ],
  }
}
