/// <reference types="vite/client" />
import type { PipMirrorBridge } from '../../src-main/ipc-contract'
import type { WizardStepId } from './steps'

declare global {
  interface Window {
    /** Exposed by src-main/preload.ts; absent when the page runs outside the app's window. */
    pipMirror?: PipMirrorBridge
  }
}

declare module 'vue-router' {
  interface RouteMeta {
    stepId?: WizardStepId
  }
}

export {}
