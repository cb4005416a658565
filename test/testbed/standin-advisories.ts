import { readFile, rename, writeFile } from 'node:fs/promises'

/** One advisory as PyPI's JSON API lists it under `vulnerabilities`. */
export interface StandinAdvisory {
  id: string
  aliases?: string[]
  summary?: string
  details?: string
  fixed_in?: string[]
  withdrawn?: string | null
}

export interface StandinLicense {
  license: string | null
  license_expression: string | null
  classifiers: string[]
}

interface AdvisoriesFile {
  licenses?: Record<string, StandinLicense>
  yanked?: Record<string, string>
  vulnerabilities?: Record<string, StandinAdvisory[]>
}

/**
 * What the PyPI stand-in's JSON API says about releases beyond their files (the file its
 * `--advisories` option names; test/standins/pypi/advisories.py reads it on every change): a
 * test yanks a release or publishes an advisory and watches the audit and the update react.
 */
export class StandinAdvisories {
  constructor(readonly path: string) {}

  private async read(): Promise<AdvisoriesFile> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as AdvisoriesFile
    } catch {
      return {}
    }
  }

  private async change(edit: (data: AdvisoriesFile) => void): Promise<void> {
    const data = await this.read()
    edit(data)
    // The server compares modification times: a rename makes the change one event.
    const temp = `${this.path}.tmp`
    await writeFile(temp, JSON.stringify(data, null, 2))
    await rename(temp, this.path)
  }

  /** Yanks `name==version` (the release and all its files, as PyPI does). */
  yank(pin: string, reason: string): Promise<void> {
    return this.change((data) => {
      data.yanked = { ...data.yanked, [pin]: reason }
    })
  }

  /** Publishes an advisory against `name==version`. */
  publishAdvisory(pin: string, advisory: StandinAdvisory): Promise<void> {
    return this.change((data) => {
      const list = (data.vulnerabilities ??= {})
      list[pin] = [...(list[pin] ?? []), advisory]
    })
  }

  /** Sets the licence fields of a project (`alpha`) or of one release (`alpha==1.0`). */
  setLicense(key: string, license: StandinLicense): Promise<void> {
    return this.change((data) => {
      data.licenses = { ...data.licenses, [key]: license }
    })
  }

  clear(): Promise<void> {
    return this.change((data) => {
      delete data.yanked
      delete data.vulnerabilities
      delete data.licenses
    })
  }
}
