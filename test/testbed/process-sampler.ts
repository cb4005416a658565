import { readdir, readFile } from 'node:fs/promises'

/** What one process showed to `ps` and to /proc: its arguments and its environment. */
export interface ProcessSample {
  pid: number
  cmdline: string
  environ: string
}

async function readProc(pid: string, file: string): Promise<string> {
  return readFile(`/proc/${pid}/${file}`).then(
    (bytes) => bytes.toString('utf8').replace(/\0/g, ' '),
    () => '',
  )
}

/**
 * Reads /proc/<pid>/cmdline and /proc/<pid>/environ of every process on this machine, again and
 * again until stopped (each distinct sight once): what anyone, or for environ the same user,
 * could have read meanwhile.
 */
export function sampleProcesses(everyMs = 25): { stop(): Promise<ProcessSample[]> } {
  const samples = new Map<string, ProcessSample>()
  let running = true
  const loop = (async () => {
    while (running) {
      const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name))
      for (const pid of pids) {
        const [cmdline, environ] = await Promise.all([
          readProc(pid, 'cmdline'),
          readProc(pid, 'environ'),
        ])
        if (cmdline || environ)
          samples.set(`${pid}\0${cmdline}\0${environ}`, { pid: Number(pid), cmdline, environ })
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs))
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      return [...samples.values()]
    },
  }
}
