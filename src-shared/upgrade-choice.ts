import { z } from 'zod'

/**
 * Which pins an update may move (the rest stay as they are unless a moved one needs otherwise):
 * all of them, only those with a known vulnerability that a newer release fixes, or the named
 * projects. Free of Node imports: the renderer's IPC contract uses it.
 */
export const upgradeChoiceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('security') }),
  z.strictObject({
    kind: z.literal('projects'),
    projects: z
      .array(
        z
          .string()
          .max(200)
          .regex(/^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/, 'must be a project name'),
      )
      .min(1)
      .max(500),
  }),
])

export type UpgradeChoice = z.infer<typeof upgradeChoiceSchema>

/** A pin that must move to at least this release to leave its advisories behind. */
export interface SecurityFix {
  name: string
  atLeast: string
  advisories: string[]
}

/**
 * The resolver's upgrade flags for the choice (uv pip compile, which otherwise keeps every pin
 * of the existing output file): `--upgrade`, or one `--upgrade-package` per project, with the
 * fixed release as a floor for a security fix.
 */
export function upgradeFlags(choice: UpgradeChoice, fixes: readonly SecurityFix[] = []): string[] {
  switch (choice.kind) {
    case 'all':
      return ['--upgrade']
    case 'projects':
      return choice.projects.flatMap((name) => ['--upgrade-package', name])
    case 'security':
      return fixes.flatMap((fix) => ['--upgrade-package', `${fix.name}>=${fix.atLeast}`])
  }
}

export function describeChoice(choice: UpgradeChoice): string {
  switch (choice.kind) {
    case 'all':
      return 'every pin to the newest release the resolution allows'
    case 'security':
      return 'only the pins with a known vulnerability that a newer release fixes'
    case 'projects':
      return `only ${choice.projects.join(', ')} (and what they need)`
  }
}
