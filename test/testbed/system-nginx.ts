import { existsSync, readFileSync } from 'node:fs'
import { readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { sh } from './processes'

/**
 * The machine's own nginx, shared with every other test: sites are added and removed one by
 * one, nginx is started when it is not running and reloaded otherwise, never stopped.
 */
export const SITES_AVAILABLE = '/etc/nginx/sites-available'
export const SITES_ENABLED = '/etc/nginx/sites-enabled'

function systemNginxRunning(): boolean {
  if (!existsSync('/run/nginx.pid')) return false
  const pid = Number(readFileSync('/run/nginx.pid', 'utf8').trim())
  if (!pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Checks the configuration, then reloads nginx (or starts it when it is not running). */
export async function reloadSystemNginx(): Promise<void> {
  await sh('nginx', ['-t', '-q'])
  if (systemNginxRunning()) {
    await sh('nginx', ['-s', 'reload'])
    return
  }
  // Another test may start it at the same moment: then a reload is what is left to do.
  await sh('nginx', []).catch(async (error: unknown) => {
    if (!systemNginxRunning()) throw error
    await sh('nginx', ['-s', 'reload'])
  })
}

/** Writes sites-available/<name> and links it from sites-enabled/ (no reload). */
export async function installSite(name: string, text: string): Promise<void> {
  await writeFile(`${SITES_AVAILABLE}/${name}`, text, { mode: 0o644 })
  await rm(`${SITES_ENABLED}/${name}`, { force: true })
  await symlink(`${SITES_AVAILABLE}/${name}`, `${SITES_ENABLED}/${name}`)
}

/** Removes one site's files, its backups included (no reload). */
export async function removeSite(name: string): Promise<void> {
  await rm(`${SITES_ENABLED}/${name}`, { force: true })
  for (const file of await readdir(SITES_AVAILABLE))
    if (file === name || file.startsWith(`${name}.pmw-backup-`))
      await rm(`${SITES_AVAILABLE}/${file}`, { force: true })
}

/** Removes a site the product wrote (pip-mirror-PORT): its files, backups and access log (no reload). */
export async function removeProductSite(name: string): Promise<void> {
  await removeSite(name)
  await rm(`/var/log/nginx/${name}.access.log`, { force: true })
}

/** Waits until something answers on the URL (any status) and returns that status. */
export async function statusOnceListening(url: string, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const response = await fetch(url, { redirect: 'manual' })
      await response.arrayBuffer()
      return response.status
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`nothing answers on ${url}: ${String(error)}`, { cause: error })
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}
