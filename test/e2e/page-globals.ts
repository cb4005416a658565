import type { PipMirrorBridge } from '#shared/ipc/contract'

/**
 * The few browser globals the e2e tests touch inside `page.evaluate`, typed by hand: test/e2e
 * compiles with the Node project, which has no DOM library. Use as `pageGlobals()` inside the
 * evaluated function (it is serialised, so it cannot close over imports).
 */
export interface PageGlobals {
  pipMirror?: PipMirrorBridge
  receivedEvents?: unknown[]
  inlineScriptRan?: boolean
  document: {
    head: { append(node: object): void }
    createElement(tag: 'script'): { textContent: string | null }
    addEventListener(
      type: 'securitypolicyviolation',
      listener: (event: { effectiveDirective: string }) => void,
    ): void
  }
}
