import { createInterface } from 'node:readline/promises'

/** Asks a yes/no question on the terminal; anything but "y"/"yes" is no. */
export async function confirmOnTerminal(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return /^y(es)?$/i.test((await prompt.question(`\n${question} [y/N] `)).trim())
  } finally {
    prompt.close()
  }
}
