import { EngineError } from '../errors'
import detectPrivilegeScript from './scripts/detect-privilege.sh?raw'

/** How this login gets root: it is root, sudo without a password, sudo with one, or not at all. */
export type Privilege = 'root' | 'sudo-nopasswd' | 'sudo-password' | 'none'

/**
 * Prints the uid, then one of the Privilege words. sudo does not say whether a user may sudo at
 * all before the password is given, so "sudo-password" can still turn out to be "none" once the
 * password is tried.
 */
export const DETECT_PRIVILEGE_SCRIPT: string = detectPrivilegeScript

export interface Identity {
  uid: number
  privilege: Privilege
}

export function parseIdentity(text: string): Identity {
  const [uid, word] = text.trim().split('\n')
  if (
    /^\d+$/.test(uid ?? '') &&
    (word === 'root' || word === 'sudo-nopasswd' || word === 'sudo-password' || word === 'none')
  )
    return { uid: Number(uid), privilege: word }
  throw new EngineError(`Could not tell how to become root: ${text.trim() || '(no answer)'}`)
}

/**
 * The argv prefix that runs a command as root without a password. sudo with a password never
 * takes a prefix: the command goes through sudo-password.ts, so the password reaches only a
 * sudo that asks for it.
 */
export function sudoPrefix(privilege: Exclude<Privilege, 'sudo-password'>): string[] {
  switch (privilege) {
    case 'root':
      return []
    case 'sudo-nopasswd':
      return ['sudo', '-n', '--']
    case 'none':
      throw new EngineError('This step needs root, and this login cannot use sudo', {
        hint: 'log in as root, or as a user listed in /etc/sudoers (for example in the sudo group)',
      })
  }
}
