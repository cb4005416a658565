// Types for toolchain-node.mjs (plain JavaScript so that any Node runs it), for the unit tests.
export const projectRoot: string
export function nodePackageFor(
  platform: string,
  arch: string,
): { name: string; bin: string } | undefined
export function satisfiesRange(version: string, range: string): boolean
export function readToolchainRequirement(root?: string): { range: string; pinned: string }
export type NodeChoice =
  | { use: 'running' }
  | {
      use: 'cache'
      version: string
      package: string | undefined
      dir: string
      bin: string | undefined
    }
export function chooseNode(options: {
  running: string
  range: string
  pinned: string
  platform: string
  arch: string
  root?: string
}): NodeChoice
export function toolchainNodeDir(root?: string): string | undefined
