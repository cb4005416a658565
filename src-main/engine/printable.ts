/**
 * Text from hosts (bandersnatch, nginx, uv, file names, config files) is shown to people in a
 * terminal and on the app's page. Control characters there can rewrite what the person sees: ANSI
 * escape sequences move the cursor, clear lines or set a window title; a carriage return or
 * backspaces overwrite what came before; bidi overrides (the "Trojan Source" characters) show text
 * in another order than it is. `printable` removes all of them; tab and newline stay.
 */

/** ESC sequences: CSI (`ESC [ ... final`), OSC/DCS/PM/APC strings up to BEL or ST, and ESC + one. */
const ESCAPE_SEQUENCE =
  // eslint-disable-next-line no-control-regex
  /\x1b(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|[ -~]?)|\x9b[0-?]*[ -/]*[@-~]?/g

/**
 * C0 controls but tab and newline, DEL, C1 controls, and the bidi controls: embeddings and
 * overrides (U+202A-202E), isolates (U+2066-2069), and the marks LRM, RLM and ALM.
 */
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g
// eslint-disable-next-line no-control-regex
const HIDDEN_TEST = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/

/** The text without escape sequences, control characters (but tab and newline) or bidi controls. */
export function printable(text: string): string {
  if (!HIDDEN_TEST.test(text)) return text
  return text.replace(ESCAPE_SEQUENCE, '').replace(HIDDEN, '')
}

/** `printable` applied to every string inside a JSON-like value (events, views). */
export function printableDeep<T>(value: T): T {
  if (typeof value === 'string') return printable(value) as T
  if (Array.isArray(value)) return value.map((item: unknown) => printableDeep(item)) as T
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, printableDeep(item)]),
    ) as T
  return value
}

/**
 * For machine-readable output (JSON lines), where removing would change the data: every hidden
 * character but tab, newline, carriage return and ESC is written as a `\uXXXX` escape instead.
 * Inside a JSON string that is the same value; outside one it is visible, never obeyed.
 */
export function escapeHidden(text: string): string {
  if (!HIDDEN_TEST.test(text)) return text
  return text.replace(HIDDEN, (c) =>
    c === '\r' || c === '\x1b' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}
