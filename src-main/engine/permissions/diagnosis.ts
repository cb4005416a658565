import type { Finding } from '../steps/step'
import type { Confinement } from './confinement'
import type { HttpProbe } from './http-probe'
import type { NginxProcess } from './nginx-user'
import type { NginxSiteCheck } from './nginx-site-check'
import type { PathWalk } from './path-walk'
import type { SelinuxCheck } from './selinux'
import type { TreeScan } from './tree-scan'

/** What a finding is about, for the code that acts on it (the title is for people). */
export type Cause =
  | 'nginx-user-unknown'
  | 'nginx-not-running'
  | 'site-missing'
  | 'site-not-enabled'
  | 'site-other-file'
  | 'no-location'
  | 'no-alias'
  | 'alias-slash'
  | 'alias-elsewhere'
  | 'not-listening'
  | 'path-blocked'
  | 'path-missing'
  | 'files-unreadable'
  | 'directories-closed'
  | 'scan-incomplete'
  | 'symlink-outside'
  | 'refused-location'
  | 'served-elsewhere'
  | 'foreign-entries'
  | 'shared-links'
  | 'other-filesystems'
  | 'special-entries'
  | 'selinux'
  | 'unexplained-http'
  | 'healthy'

export interface PermissionFinding extends Finding {
  cause: Cause
  /** The path a finding is about, when it is about one (a directory on the way). */
  subject?: string
}

/** Everything the doctor learned about why the mirror does (or does not) answer. */
export interface MirrorDiagnosis {
  host: string
  /** `<mirror.directory>`: what bandersnatch owns and writes. */
  mirrorDir: string
  /** `<mirror.directory>/web`: what nginx serves. */
  webRoot: string
  /** Their real paths, and whether the repair may act there (and why not). */
  confinement: Confinement
  /** The mirror's URL as asked from the host itself, ending in `/`. */
  baseUrl: string
  nginx: NginxProcess
  /** null when nginx's user is unknown (nothing can be judged without it). */
  path: PathWalk | null
  /**
   * null when the served directory does not exist, nginx's user is unknown, or the repair
   * refuses to act there (a system location is never scanned as if it were the mirror).
   */
  tree: TreeScan | null
  nginxSite: NginxSiteCheck
  selinux: SelinuxCheck
  /** The URLs asked, and what nginx answered. */
  http: HttpProbe[]
  findings: PermissionFinding[]
  /** Nothing blocks and every URL asked answered 200. */
  healthy: boolean
}

export type DiagnosisFacts = Omit<MirrorDiagnosis, 'findings' | 'healthy'>
