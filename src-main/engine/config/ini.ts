import { ConfigInputError } from './config-input-error'

/**
 * Values for an INI file read by Python's configparser (default options, as bandersnatch uses
 * it). A value is one line: a line break would start a new key or section, so it is refused.
 * configparser strips surrounding whitespace and treats `%` as interpolation, so the first is
 * refused and the second doubled.
 */

export function iniValue(field: string, value: string): string {
  if (value.length === 0) throw new ConfigInputError(field, 'must not be empty')
  if ([...value].some(isLineBreakOrControl)) {
    throw new ConfigInputError(
      field,
      `must be one line without control characters: ${JSON.stringify(value)}`,
    )
  }
  if (value.trim() !== value) {
    throw new ConfigInputError(field, `must not start or end with spaces: ${JSON.stringify(value)}`)
  }
  return value.replace(/%/g, '%%')
}

/** `key = value` */
export function iniSetting(key: string, field: string, value: string): string {
  return `${key} = ${iniValue(field, value)}`
}

/** `key =` followed by one indented continuation line per item: a multi-line value. */
export function iniList(key: string, field: string, items: readonly string[]): string {
  if (items.length === 0) throw new ConfigInputError(field, 'must list at least one item')
  return [`${key} =`, ...items.map((item) => `    ${iniValue(field, item)}`)].join('\n')
}

/** Control characters, and the line separators some readers split lines at. */
function isLineBreakOrControl(char: string): boolean {
  const code = char.codePointAt(0) ?? 0
  return code < 0x20 || code === 0x7f || code === 0x85 || code === 0x2028 || code === 0x2029
}
