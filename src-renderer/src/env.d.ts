/// <reference types="vite/client" />
import type { PipMirrorBridge } from '#shared/ipc/contract'
import type { WizardStepId } from './steps'

declare global {
  interface Window {
    /** Exposed by src-preload/index.ts; absent when the page runs outside the app's window. */
    pipMirror?: PipMirrorBridge
  }
}

declare module 'vue-router' {
  interface RouteMeta {
    stepId?: WizardStepId
    /** Which part of the app the page belongs to (the side navigation marks it). */
    area?: 'sites' | 'dashboard' | 'history' | 'wizard'
  }
}

export {}
