/** Placeholder for the `pip-mirror` command; bin/pip-mirror.js calls `runCli`. */

const USAGE = `Usage: pip-mirror <command> [options]

Commands (not implemented yet):
  plan      show what would change on the hosts
  apply     make the changes
  doctor    diagnose a mirror that does not work
  repair    fix what doctor found
  status    show the mirror's state
`

/** Returns the process exit code. */
export async function runCli(args: readonly string[]): Promise<number> {
  const [command] = args
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE)
    return 0
  }
  process.stderr.write(`pip-mirror: '${command}' is not implemented yet.\n\n${USAGE}`)
  return 2
}
