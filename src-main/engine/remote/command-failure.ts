import {
  describeUnreachable,
  findUnreachable,
  indexInArgv,
  proxyInArgv,
  unreachableHint,
} from './unreachable'

export interface CommandFailure {
  /** One sentence of what went wrong, when the output says it plainly enough; else null. */
  cause: string | null
  hint: string | null
  /** The last lines of the output, a line repeated in a row said once with its count. */
  tail: string
}

/** `[Errno 28] No space left on device: '/srv/pypi/web/...'`, `write error: No space left on device`. */
export function diskFullPath(output: string): string | null | undefined {
  if (!/No space left on device|ENOSPC|Errno 28\]/.test(output)) return undefined
  const path =
    /No space left on device: '([^']+)'/.exec(output) ??
    /(\/\S+): No space left on device/.exec(output)
  return path ? (path[1] as string) : null
}

function collapse(lines: readonly string[]): string[] {
  const out: string[] = []
  let count = 0
  lines.forEach((line, i) => {
    count++
    if (lines[i + 1] === line) return
    out.push(count > 1 ? `${line} (${count} times)` : line)
    count = 0
  })
  return out
}

/**
 * Reads a failed command's output for the causes a bare host meets: a network it cannot reach
 * (and through which proxy), a full disk, an address another program holds.
 */
export function explainCommandFailure(
  argv: readonly string[],
  output: { stdout: string; stderr: string },
): CommandFailure {
  const text = `${output.stdout}\n${output.stderr}`
  const tail = collapse((output.stderr || output.stdout).trim().split('\n'))
    .slice(-8)
    .join('\n')
  const index = indexInArgv(argv)
  const unreachable = findUnreachable(text, {
    proxy: proxyInArgv(argv),
    ...(index ? { upstream: index } : {}),
  })
  if (unreachable)
    return { cause: describeUnreachable(unreachable), hint: unreachableHint(unreachable), tail }
  const full = diskFullPath(text)
  if (full !== undefined)
    return {
      cause: `the disk is full${full ? ` (no space left writing ${full})` : ''}`,
      hint: 'free space on that filesystem (df -h shows which), then apply again',
      tail,
    }
  const bind = /bind\(\) to (\S+) failed \(98: Address already in use\)/.exec(text)
  if (bind)
    return {
      cause: `another program already listens on ${bind[1]}`,
      hint: `find it on the host (ss -ltnp, or the plan's port check) and stop it, or choose another port for serve.listen`,
      tail,
    }
  return { cause: null, hint: null, tail }
}
