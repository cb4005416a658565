/**
 * The one quoting function: every value that reaches a remote shell goes through here.
 *
 * POSIX single quotes make everything literal except the single quote itself, which is closed,
 * escaped and reopened. NUL cannot be carried by any shell argument, so it is refused outright.
 */
export function quote(arg: string): string {
  if (arg.includes('\0')) throw new QuotingError('an argument contains a NUL byte')
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg
  return `'${arg.replace(/'/g, `'\\''`)}'`
}

export class QuotingError extends Error {
  override name = 'QuotingError'
}

/** A command line built from an argument array; the first element is the program. */
export function commandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new QuotingError('an empty command')
  return argv.map(quote).join(' ')
}

/**
 * A fixed shell script run with `sh -c`, its inputs passed as positional parameters ($1, $2 ...)
 * so that no value is ever pasted into the script text.
 */
export function scriptCommand(script: string, args: readonly string[] = []): string[] {
  return ['sh', '-c', script, 'sh', ...args]
}
