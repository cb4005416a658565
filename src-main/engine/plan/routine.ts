import type { RemoteHost } from '../ssh/remote-host'
import type { DeriveChange } from './change'

export interface RoutineContext {
  signal: AbortSignal
  log(line: string): void
}

/**
 * An engine routine a `derive` change runs: it reads what an earlier change of the plan made,
 * works the content of its files out, and writes them. While it runs the host allows only writes
 * of the change's `writes` (and reads); it gets its inputs as the plan saved them.
 */
export interface Routine {
  name: string
  run(host: RemoteHost, args: readonly string[], ctx: RoutineContext): Promise<void>
}

const registry = new Map<string, Routine>()

/** Registered by name, so that a saved plan runs the same routine when it is applied. */
export function defineRoutine(routine: Routine): Routine {
  const known = registry.get(routine.name)
  if (known && known !== routine)
    throw new Error(`two different routines are named ${routine.name}`)
  registry.set(routine.name, routine)
  return routine
}

export function routineNamed(name: string): Routine | undefined {
  return registry.get(name)
}

/** A derive change for a routine, its inputs and the only files it may write. */
export function derive(
  summary: string,
  routine: Routine,
  args: readonly string[],
  writes: readonly string[],
  reads: string,
): DeriveChange {
  return {
    kind: 'derive',
    summary,
    routine: routine.name,
    args: [...args],
    writes: [...writes],
    reads,
  }
}
