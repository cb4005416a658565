/**
 * Removes secrets from anything the app records (history, exports). A secret is removed wherever
 * it appears, inside longer words too: a password that happens to be part of another word is
 * still the password. It is also found in the forms it takes on the way into a log: escaped in
 * JSON (once, or inside another JSON string), shell-quoted, URL-encoded, and line by line when
 * it spans lines.
 */
export const REDACTED = '[REDACTED]'

/** Lines of a multi-line secret shorter than this are not removed on their own. */
const MIN_SECRET_LINE = 4

function jsonInner(text: string): string {
  return JSON.stringify(text).slice(1, -1)
}

/** Every form a secret may take in recorded text. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>()
  const add = (form: string): void => {
    if (form.trim()) forms.add(form)
  }
  const variants = [secret, secret.replace(/\r\n/g, '\n'), secret.replace(/\r?\n/g, '\r\n')]
  for (const value of variants) {
    add(value)
    add(jsonInner(value))
    add(jsonInner(jsonInner(value)))
    add(value.replace(/'/g, `'\\''`))
    add(encodeURIComponent(value))
  }
  if (/[\r\n]/.test(secret))
    for (const line of secret.split(/\r?\n/))
      if (line.trim().length >= MIN_SECRET_LINE) {
        add(line)
        add(jsonInner(line))
      }
  return [...forms]
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
}

/**
 * `PIP_MIRROR_SSH_PASSWORD=…`, `PIP_MIRROR_SUDO_PASSWORD='…'`, `"PIP_MIRROR_KEY_PASSPHRASE": "…"`
 * and the like: the value goes whatever it is, known or not. Quoted values keep their quotes.
 */
const PASSWORD_ASSIGNMENT = new RegExp(
  [
    String.raw`(PIP_MIRROR_[A-Z0-9_]*(?:PASSWORD|PASSPHRASE)(?:\\?")?\s*[=:]\s*)`,
    '(',
    [
      String.raw`\\"(?:(?!\\").)*\\"`, // inside a JSON string: \"…\"
      String.raw`"(?:[^"\\\n]|\\.)*"`,
      String.raw`'(?:[^'\n]|'\\'')*'`, // shell quoting, 'it'\''s' included
      String.raw`[^\s'"]+`,
    ].join('|'),
    ')',
  ].join(''),
  'gi',
)

function redactAssignments(text: string): string {
  return text.replace(PASSWORD_ASSIGNMENT, (_match, prefix: string, value: string) => {
    const quote = value.startsWith('\\"') ? '\\"' : /^["']/.test(value) ? (value[0] as string) : ''
    return `${prefix}${quote}${REDACTED}${quote}`
  })
}

export type Redact = (text: string) => string

/**
 * A function that removes the given secrets (empty or blank ones are ignored) and every
 * password assignment from a text. Idempotent: what it marks is never touched again.
 */
export function createRedactor(secrets: readonly (string | null | undefined)[]): Redact {
  const forms = [
    ...new Set(secrets.filter((s): s is string => !!s && !!s.trim()).flatMap(secretForms)),
  ]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
  const known = forms.length > 0 ? new RegExp(forms.join('|'), 'g') : null
  return (text) =>
    text
      .split(REDACTED)
      .map((piece) => redactAssignments(known ? piece.replace(known, () => REDACTED) : piece))
      .join(REDACTED)
}

/** The same, through every string of a JSON-like value. */
export function redactDeep<T>(value: T, redact: Redact): T {
  if (typeof value === 'string') return redact(value) as T
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, redact)) as T
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact)]),
    ) as T
  return value
}

/** The secrets the `pip-mirror` command reads from its environment. */
export function secretsFromEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([key]) => /^PIP_MIRROR_[A-Z0-9_]*(PASSWORD|PASSPHRASE)$/.test(key))
    .map(([, value]) => value ?? '')
    .filter(Boolean)
}
