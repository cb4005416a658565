/**
 * What OpenLambda hands to `pip install --no-deps` for one line of a lambda's requirements.txt:
 * it drops every space, cuts at `#`, lowercases the line and turns `_` into `-` (its package-name
 * normalisation, applied to the whole line). Empty lines are skipped.
 */
export function openLambdaInstallArg(line: string): string {
  const withoutSpaces = line.replace(/ /g, '')
  const beforeComment = withoutSpaces.split('#')[0] ?? ''
  return beforeComment.toLowerCase().replace(/_/g, '-')
}

/** The install arguments OpenLambda derives from a requirements.txt, in file order. */
export function openLambdaInstallArgs(requirementsText: string): string[] {
  return requirementsText
    .split('\n')
    .map((line) => openLambdaInstallArg(line.replace(/\r$/, '')))
    .filter((arg) => arg !== '')
}

/** True when OpenLambda's normalisation changes the line's environment marker (it breaks it). */
export function openLambdaBreaksMarker(line: string): boolean {
  const semicolon = line.indexOf(';')
  if (semicolon < 0) return false
  const marker = (line.slice(semicolon + 1).split('#')[0] ?? '').replace(/ /g, '')
  return openLambdaInstallArg(marker) !== marker
}
