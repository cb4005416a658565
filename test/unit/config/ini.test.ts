import { describe, expect, it } from 'vitest'
import { ConfigInputError } from '../../../src-main/engine/config/config-input-error'
import { iniList, iniSetting, iniValue } from '../../../src-main/engine/config/ini'

describe('iniValue', () => {
  it.each([
    ['a line feed', 'a\nb = c'],
    ['a carriage return', 'a\r[section]'],
    ['a NUL', 'a\0b'],
    ['a tab', 'a\tb'],
    ['a line separator', 'a\u2028b'],
    ['leading spaces', ' a'],
    ['trailing spaces', 'a '],
    ['nothing', ''],
  ])('refuses %s', (_name, value) => {
    expect(() => iniValue('field', value)).toThrow(ConfigInputError)
  })

  it('doubles % for configparser interpolation', () => {
    expect(iniValue('proxy', 'http://u:p%40ss@h:1')).toBe('http://u:p%%40ss@h:1')
  })

  it('writes settings and indented lists', () => {
    expect(iniSetting('workers', 'workers', '3')).toBe('workers = 3')
    expect(iniList('enabled', 'plugins', ['a', 'b'])).toBe('enabled =\n    a\n    b')
    expect(() => iniList('enabled', 'plugins', [])).toThrow(/at least one/)
  })
})
