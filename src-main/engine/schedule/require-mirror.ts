import { EngineError } from '../errors'
import type { HostState } from '../plan/host-state'
import type { MirrorLayout } from '../steps/mirror-layout'

/** A schedule or a sync needs a mirror that was set up: its bandersnatch.conf is there. */
export function requireMirrorConfig(state: HostState, layout: MirrorLayout, host: string): void {
  if (state.file(layout.conf).status === 'absent')
    throw new EngineError(`There is no mirror in ${layout.dir} yet (no ${layout.conf})`, {
      host,
      hint: 'set the mirror up first: run the wizard, or `pip-mirror apply`',
    })
}
