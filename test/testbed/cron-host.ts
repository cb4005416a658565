import { readdir, readFile } from 'node:fs/promises'

/** The pid of this machine's running cron daemon (`cron` or `crond`), or null when none runs. */
export async function cronDaemonPid(): Promise<number | null> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '')
    if (comm.trim() !== 'cron' && comm.trim() !== 'crond') continue
    // A stopped cron nobody reaped (this container's first process reaps nothing) is no daemon.
    const status = await readFile(`/proc/${entry}/status`, 'utf8').catch(() => '')
    if (!/^State:\s*Z/m.test(status)) return Number(entry)
  }
  return null
}

/**
 * Leaves the machine as the test found it: stops the cron daemon only if the product started it
 * during the test (none ran before), by its pid.
 */
export async function stopCronStartedByTest(pidBefore: number | null): Promise<void> {
  if (pidBefore !== null) return
  const pid = await cronDaemonPid()
  if (pid !== null) process.kill(pid, 'SIGTERM')
}
