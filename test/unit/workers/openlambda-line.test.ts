import { describe, expect, it } from 'vitest'
import {
  openLambdaBreaksMarker,
  openLambdaInstallArg,
  openLambdaInstallArgs,
} from '../../../src-main/engine/workers/openlambda-line'

describe("OpenLambda's reading of requirements.txt", () => {
  it('drops spaces, cuts comments, lowercases and turns _ into - on the whole line', () => {
    expect(openLambdaInstallArg('Typing_Extensions == 4.12.2  # via pydantic')).toBe(
      'typing-extensions==4.12.2',
    )
    expect(openLambdaInstallArg("gamma==1.0 ; python_full_version < '3.13'")).toBe(
      "gamma==1.0;python-full-version<'3.13'",
    )
    expect(openLambdaInstallArg('    # via beta')).toBe('')
  })

  it('gives one pip argument per package line, in file order', () => {
    const text = [
      '# Pinned by Pip Mirror Wizard',
      'alpha==1.1',
      'beta==2.0',
      '    # via alpha',
      '',
      'gamma==1.0\r',
    ].join('\n')
    expect(openLambdaInstallArgs(text)).toEqual(['alpha==1.1', 'beta==2.0', 'gamma==1.0'])
  })

  it('knows which markers its normalisation breaks', () => {
    expect(openLambdaBreaksMarker("winhelper==1.0 ; sys_platform == 'win32'")).toBe(true)
    expect(openLambdaBreaksMarker("gamma==1.0 ; python_full_version < '3.13'")).toBe(true)
    expect(openLambdaBreaksMarker('extra-thing==1.0 ; extra == "cli"')).toBe(false)
    expect(openLambdaBreaksMarker('alpha==1.1')).toBe(false)
  })
})
