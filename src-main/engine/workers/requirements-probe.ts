import { z } from 'zod'
import type { RemoteHost } from '../ssh/remote-host'
import { runPythonJson } from '../remote/python'
import requirementsProbeScript from './scripts/requirements-probe.py?raw'

const fileSchema = z.object({
  filename: z.string(),
  version: z.string().nullable(),
  requiresPython: z.string().nullable(),
  compatible: z.boolean(),
})

const projectSchema = z.object({
  url: z.string(),
  status: z.number(),
  error: z.string().nullable(),
  files: z.array(fileSchema),
})

const lineSchema = z.object({
  lineNo: z.number(),
  text: z.string(),
  kind: z.enum(['requirement', 'option', 'invalid']),
  name: z.string().nullable(),
  pinned: z.string().nullable(),
  marker: z.string().nullable(),
  markerApplies: z.boolean().nullable(),
  error: z.string().nullable(),
  filesForVersion: z.array(z.string()).optional(),
  compatibleFiles: z.array(z.string()).optional(),
})

const probeSchema = z.union([
  z.object({ packaging: z.literal(false) }),
  z.object({
    packaging: z.literal(true),
    python: z.string(),
    platform: z.string(),
    lines: z.array(lineSchema),
    projects: z.record(z.string(), projectSchema),
  }),
])

export type RequirementsProbe = z.infer<typeof probeSchema>
export type ProbedLine = z.infer<typeof lineSchema>
export type ProbedProject = z.infer<typeof projectSchema>

/**
 * Reads a requirements file the way pip does and asks the mirror, from the worker host, which
 * files of each project install on the sandboxes' Python here (scripts/requirements-probe.py).
 */
export function probeRequirements(
  host: RemoteHost,
  input: { index: string; python: string; text: string },
): Promise<RequirementsProbe> {
  return runPythonJson(
    host,
    `Checking the requirements against ${input.index}`,
    requirementsProbeScript,
    [],
    probeSchema,
    { stdin: JSON.stringify(input) },
  )
}
