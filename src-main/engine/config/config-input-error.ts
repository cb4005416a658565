/**
 * A value that a configuration file cannot safely hold. `field` names the input (as the site
 * description spells it where there is one), so a face can point at what to correct.
 */
export class ConfigInputError extends Error {
  override name = 'ConfigInputError'
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`)
  }
}
