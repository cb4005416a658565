import { z } from 'zod'

/**
 * What a change waits for after its command succeeded, read-only: a detached sync to end (its
 * files on the host), or a worker to answer.
 */
export const waitTargetSchema = z.discriminatedUnion('what', [
  /** The mirror directory whose detached sync the command started (its .pip-mirror files). */
  z.object({
    what: z.literal('sync'),
    directory: z.string(),
    upstream: z.string(),
    proxy: z.string().nullable(),
  }),
  z.object({ what: z.literal('sync-stopped'), directory: z.string() }),
  z.object({ what: z.literal('worker'), workerDir: z.string(), timeoutMs: z.number() }),
])
export type WaitTarget = z.infer<typeof waitTargetSchema>

const commandChangeBase = z.object({
  kind: z.literal('command'),
  summary: z.string(),
  /** Exactly what runs: an argument array, quoted by the one quoting function. */
  argv: z.array(z.string()).min(1),
  /** As root (directly, or through sudo). */
  sudo: z.boolean(),
  /** Exit codes other than 0 that still mean done (a process that ended on its own: kill → 1). */
  okExitCodes: z.array(z.number().int()).optional(),
  /** What the command starts and the run then follows to its end (read-only). */
  waitFor: waitTargetSchema.optional(),
  /** What to tell a person when it fails (the command's own last lines follow). */
  failure: z.object({ message: z.string(), hint: z.string() }).optional(),
})

const fileChangeSchema = z.object({
  kind: z.literal('file'),
  summary: z.string(),
  path: z.string(),
  /** The file's whole new content. */
  content: z.string(),
  /** sha256 of the content it replaces; null when the file must not exist yet. */
  replaces: z.string().nullable(),
  /** The mode and owner the file has afterwards (an existing file keeps its own). */
  mode: z.number().int(),
  owner: z.string(),
  /** Written as root (through sudo) rather than as the login user. */
  sudo: z.boolean(),
  /** Keep the previous content beside the file. */
  backup: z.boolean(),
  /** The unified diff, for people. */
  diff: z.string(),
})

/** A command, and what it puts back when it fails (nginx -t: the previous site files). */
export const commandChangeSchema = commandChangeBase.extend({
  onFailure: z.array(z.union([commandChangeBase, fileChangeSchema])).optional(),
})

/** Nothing to run: follow what already runs on the host (a sync started earlier) to its end. */
const waitChangeSchema = z.object({
  kind: z.literal('wait'),
  summary: z.string(),
  waitFor: waitTargetSchema,
})

/**
 * Files whose content only exists once an earlier change of the same plan ran (what a resolver
 * wrote on a host where this plan installs the resolver): a named engine routine works it out by
 * reading, then writes exactly these files, whole, and nothing else (the guard refuses any other
 * write and every command). The plan names the routine, its inputs and the files.
 */
const deriveChangeSchema = z.object({
  kind: z.literal('derive'),
  summary: z.string(),
  /** The routine, by the name it is registered under (plan/routine.ts). */
  routine: z.string(),
  /** Its inputs, saved with the plan. */
  args: z.array(z.string()),
  /** The only files it may write. */
  writes: z.array(z.string()).min(1),
  /** What it reads to work the content out, for people. */
  reads: z.string(),
})

export const changeSchema = z.discriminatedUnion('kind', [
  commandChangeSchema,
  fileChangeSchema,
  waitChangeSchema,
  deriveChangeSchema,
])

export type CommandChange = z.infer<typeof commandChangeSchema>
export type FileChange = z.infer<typeof fileChangeSchema>
export type WaitChange = z.infer<typeof waitChangeSchema>
export type DeriveChange = z.infer<typeof deriveChangeSchema>
export type Change = z.infer<typeof changeSchema>
export type RollbackChange = NonNullable<CommandChange['onFailure']>[number]

/** A command change; `sudo` defaults to true, the usual case on a mirror host. */
export function command(
  summary: string,
  argv: readonly string[],
  options: Partial<Omit<CommandChange, 'kind' | 'summary' | 'argv'>> = {},
): CommandChange {
  return { kind: 'command', summary, argv: [...argv], sudo: true, ...options }
}
