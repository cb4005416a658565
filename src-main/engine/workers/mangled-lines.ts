import type { DoctorFinding } from './doctor-finding'
import { openLambdaBreaksMarker, openLambdaInstallArg } from './openlambda-line'

/**
 * Why OpenLambda's own parsing (parseMeta: spaces dropped, cut at `#`, the whole line lowercased,
 * `_` turned into `-`, each line one `pip install --no-deps` argument) breaks a line; null when
 * the argument pip gets still means what the line meant. Markers are the platform finding's.
 */
export function openLambdaMangling(line: string): string | null {
  const text = line.split('#')[0]?.trim() ?? ''
  if (!text) return null
  const arg = openLambdaInstallArg(line)
  if (/\\$/.test(text))
    return 'a continued line: OpenLambda installs each line on its own, so this one and the next are two broken arguments'
  if (/^--?hash\b/.test(text))
    return 'a hash line: OpenLambda passes it to pip as if it were a package'
  if (/^-[re]\b|^--(requirement|editable)\b/.test(text))
    return `an include or editable line: pip gets "${arg}", a file or path that does not exist in the sandbox`
  if (/^-/.test(text)) return `an option line: pip gets "${arg}" as the package to install`
  if (/@\s*\w+:\/\//.test(text) && arg !== text.replace(/ /g, ''))
    return `a URL requirement: OpenLambda lowercases the URL (pip gets "${arg}")`
  if (/\s--?hash[=\s]/.test(text))
    return 'a requirement with --hash: OpenLambda passes it as one argument pip refuses'
  return null
}

/** The lines of a worker's requirements.txt that OpenLambda will mangle, as doctor findings. */
export function mangledLineFindings(text: string, path: string): DoctorFinding[] {
  return text.split('\n').flatMap((line, i) => {
    const why = openLambdaMangling(line.replace(/\r$/, ''))
    if (!why || openLambdaBreaksMarker(line)) return []
    return [
      {
        severity: 'blocker' as const,
        cause: 'mangled-line' as const,
        title: `Line ${i + 1} of requirements.txt is ${why.split(':')[0]} that OpenLambda breaks`,
        evidence: `${path}:${i + 1}: ${line.trim()} → pip install --no-deps "${openLambdaInstallArg(line)}" (${why})`,
        fix: 'compile requirements.txt from requirements.in (apply the workers): one pinned name==version per line, nothing else',
        action: { kind: 'compile-requirements' as const },
      },
    ]
  })
}
