import { EngineError } from '../errors'
import { scriptCommand } from '../remote/quote'
import type { RemoteHost } from '../ssh/remote-host'
import type { MirrorSite } from '#shared/site'
import { mirrorLayout } from '../steps/mirror-layout'
import { parsePinnedRequirements, type PinnedRequirement } from '../steps/pinned-requirements'
import readPinFiles from './scripts/read-pin-files.sh?raw'

/** What the mirror is told to serve: the resolved pins, and those kept until a prune. */
export interface MirrorPins {
  /** requirements.txt as it is on the host ('' when missing). */
  pinnedText: string
  /** retained.txt as it is on the host ('' when missing). */
  retainedText: string
  pinned: PinnedRequirement[]
  /** Kept served after an update replaced or dropped them; never one that is pinned too. */
  retained: PinnedRequirement[]
}

function decoded(line: string | undefined): string | null {
  return line === undefined || line === '-' ? null : Buffer.from(line, 'base64').toString('utf8')
}

export async function readMirrorPins(host: RemoteHost, mirror: MirrorSite): Promise<MirrorPins> {
  const layout = mirrorLayout(mirror)
  const result = await host.read(
    scriptCommand(readPinFiles, [layout.requirementsTxt, layout.retainedTxt]),
    { quiet: true },
  )
  const [pinnedLine, retainedLine] = result.stdout.split('\n')
  const pinnedText = decoded(pinnedLine)
  if (result.code !== 0 || pinnedText === null)
    throw new EngineError(`${layout.requirementsTxt} is not there: the mirror has no pins yet`, {
      host: host.label,
      hint: 'set the mirror up first (the wizard, or `pip-mirror apply`)',
    })
  const retainedText = decoded(retainedLine) ?? ''
  const pinned = parsePinnedRequirements(pinnedText)
  const pinnedKeys = new Set(pinned.map(pinKey))
  return {
    pinnedText,
    retainedText,
    pinned,
    retained: parsePinnedRequirements(retainedText).filter((p) => !pinnedKeys.has(pinKey(p))),
  }
}

export function pinKey(pin: Pick<PinnedRequirement, 'name' | 'version'>): string {
  return `${pin.name}==${pin.version}`
}
