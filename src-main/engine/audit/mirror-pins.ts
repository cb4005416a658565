import { EngineError } from '../errors'
import { scriptCommand } from '../remote/quote'
import type { RemoteHost } from '../ssh/remote-host'
import type { MirrorSite } from '../site'
import { mirrorLayout } from '../steps/mirror-layout'
import { parsePinnedRequirements, type PinnedRequirement } from '../steps/pinned-requirements'

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

const SEPARATOR = '#--- pip-mirror-wizard: retained.txt ---'

/** Both files in one command: `missing` when requirements.txt is not there. */
const READ_PIN_FILES = `
[ -f "$1" ] || { echo missing; exit 0; }
echo present
cat -- "$1"
printf '\\n%s\\n' "$3"
cat -- "$2" 2>/dev/null || true
`

export async function readMirrorPins(host: RemoteHost, mirror: MirrorSite): Promise<MirrorPins> {
  const layout = mirrorLayout(mirror)
  const result = await host.exec(
    scriptCommand(READ_PIN_FILES, [layout.requirementsTxt, layout.retainedTxt, SEPARATOR]),
    { quiet: true },
  )
  const [head, ...rest] = result.stdout.split('\n')
  if (result.code !== 0 || head !== 'present')
    throw new EngineError(`${layout.requirementsTxt} is not there: the mirror has no pins yet`, {
      host: host.label,
      hint: 'set the mirror up first (the wizard, or `pip-mirror apply`)',
    })
  const body = rest.join('\n')
  const at = body.lastIndexOf(`\n${SEPARATOR}\n`)
  const pinnedText = body.slice(0, at).replace(/\n$/, '')
  const retainedText = body.slice(at + SEPARATOR.length + 2)
  const pinned = parsePinnedRequirements(pinnedText)
  const pinnedKeys = new Set(pinned.map(pinKey))
  return {
    pinnedText: pinnedText ? `${pinnedText}\n` : '',
    retainedText,
    pinned,
    retained: parsePinnedRequirements(retainedText).filter((p) => !pinnedKeys.has(pinKey(p))),
  }
}

export function pinKey(pin: Pick<PinnedRequirement, 'name' | 'version'>): string {
  return `${pin.name}==${pin.version}`
}
