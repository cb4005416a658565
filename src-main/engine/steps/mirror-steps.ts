import { bandersnatchConfigStep } from './bandersnatch-config'
import { installToolsStep } from './install-tools'
import { nginxStep } from './nginx'
import { preflightStep } from './preflight'
import { requirementsStep } from './requirements'
import type { Step } from './step'
import { syncStep } from './sync'
import { verifyMirrorStep } from './verify-mirror'

/** From a bare Debian/Ubuntu host to a verified pip mirror, in order. */
export const MIRROR_STEPS: readonly Step[] = [
  preflightStep,
  installToolsStep,
  requirementsStep,
  bandersnatchConfigStep,
  syncStep,
  nginxStep,
  verifyMirrorStep,
]
