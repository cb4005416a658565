/** What the bench page and its driver (bench/log-view.ts) agree on. */

export type Variant = 'virtual' | 'plain'

export interface TrialResult {
  frames: number
  p95FrameMs: number
  maxFrameMs: number
  fed: number
  shown: number
  /** Only for a preloaded log: from the lines being there to the first frame showing them. */
  firstFrameMs?: number
}
