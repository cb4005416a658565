import { SiteError, type Site } from '../engine/site'

/**
 * Saved sites never hold secrets. The schema has no place for a password, but a URL can carry
 * one (`http://user:password@proxy:3128`): such a site is refused, not saved.
 */
export function checkNoSecrets(site: Site): void {
  const urls: [string, string | null | undefined][] = [
    ['mirror.upstream', site.mirror.upstream],
    ['mirror.proxy', site.mirror.proxy],
    ['mirror.pipIndexUrl', site.mirror.pipIndexUrl],
    ...site.workers.map((w, i): [string, string | undefined] => [
      `workers.${i}.pipMirror`,
      w.pipMirror,
    ]),
  ]
  const problems = urls
    .filter(([, url]) => {
      if (!url) return false
      try {
        return new URL(url).password !== ''
      } catch {
        return false
      }
    })
    .map(([field]) => ({
      field,
      message:
        'holds a password: saved sites never keep secrets; give the URL without it and keep the password in the keychain',
    }))
  if (problems.length > 0) throw new SiteError(problems)
}
