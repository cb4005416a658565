import { parseArgs } from 'node:util'

export const COMMANDS = [
  'plan',
  'apply',
  'doctor',
  'repair',
  'status',
  'cancel-sync',
  'schedule',
  'audit',
  'update',
  'prune',
] as const
export type CommandName = (typeof COMMANDS)[number]

export interface CliOptions {
  command: CommandName
  /** The site description; absent only for `apply --plan`, which carries its own. */
  site: string
  /** plan: where to save the plan; apply: the saved plan to execute. */
  out: string | undefined
  plan: string | undefined
  json: boolean
  yes: boolean
  acceptHostKeys: string[]
  knownHosts: string | undefined
  /** The app's data directory: its known_hosts and the activity history the runs go to. */
  dataDir: string | undefined
  /** Record the run in the activity history (off with --no-history). */
  history: boolean
  from: string | undefined
  /** repair: the seed's recursive chmod/chown instead of the least change. */
  seed: boolean
  /** plan/apply: only the mirror, or only the workers. */
  only: 'mirror' | 'workers' | undefined
  /** schedule: `--every 6h`, `--daily 03:00`, `--remove` or `--show`. */
  every: string | undefined
  daily: string | undefined
  remove: boolean
  show: boolean
  /** audit: what else than a blocker makes it exit non-zero (`vulnerable`, `yanked`). */
  failOn: ('vulnerable' | 'yanked')[]
  /** audit: write a CycloneDX 1.5 JSON SBOM here. */
  sbom: string | undefined
  /** audit, update: an OSV export on this machine, instead of the JSON API's advisories. */
  osv: string | undefined
  /** audit: ask the upstream nothing (the mirror's saved JSON instead). */
  offline: boolean
  /** update: only pins with a known vulnerability that a newer release fixes. */
  securityOnly: boolean
  /** update: only these projects (and what they need). */
  projects: string[]
}

export class UsageError extends Error {
  override name = 'UsageError'
}

export const USAGE = `Usage: pip-mirror <command> --site FILE [options]
       pip-mirror plan --site FILE --out PLAN.json
       pip-mirror apply --plan PLAN.json

Commands:
  plan         show every change (commands, file diffs) without touching anything
  apply        make the changes, then prove the mirror works (exit 0 only when it does)
  doctor       diagnose a mirror that does not serve (permissions, nginx, workers)
  repair       fix the mirror's permissions with the least change (see --seed)
  status       the mirror's state: sync, size, nginx, URL
  cancel-sync  stop a sync that is running on the mirror host
  schedule     sync the mirror periodically on its host (a systemd timer, else a cron entry):
               --every 6h | --every 30m | --daily 03:00 | --remove | --show
  audit        what the mirror serves, checked: each file's sha256 on the host against the
               upstream's, yanked releases, licences, known vulnerabilities, what is outdated
               (--json, --sbom FILE, --fail-on vulnerable|yanked, --osv PATH, --offline)
  update       resolve again with newer releases, shown as a pin diff with its advisories,
               then sync and verify: all pins, --security-only, or --project NAME (repeatable)
  prune        delete the files of releases an update replaced (listed first, then confirmed)

Options:
  --site FILE              the site description (JSON)
  --out FILE               plan: save the plan (every change, and the host state it was made
                           from) for \`apply --plan\`
  --plan FILE              apply: run exactly this saved plan, after checking that no host
                           changed since it was made (exit 4 if one did); it carries its site
  --json                   print events and the result as JSON lines
  --yes, -y                apply without asking (required when not on a terminal)
  --accept-host-key FP     trust this SHA256 host key fingerprint on first contact (repeatable)
  --data-dir DIR           the app's data directory (default ~/.config/pip-mirror-wizard, or
                           PIP_MIRROR_DATA_DIR): its known_hosts, and the activity history
                           where plan, apply, repair and schedule record their runs
  --no-history             do not record this run in the activity history
  --known-hosts FILE       known_hosts file (default DIR/known_hosts)
  --from STEP              start again from this step (preflight, tools, requirements,
                           config, sync, nginx, verify)
  --only mirror|workers    plan/apply only the mirror host, or only the workers
  --seed                   repair with chmod -R 755 + chown -R to the web server's user
                           (the manual's fix: touches every file, gives the mirror to nginx)
  --every N(h|m)           schedule: sync every N hours (1-12, dividing 24) or minutes
  --daily HH:MM            schedule: sync once a day at this time (the host's local time)
  --remove                 schedule: take the schedule off the host
  --show                   schedule: show the schedule and how the last syncs went
  --sbom FILE              audit: also write a CycloneDX 1.5 JSON SBOM of what the mirror serves
  --fail-on WHAT           audit: also exit 6 on a known vulnerability (vulnerable) or a
                           yanked release (yanked); repeatable
  --osv PATH               audit, update: advisories from an OSV export on this machine (osv.dev's
                           PyPI all.zip, a directory of records, or one .json) instead of the
                           upstream's JSON API
  --offline                audit: ask the upstream nothing; digests, yanks and releases from
                           the mirror's own copy of the JSON API (as of its last sync)
  --security-only          update: only pins with a known vulnerability a newer release fixes
  --project NAME           update: only this project and what it needs (repeatable)

Secrets come from the environment, never from the site file:
  PIP_MIRROR_SSH_PASSWORD, PIP_MIRROR_SUDO_PASSWORD, PIP_MIRROR_KEY_PASSPHRASE

Exit codes: 0 done and verified, 1 failed, 2 invalid input, 3 host key not trusted,
  4 the plan is stale: a host changed since the plan was made (nothing was applied);
  audit: 5 a blocker (a file whose sha256 does not match, or that cannot be read), 6 what
  --fail-on names was found.
`

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const [command, ...rest] = argv
  if (!command || !COMMANDS.includes(command as CommandName))
    throw new UsageError(command ? `unknown command "${command}"` : 'no command given')
  let parsed
  try {
    parsed = parseArgs({
      args: rest,
      options: {
        site: { type: 'string' },
        out: { type: 'string' },
        plan: { type: 'string' },
        json: { type: 'boolean', default: false },
        yes: { type: 'boolean', short: 'y', default: false },
        'accept-host-key': { type: 'string', multiple: true, default: [] },
        'known-hosts': { type: 'string' },
        'data-dir': { type: 'string' },
        'no-history': { type: 'boolean', default: false },
        from: { type: 'string' },
        seed: { type: 'boolean', default: false },
        only: { type: 'string' },
        every: { type: 'string' },
        daily: { type: 'string' },
        remove: { type: 'boolean', default: false },
        show: { type: 'boolean', default: false },
        'fail-on': { type: 'string', multiple: true, default: [] },
        sbom: { type: 'string' },
        osv: { type: 'string' },
        offline: { type: 'boolean', default: false },
        'security-only': { type: 'boolean', default: false },
        project: { type: 'string', multiple: true, default: [] },
      },
      strict: true,
      allowPositionals: false,
    })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  const { values } = parsed
  if (values.out !== undefined && command !== 'plan')
    throw new UsageError('--out goes with `plan` (save the plan to apply it later)')
  if (values.plan !== undefined && command !== 'apply')
    throw new UsageError('--plan goes with `apply` (run a saved plan)')
  if (values.plan !== undefined && (values.from !== undefined || values.only !== undefined))
    throw new UsageError('a saved plan is applied whole: --from and --only belong to `plan`')
  if (!values.site && values.plan === undefined) throw new UsageError('--site FILE is required')
  if (values.only !== undefined && values.only !== 'mirror' && values.only !== 'workers')
    throw new UsageError('--only takes "mirror" or "workers"')
  for (const fp of values['accept-host-key'] ?? [])
    if (!/^SHA256:[A-Za-z0-9+/]{43}$/.test(fp))
      throw new UsageError(
        `--accept-host-key wants a fingerprint such as SHA256:${'x'.repeat(43)}, not "${fp}"`,
      )
  const failOn = (values['fail-on'] ?? []).flatMap((v) => v.split(','))
  for (const what of failOn)
    if (what !== 'vulnerable' && what !== 'yanked')
      throw new UsageError(`--fail-on takes "vulnerable" or "yanked", not "${what}"`)
  if (values['security-only'] && (values.project ?? []).length > 0)
    throw new UsageError('update takes --security-only or --project, not both')
  if (values.offline && command === 'update')
    throw new UsageError(
      'update resolves against the upstream, which --offline rules out: the mirror host must reach it (set "proxy" in the site if it needs one)',
    )
  return {
    command: command as CommandName,
    site: values.site ?? '',
    out: values.out,
    plan: values.plan,
    json: values.json ?? false,
    yes: values.yes ?? false,
    acceptHostKeys: values['accept-host-key'] ?? [],
    knownHosts: values['known-hosts'],
    dataDir: values['data-dir'],
    history: !values['no-history'],
    from: values.from,
    seed: values.seed ?? false,
    only: values.only as CliOptions['only'],
    every: values.every,
    daily: values.daily,
    remove: values.remove ?? false,
    show: values.show ?? false,
    failOn: failOn as CliOptions['failOn'],
    sbom: values.sbom,
    osv: values.osv,
    offline: values.offline ?? false,
    securityOnly: values['security-only'] ?? false,
    projects: values.project ?? [],
  }
}
