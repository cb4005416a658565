/**
 * A read-only program the batched state read runs on a host (a real .sh file imported as text).
 * Probes are registered by name so that a saved plan can read the same state again at apply.
 */
export interface Probe {
  name: string
  script: string
  /** Reads as root (a worker's config.json lives in a directory only root may enter). */
  sudo?: boolean
  /** The part of the output a plan depends on (drops what changes on its own: a log's size). */
  stable?(output: string): string
}

const registry = new Map<string, Probe>()

export function defineProbe(probe: Probe): Probe {
  const known = registry.get(probe.name)
  if (known && known.script !== probe.script)
    throw new Error(`two different probes are named ${probe.name}`)
  registry.set(probe.name, probe)
  return probe
}

export function probeNamed(name: string): Probe | undefined {
  return registry.get(name)
}
