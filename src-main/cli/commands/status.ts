import { mirrorStatus } from '../../engine/mirror-status'
import { formatBytes } from '#shared/format-bytes'
import { loadSiteFile } from '../../engine/site-file'
import { mirrorLayout } from '../../engine/steps/mirror-layout'
import { cancelSync } from '../../engine/sync/sync-job'
import type { CliOptions } from '../args'
import { connectFromCli } from '../connect'
import { printable } from '../../engine/printable'
import type { Output } from '../render'

export async function status(options: CliOptions, out: Output): Promise<number> {
  const site = await loadSiteFile(options.site)
  const host = await connectFromCli(options)(site.mirror.ssh)
  try {
    const s = await mirrorStatus(host, site)
    if (options.json) {
      out.write(`${JSON.stringify(s)}\n`)
      return s.http === 200 ? 0 : 1
    }
    const sync =
      s.sync.kind === 'running'
        ? `running now (pid ${s.sync.pid})`
        : s.sync.todo
          ? 'unfinished (a todo file is left; apply resumes it)'
          : s.serial !== null
            ? `last finished ${s.lastSyncedAt ?? '?'} at serial ${s.serial}`
            : 'never synced'
    out.write(
      printable(
        [
          `Mirror ${s.url}/simple/ on ${host.label}`,
          `  HTTP:      ${s.http === 200 ? '200 OK' : s.http ? `${s.http} (run pip-mirror doctor)` : 'no answer'}`,
          `  sync:      ${sync}`,
          `  contents:  ${s.projects} projects, ${s.files} files, ${formatBytes(s.bytesOnDisk)}`,
          `  disk:      ${s.facts.disk ? `${formatBytes(s.facts.disk.freeBytes)} free of ${formatBytes(s.facts.disk.totalBytes)} on ${s.facts.disk.mount}` : 'unknown'}`,
          `  nginx:     ${s.facts.nginx.installed ? (s.facts.nginx.running ? 'running' : 'installed, not running') : 'not installed'}`,
          '',
        ].join('\n'),
      ),
    )
    return s.http === 200 ? 0 : 1
  } finally {
    host.close()
  }
}

export async function cancelRunningSync(options: CliOptions, out: Output): Promise<number> {
  const site = await loadSiteFile(options.site)
  const host = await connectFromCli(options)(site.mirror.ssh)
  try {
    const stopped = await cancelSync(host, mirrorLayout(site.mirror))
    out.write(
      stopped
        ? 'The sync was stopped; apply resumes it from where it was.\n'
        : 'No sync is running.\n',
    )
    return 0
  } finally {
    host.close()
  }
}
