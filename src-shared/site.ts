import { z } from 'zod'
import { parseRequirement } from './requirement-line'

/**
 * The site description: the one input every face (wizard, CLI, saved profiles) gives the engine.
 * Passwords never live here; they come from a prompt, the OS keychain or the environment.
 */

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const IPV6 = /^[0-9A-Fa-f:]+(?:%[A-Za-z0-9]+)?$/
const POSIX_USER = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/
/** Absolute paths of plain characters: no `..` component, no shell or whitespace characters. */
const SAFE_ABSOLUTE_PATH = /^\/(?:[A-Za-z0-9._+@-]+\/)*[A-Za-z0-9._+@-]*$/
const LOCATION = /^\/(?:[A-Za-z0-9._~-]+\/)*$/
const IMAGE = /^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,199}$/

export function isHostName(value: string): boolean {
  return IPV4.test(value) || HOSTNAME.test(value) || (value.includes(':') && IPV6.test(value))
}

export function isIPv4(value: string): boolean {
  return IPV4.test(value)
}

export function isSafeAbsolutePath(value: string): boolean {
  return (
    SAFE_ABSOLUTE_PATH.test(value) &&
    !value.split('/').some((part) => part === '..' || part === '.')
  )
}

/** PEP 503 normalised project name. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-')
}

export { parseRequirement } from './requirement-line'

/** True for a URL with a user name or a password in it (`http://user:pass@host/`). */
export function hasCredentials(value: string): boolean {
  try {
    const url = new URL(value)
    return url.username !== '' || url.password !== ''
  } catch {
    return false
  }
}

const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value)
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') &&
        !/[\s'"`$\\;<>{}|^]/.test(value) &&
        ![...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) &&
        !/\/\.\.?(?:\/|$)|\.\.\//.test(value)
      )
    } catch {
      return false
    }
  }, 'must be an http:// or https:// URL')
  .refine(
    (value) => !hasCredentials(value),
    'must not hold a user name or password ("user:pass@"): site files, plans and the history keep no secrets, and this URL would reach the host\'s command lines and config files. Use a URL without credentials (an index or proxy on a trusted network, or one that allows the host by address)',
  )

const safePath = z
  .string()
  .max(4096)
  .refine(
    isSafeAbsolutePath,
    'must be an absolute path of letters, digits and . _ - + @ (no "..", no spaces)',
  )

export const sshTargetSchema = z.object({
  host: z.string().max(253).refine(isHostName, 'must be a host name or an IP address'),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().refine((v) => POSIX_USER.test(v), 'must be a POSIX user name'),
  identityFile: z
    .string()
    .max(4096)
    .refine((v) => !v.includes('\0') && !v.includes('\n'), 'must be a file path')
    .optional(),
  /** How to log in: a key file (identityFile), the ssh-agent, or a password supplied at run time. */
  auth: z.enum(['key', 'agent', 'password']).optional(),
})

const requirementLine = z
  .string()
  .max(500)
  .refine(
    (v) => parseRequirement(v) !== null,
    'must be a requirement such as "requests==2.31.0" or "numpy"',
  )

const listenAddress = z.string().refine((v) => {
  const match = /^([0-9.]+):(\d{1,5})$/.exec(v)
  return (
    !!match && IPV4.test(match[1] as string) && Number(match[2]) >= 1 && Number(match[2]) <= 65535
  )
}, 'must be an IPv4 address and a port, such as "10.0.0.5:8080"')

export const mirrorSchema = z
  .object({
    ssh: sshTargetSchema,
    directory: safePath.default('/srv/pypi'),
    upstream: httpUrl.default('https://pypi.org'),
    allowNonHttps: z.boolean().default(false),
    proxy: httpUrl.nullable().default(null),
    requirements: z.array(requirementLine).max(5000).optional(),
    requirementsFile: z.string().max(4096).optional(),
    pythonVersions: z
      .array(z.string().regex(/^3\.\d{1,2}$/, 'must be a Python version such as "3.11"'))
      .min(1)
      .default(['3.11']),
    platforms: z
      .array(z.enum(['linux', 'macos', 'windows']))
      .min(1)
      .default(['linux']),
    /** The workers' CPUs: each platform is proven for each of them. */
    architectures: z
      .array(z.enum(['x86_64', 'aarch64']))
      .min(1)
      .default(['x86_64']),
    /**
     * The C library of the workers' sandboxes, which decides the manylinux (glibc) or musllinux
     * wheels pip takes there; ol-min (Ubuntu 22.04) has glibc 2.35.
     */
    libc: z
      .string()
      .regex(
        /^(glibc|musl) \d{1,2}\.\d{1,3}$/,
        'must be a C library such as "glibc 2.35" or "musl 1.2"',
      )
      .default('glibc 2.35'),
    serve: z.object({
      listen: listenAddress,
      location: z
        .string()
        .max(200)
        .refine(
          (v) => LOCATION.test(v) && !v.split('/').some((part) => part === '.' || part === '..'),
          'must start and end with "/", such as "/pypi/" (letters, digits, . _ ~ -; no ".." parts)',
        )
        .default('/pypi/'),
    }),
    pipIndexUrl: httpUrl.nullable().default(null),
    /** bandersnatch download workers (1..10). */
    syncWorkers: z.number().int().min(1).max(10).default(3),
  })
  .superRefine((mirror, ctx) => {
    if (!mirror.requirements && !mirror.requirementsFile) {
      ctx.addIssue({
        code: 'custom',
        path: ['requirements'],
        message: 'give "requirements" or "requirementsFile"',
      })
    }
    if (mirror.upstream.startsWith('http:') && !mirror.allowNonHttps) {
      ctx.addIssue({
        code: 'custom',
        path: ['upstream'],
        message: 'is plain http: set "allowNonHttps": true if that is really intended',
      })
    }
  })

export const workerSchema = z.object({
  ssh: sshTargetSchema,
  workerDir: safePath,
  ol: z
    .string()
    .max(4096)
    .refine(
      (v) => isSafeAbsolutePath(v) || /^[A-Za-z0-9._+-]+$/.test(v),
      'must be a command name or an absolute path',
    )
    .refine((v) => !v.startsWith('-'), 'must not start with "-"')
    .default('ol'),
  baseImage: z
    .string()
    .refine(
      (v) => IMAGE.test(v) && !v.split('/').some((part) => part === '.' || part === '..'),
      'must be an image name such as "ol-min" (no ".." parts)',
    )
    .default('ol-min'),
  registryRequirements: z.array(requirementLine).max(5000).optional(),
  registryRequirementsFile: z.string().max(4096).optional(),
  /** A short name for status lines; defaults to `user@host:port:workerDir`. */
  name: z
    .string()
    .max(100)
    .refine((v) => /^[A-Za-z0-9][A-Za-z0-9._@:/-]*$/.test(v), 'must be a short name')
    .optional(),
  /**
   * The mirror's address as this worker reaches it (`http://<ip>:<port><location>`), when that
   * is not the mirror's own listen address (NAT, another network).
   */
  pipMirror: httpUrl.optional(),
  /** The Python of the worker's sandboxes ("3.10" for ol-min); found on the host when absent. */
  pythonVersion: z
    .string()
    .regex(/^3\.\d{1,2}$/, 'must be a Python version such as "3.10"')
    .optional(),
})

export const siteSchema = z.object({
  name: z.string().max(100).optional(),
  mirror: mirrorSchema,
  workers: z.array(workerSchema).max(200).default([]),
})

export type SshTarget = z.infer<typeof sshTargetSchema>
export type MirrorSite = z.infer<typeof mirrorSchema>
export type WorkerSite = z.infer<typeof workerSchema>
export type Site = z.infer<typeof siteSchema>
export type SiteInput = z.input<typeof siteSchema>

export class SiteError extends Error {
  override name = 'SiteError'
  constructor(readonly problems: { field: string; message: string }[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('\n'))
  }
}

/** Validates a site description; every problem names its field (e.g. `mirror.serve.listen`). */
export function parseSite(input: unknown): Site {
  const result = siteSchema.safeParse(input)
  if (result.success) return result.data
  throw new SiteError(
    result.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || '(site)',
      message: issue.message,
    })),
  )
}

/** The mirror's public URL as pip sees it, without `/simple` and without a trailing slash. */
export function mirrorUrl(mirror: MirrorSite): string {
  return `http://${mirror.serve.listen}${mirror.serve.location.replace(/\/$/, '')}`
}
