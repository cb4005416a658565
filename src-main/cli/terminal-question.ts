import { createInterface } from 'node:readline/promises'

let turns: Promise<unknown> = Promise.resolve()

/**
 * Runs `work` when no other question is on the terminal. With several hosts connecting at once,
 * only one prompt is on the screen at a time and each typed line answers exactly one of them.
 */
export function inTerminalTurn<T>(work: () => Promise<T>): Promise<T> {
  const turn = turns.then(work)
  turns = turn.catch(() => undefined)
  return turn
}

/** Shows `preamble`, asks `question` and returns the line typed (call it inside a turn). */
export async function readAnswer(preamble: string, question: string): Promise<string> {
  process.stderr.write(preamble)
  const prompt = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return await prompt.question(question)
  } finally {
    prompt.close()
  }
}
