import { EngineError } from '../errors'
import { readRemoteFile } from '../ssh/files'
import type { MirrorLayout } from '../steps/mirror-layout'
import type { StepContext } from '../steps/step'

/** A schedule or a sync needs a mirror that was set up: its bandersnatch.conf is there. */
export async function requireMirrorConfig(ctx: StepContext, layout: MirrorLayout): Promise<void> {
  if ((await readRemoteFile(ctx.host, layout.conf)) === null)
    throw new EngineError(`There is no mirror in ${layout.dir} yet (no ${layout.conf})`, {
      host: ctx.host.label,
      hint: 'set the mirror up first: run the wizard, or `pip-mirror apply`',
    })
}
