import type { Component } from 'vue'
import {
  createRouter,
  createWebHashHistory,
  type Router,
  type RouterHistory,
  type RouteRecordRaw,
} from 'vue-router'
import { WIZARD_STEPS, type WizardStepId } from './steps'
import ConnectView from './views/ConnectView.vue'
import CheckHostView from './views/CheckHostView.vue'
import PackagesView from './views/PackagesView.vue'
import MirrorView from './views/MirrorView.vue'
import ServeView from './views/ServeView.vue'
import VerifyView from './views/VerifyView.vue'
import WorkersView from './views/WorkersView.vue'
import DoneView from './views/DoneView.vue'

const viewForStep: Record<WizardStepId, Component> = {
  connect: ConnectView,
  'check-host': CheckHostView,
  packages: PackagesView,
  mirror: MirrorView,
  serve: ServeView,
  verify: VerifyView,
  workers: WorkersView,
  done: DoneView,
}

/** Hash history by default: the built page is loaded from file://, where paths cannot route. */
export function createAppRouter(history: RouterHistory = createWebHashHistory()): Router {
  const firstStep = `/${WIZARD_STEPS[0].id}`
  const routes: RouteRecordRaw[] = [
    { path: '/', redirect: firstStep },
    ...WIZARD_STEPS.map((step) => ({
      path: `/${step.id}`,
      name: step.id,
      component: viewForStep[step.id],
      meta: { stepId: step.id },
    })),
    { path: '/:unknown(.*)*', redirect: firstStep },
  ]
  return createRouter({ history, routes })
}
