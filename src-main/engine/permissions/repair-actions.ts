import type { Change, FileChange } from '../plan/change'
import { sha256 } from '../steps/managed-file'
import { plural } from './findings'
import { octal } from './mode-bits'
import { NGINX_TEST_ARGV } from './nginx-control'

/**
 * `least`: open exactly what blocks nginx's user, for its permission class only, owners kept.
 * `seed`: the original procedure's `chmod -R 755` and `chown -R <nginx user>:` on the whole mirror.
 */
export type RepairMode = 'least' | 'seed'

export interface TreeGrant {
  type: 'file' | 'directory'
  grant: string
  count: number
  examples: string[]
}

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
  | { kind: 'edit-site'; path: string; before: string; after: string; diff: string }
  | { kind: 'enable-site'; available: string; enabled: string }
  | { kind: 'nginx'; argv: string[]; why: string }
  | { kind: 'seed-chmod'; root: string; entries: number; argv: string[] }
  | { kind: 'seed-chown'; root: string; entries: number; owner: string; argv: string[] }

/** An action as the operator sees it before it runs: what it does, and the exact command. */
export function describeAction(action: RepairAction, user: string): Change[] {
  switch (action.kind) {
    case 'chmod-path':
      return [
        {
          kind: 'command',
          summary: `${action.grant} on ${action.path} (${action.owner}:${action.group} ${octal(action.before)} → ${octal(action.after)}) so that ${user} gets through`,
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
            .join('; ')} under ${action.root}, only where missing; nothing else is written`,
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
    case 'seed-chmod':
      return [
        {
          kind: 'command',
          summary: `mode 755 on all ${action.entries} entries of ${action.root}: every file becomes executable`,
          argv: action.argv,
          sudo: true,
        },
      ]
    case 'seed-chown':
      return [
        {
          kind: 'command',
          summary: `give all ${action.entries} entries of ${action.root} to ${action.owner}`,
          argv: action.argv,
          sudo: true,
        },
      ]
  }
}
