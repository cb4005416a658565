import { cronExpression, scheduleFromCron } from './cron-expression'
import { describeSchedule, type Schedule } from '#shared/schedule'
import { plainCommandLine } from './scheduled-command'

export interface CronEntry {
  schedule: Schedule
  /** The user the job runs as (the cron.d format's sixth field). */
  user: string
  argv: readonly string[]
  /** The mirror directory, for the header comment. */
  directory: string
}

/** cron's own PATH is only /usr/bin:/bin; the wrapper and its tools may live in the sbin dirs. */
const CRON_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/**
 * An /etc/cron.d file (Debian's format: a user field after the five time fields). Output goes
 * nowhere: the wrapper writes the sync's log and history itself, and hosts rarely have mail.
 */
export function renderCronFile(entry: CronEntry): string {
  return [
    `# Pip Mirror Wizard: sync the pip mirror in ${entry.directory}, ${describeSchedule(entry.schedule)} (host time).`,
    '# Written by the app and `pip-mirror schedule`; change it there, where edits made here show as a diff.',
    'SHELL=/bin/sh',
    `PATH=${CRON_PATH}`,
    `${cronExpression(entry.schedule)} ${entry.user} ${plainCommandLine(entry.argv)} >/dev/null 2>&1`,
    '',
  ].join('\n')
}

export interface ParsedCronEntry {
  /** null when the time fields are not ones the app writes (edited by hand). */
  schedule: Schedule | null
  expression: string
  user: string
  command: string
}

/** The first job line of a cron.d file; null when there is none. */
export function parseCronFile(text: string): ParsedCronEntry | null {
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || /^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line)) continue
    const fields = line.split(/\s+/)
    if (fields.length < 7) return null
    const expression = fields.slice(0, 5).join(' ')
    return {
      schedule: scheduleFromCron(expression),
      expression,
      user: fields[5] as string,
      command: fields.slice(6).join(' '),
    }
  }
  return null
}
