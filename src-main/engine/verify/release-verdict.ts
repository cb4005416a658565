import { parsePinLine } from './pin-line'
import { pinKey, type BuildSystems } from './build-systems'
import { classifyFile, type DistFile, type IndexFile } from './index-page'
import type { CellState } from './matrix-types'
import { evaluateMarkerAcross } from './markers'
import { specifierSetContains, versionsEqual } from './pep440'
import { parseWheelName, tagRanks, wheelRank } from './tags'
import { markerEnvironments, requiresPythonVersion, targetLabel, type Target } from './targets'
import { noFileFix } from './no-file-fix'

/** A project's page as the mirror served it. */
export interface ProjectPage {
  url: string
  /** HTTP status; 0 when nothing answered. */
  status: number
  error: string | null
  files: IndexFile[]
}

export interface VerdictInput {
  pages: ReadonlyMap<string, ProjectPage>
  buildSystems: BuildSystems | null
  /** Answers to HEAD of the files verdicts rely on; absent before they are asked. */
  fileStatus: ReadonlyMap<string, number> | null
}

export interface Verdict {
  state: Exclude<CellState, 'not-needed'>
  file: DistFile | null
  via: 'wheel' | 'sdist' | null
  reason: string
  fix: string | null
  /** Every file URL this verdict relies on (the file, and a built sdist's backend files). */
  files: string[]
}

/** The backend closure is resolved to this depth at most (a backend built from its own sdist). */
const MAX_BUILD_DEPTH = 3

function served(page: ProjectPage | undefined, name: string): string | null {
  if (!page) return `the mirror was not asked for ${name}'s page`
  if (page.status === 200) return null
  return `GET ${page.url} answers ${page.status ? `HTTP ${page.status}` : `nothing (${page.error ?? 'no answer'})`}`
}

function pageFix(page: ProjectPage | undefined): string {
  if (page?.status === 403)
    return "nginx may not read the mirror's files: run `pip-mirror doctor` and repair the permissions"
  if (page?.status === 404)
    return 'apply again from the sync step: bandersnatch has not mirrored this project'
  return 'check that nginx runs and serves the mirror (pip-mirror status)'
}

function allowedOn(file: DistFile, target: Target): boolean {
  if (!file.requiresPython) return true
  // pip ignores a requires-python it cannot parse.
  return specifierSetContains(file.requiresPython, requiresPythonVersion(target)) !== false
}

function fileNotServed(
  file: DistFile,
  input: VerdictInput,
): { reason: string; fix: string } | null {
  const status = input.fileStatus?.get(file.url)
  if (status === undefined || status === 200) return null
  return {
    reason: `the page links ${file.filename} but GET ${file.url} answers ${status ? `HTTP ${status}` : 'nothing'}`,
    fix:
      status === 403
        ? "nginx may not read the mirror's files: run `pip-mirror doctor` and repair the permissions"
        : 'apply again from the sync step: the file is missing from the mirror',
  }
}

/** What pip does with one release on one target: which file it takes, or why none fits. */
export function releaseVerdict(
  name: string,
  version: string,
  target: Target,
  input: VerdictInput,
  depth = 0,
): Verdict {
  const page = input.pages.get(name)
  const pageProblem = served(page, name)
  if (pageProblem || !page)
    return {
      state: 'not-served',
      file: null,
      via: null,
      reason: pageProblem ?? '',
      fix: pageFix(page),
      files: [],
    }
  const files = page.files
    .map((file) => classifyFile(file, name))
    .filter((file): file is DistFile => !!file && versionsEqual(file.version, version))
  if (files.length === 0) {
    const others = [
      ...new Set(page.files.map((f) => classifyFile(f, name)?.version).filter(Boolean)),
    ]
    return {
      state: 'not-served',
      file: null,
      via: null,
      reason: `${page.url} lists no file of ${name} ${version}${others.length ? ` (only ${others.join(', ')})` : ''}`,
      fix: 'apply again from the sync step: bandersnatch has not mirrored this release',
      files: [],
    }
  }
  const ranks = tagRanks(target)
  const wheels = files
    .filter((f) => f.kind === 'wheel')
    .map((f) => ({ f, rank: wheelRank(parseWheelName(f.filename)!, ranks) }))
    .filter((w) => w.rank >= 0)
    .sort((a, b) => a.rank - b.rank)
    .map((w) => w.f)
  const wheel = wheels.find((f) => allowedOn(f, target))
  if (wheel) {
    const missing = fileNotServed(wheel, input)
    if (missing)
      return { state: 'not-served', file: wheel, via: 'wheel', ...missing, files: [wheel.url] }
    return {
      state: 'installs',
      file: wheel,
      via: 'wheel',
      reason: `installs ${wheel.filename}`,
      fix: null,
      files: [wheel.url],
    }
  }
  const sdists = files.filter((f) => f.kind === 'sdist')
  const sdist = sdists.find((f) => allowedOn(f, target))
  if (sdist) return sdistVerdict(name, version, sdist, target, input, depth)
  const excluded = [...wheels, ...sdists][0]
  if (excluded)
    return {
      state: 'requires-python',
      file: excluded,
      via: null,
      reason: `${name} ${version} requires Python ${excluded.requiresPython} (${excluded.filename}): not CPython ${target.python}`,
      fix: `change the pin: choose a release of ${name} that supports Python ${target.python}, or drop ${target.python} from pythonVersions`,
      files: [],
    }
  return {
    state: 'no-file',
    file: null,
    via: null,
    reason: `no file of ${name} ${version} installs on ${targetLabel(target)}: the mirror has ${files
      .slice(0, 4)
      .map((f) => f.filename)
      .join(', ')}${files.length > 4 ? ` and ${files.length - 4} more` : ''}`,
    fix: noFileFix(name, version, files, target),
    files: [],
  }
}

function sdistVerdict(
  name: string,
  version: string,
  sdist: DistFile,
  target: Target,
  input: VerdictInput,
  depth: number,
): Verdict {
  const missing = fileNotServed(sdist, input)
  if (missing)
    return { state: 'not-served', file: sdist, via: 'sdist', ...missing, files: [sdist.url] }
  const system = input.buildSystems?.[pinKey(name, version)]
  if (!system)
    return {
      state: 'backend-missing',
      file: sdist,
      via: 'sdist',
      reason: `only the sdist ${sdist.filename} fits here, and its build backend is not recorded with the mirror's requirements`,
      fix: "add the backend: apply again from the requirements step (it reads the sdist's build-system.requires and mirrors that backend)",
      files: [sdist.url],
    }
  const lacking: string[] = []
  const files = [sdist.url]
  const environments = markerEnvironments(target)
  for (const line of system.closure) {
    const pin = parsePinLine(line)
    if (!pin) continue
    if (pin.marker && evaluateMarkerAcross(pin.marker, environments) === false) continue
    const verdict =
      depth >= MAX_BUILD_DEPTH
        ? null
        : releaseVerdict(pin.name, pin.version, target, input, depth + 1)
    if (verdict?.state === 'installs') files.push(...verdict.files)
    else lacking.push(`${pin.name}==${pin.version}`)
  }
  const requires = system.requires.join(', ') || '(nothing)'
  if (lacking.length > 0)
    return {
      state: 'backend-missing',
      file: sdist,
      via: 'sdist',
      reason: `only the sdist ${sdist.filename} fits here; pip builds it with ${requires}, and the mirror lacks ${lacking.join(', ')} for this target`,
      fix: `add the backend: add ${lacking.join(', ')} to the mirror (apply again from the requirements step, which resolves sdists' backends) and sync again`,
      files,
    }
  return {
    state: 'installs',
    file: sdist,
    via: 'sdist',
    reason: `builds ${sdist.filename} with ${requires} (${system.source}), all served by the mirror`,
    fix: null,
    files,
  }
}
