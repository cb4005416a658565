import { inTerminalTurn, readAnswer } from '../terminal-question'

/** Asks a yes/no question on the terminal; anything but "y"/"yes" is no. */
export async function confirmOnTerminal(question: string): Promise<boolean> {
  const answer = await inTerminalTurn(() => readAnswer('\n', `${question} [y/N] `))
  return /^y(es)?$/i.test(answer.trim())
}
