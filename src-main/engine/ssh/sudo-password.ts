import askpassHelper from './scripts/askpass-helper.sh?raw'
import sudoWithPassword from './scripts/sudo-with-password.sh?raw'
import { EngineError } from '../errors'
import { scriptCommand } from '../remote/quote'

/** The exit code of sudo-with-password.sh when sudo refused the password (nothing ran). */
export const SUDO_REFUSED_EXIT = 86

/**
 * The argv that runs `argv` as root with sudo's password given through an askpass helper, never
 * on the command's input (see scripts/sudo-with-password.sh). Its input is `sudoPasswordInput`.
 */
export function sudoWithPasswordArgv(argv: readonly string[]): string[] {
  return scriptCommand(sudoWithPassword, [askpassHelper, 'run', ...argv])
}

/** The argv that only checks the password (`sudo -v`), whatever NOPASSWD rules allow. */
export function validateSudoPasswordArgv(): string[] {
  return scriptCommand(sudoWithPassword, [askpassHelper, 'validate'])
}

/** The wrapper's input: the password line, then the command's own input. */
export function sudoPasswordInput(password: string, stdin: string | Buffer | undefined): Buffer {
  if (/[\n\0]/.test(password))
    throw new EngineError('The sudo password contains a line break or a NUL character', {
      hint: 'sudo reads one line as the password; enter it without line breaks',
    })
  return Buffer.concat([Buffer.from(`${password}\n`), Buffer.from(stdin ?? '')])
}
