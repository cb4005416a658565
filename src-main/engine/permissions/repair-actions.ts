import type { Change, FileChange } from '../plan/change'
import { sha256 } from '../steps/managed-file'
import { LAYOUT_NAMES } from './confinement'
import { plural } from './findings'
import { octal } from './mode-bits'
import { NGINX_TEST_ARGV } from './nginx-control'

/**
 * `least`: open exactly what blocks nginx's user, for its permission class only, owners kept.
 * `seed`: the original procedure's `chmod -R 755` and `chown -R <nginx user>:`, on the served
 * directory's layout only (never the config, the sync wrapper or the logs).
 */
export type RepairMode = 'least' | 'seed'

export interface TreeGrant {
  type: 'file' | 'directory'
  grant: string
  count: number
  examples: string[]
}

/** Every permission change runs the confined helper (confined-repair.ts): `argv` is all of it. */
export type RepairAction =
  | {
      kind: 'chmod-path'
      path: string
      grant: string
      argv: string[]
      before: number
      after: number
      owner: string
      group: string
    }
  | { kind: 'chmod-tree'; root: string; grants: TreeGrant[]; argv: string[] }
  | {
      kind: 'seed'
      root: string
      /** Entries that get the mode and the owner: the layout's, and the served directory. */
      entries: number
      mode: string
      owner: string
      /** Who keeps the config, the sync wrapper and the logs. */
      mirrorOwner: string
      argv: string[]
    }
  | { kind: 'edit-site'; path: string; before: string; after: string; diff: string }
  | { kind: 'enable-site'; available: string; enabled: string }
  | { kind: 'nginx'; argv: string[]; why: string }

const CONFINED_TEXT = `only inside bandersnatch's layout (${LAYOUT_NAMES.join(', ')}), on one filesystem, never through a symlink, leaving hard links that others own alone`

/** An action as the operator sees it before it runs: what it does, and the exact command. */
export function describeAction(action: RepairAction, user: string): Change[] {
  switch (action.kind) {
    case 'chmod-path':
      return [
        {
          kind: 'command',
          summary: `${action.grant} on ${action.path} (${action.owner}:${action.group} ${octal(action.before)} → ${octal(action.after)}) so that ${user} gets through; refused if it has become a symlink`,
          argv: action.argv,
          sudo: true,
        },
      ]
    case 'chmod-tree':
      return [
        {
          kind: 'command',
          summary: `${action.grants
            .map(
              (grant) =>
                `${grant.grant} on ${plural(grant.count, grant.type === 'file' ? 'file' : 'directory')} (e.g. ${grant.examples.slice(0, 3).join(', ')})`,
            )
            .join(
              '; ',
            )} under ${action.root}, only where missing, ${CONFINED_TEXT}; nothing else is written`,
          argv: action.argv,
          sudo: true,
        },
      ]
    case 'seed':
      return [
        {
          kind: 'command',
          summary: `mode ${action.mode} and owner ${action.owner} on ${plural(action.entries, 'entry')} of ${action.root} (the directory itself and ${CONFINED_TEXT}): every file becomes executable; the config, the sync wrapper and the logs stay ${action.mirrorOwner}'s`,
          argv: action.argv,
          sudo: true,
        },
      ]
    case 'edit-site': {
      const edit: FileChange = {
        kind: 'file',
        summary: `end the alias with "/" in ${action.path} (the previous file is kept as a backup)`,
        path: action.path,
        content: action.after,
        replaces: sha256(action.before),
        mode: 0o644,
        owner: 'root',
        sudo: true,
        backup: true,
        diff: action.diff,
      }
      return [
        edit,
        {
          kind: 'command',
          summary: 'check the configuration; the previous file is put back if nginx rejects it',
          argv: [...NGINX_TEST_ARGV],
          sudo: true,
          onFailure: [
            {
              ...edit,
              summary: `put the previous ${action.path} back`,
              content: action.before,
              replaces: sha256(action.after),
              backup: false,
              diff: '',
            },
          ],
          failure: {
            message: `nginx rejected ${action.path} after the alias was corrected`,
            hint: 'nginx -t names the file and line at fault',
          },
        },
      ]
    }
    case 'enable-site':
      return [
        {
          kind: 'command',
          summary: `enable the site: link ${action.enabled} to ${action.available}`,
          argv: ['ln', '-sfn', action.available, action.enabled],
          sudo: true,
        },
      ]
    case 'nginx':
      return [{ kind: 'command', summary: action.why, argv: action.argv, sudo: true }]
  }
}
