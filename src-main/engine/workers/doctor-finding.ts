import type { Finding } from '../steps/step'

/** The seed's "Potential Issues", numbered as there, plus what a worker setup itself can lack. */
export type DoctorCause =
  /** 1. A package the worker asks for is not in the mirror at all. */
  | 'not-in-mirror'
  /** 2. A wrong pip_mirror URL, or a mirror the worker cannot read. */
  | 'mirror-unreachable'
  /** 3. Requirements without version numbers. */
  | 'unpinned'
  /** 4. The mirror lacks versions the requirements ask for. */
  | 'mirror-outdated'
  /** 5. Platform or conditional (marker) dependencies. */
  | 'platform-markers'
  /** The worker directory, config.json or requirements are not as the site wants them. */
  | 'worker-setup'
  /** The OpenLambda-style dry install failed for a reason none of the above explains. */
  | 'install-fails'
  /** This OpenLambda never passes pip_mirror to pip, and the sandboxes' pip is not pointed at the mirror. */
  | 'ignores-pip-mirror'
  /** A requirements.txt line OpenLambda will break on its way to pip (its own parsing). */
  | 'mangled-line'
  /** The sandboxes run a Python the mirror's pythonVersions do not name. */
  | 'sandbox-python'

/** The one action that fixes a finding, as data a face can offer as a button. */
export type DoctorAction =
  /** Add these pinned lines to the mirror's requirements and re-sync it (`pip-mirror apply`). */
  | { kind: 'add-to-mirror'; requirements: string[] }
  /** Recompile the worker's requirements.txt (apply the workers). */
  | { kind: 'compile-requirements' }
  /** Keep this platform / Python in the mirror and re-sync it. */
  | { kind: 'mirror-platforms'; platform: 'linux'; pythonVersion: string }
  /** nginx answered 403: the permission doctor on the mirror host takes over. */
  | { kind: 'permission-doctor'; url: string }
  /** Apply the workers (sets pip_mirror, initialises the directory, compiles). */
  | { kind: 'apply-workers' }
  /** Add the sandboxes' Python to the mirror's pythonVersions (then apply the mirror). */
  | { kind: 'add-python'; pythonVersion: string }

export interface DoctorFinding extends Finding {
  cause: DoctorCause
  action?: DoctorAction
  /** The project a requirements finding is about, PEP 503-normalised. */
  project?: string
}
