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
import DashboardView from './views/DashboardView.vue'
import HistoryView from './views/HistoryView.vue'
import StartView from './views/StartView.vue'

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

/**
 * Hash history by default: the built page is loaded from file://, where paths cannot route. The
 * start screen lists the sites; each has a dashboard; the wizard's pages work on the open site.
 */
export function createAppRouter(history: RouterHistory = createWebHashHistory()): Router {
  const routes: RouteRecordRaw[] = [
    { path: '/', name: 'sites', component: StartView, meta: { area: 'sites' } },
    {
      path: '/sites/:siteId',
      name: 'dashboard',
      component: DashboardView,
      props: true,
      meta: { area: 'dashboard' },
    },
    { path: '/history', name: 'history', component: HistoryView, meta: { area: 'history' } },
    ...WIZARD_STEPS.map((step) => ({
      path: `/${step.id}`,
      name: step.id,
      component: viewForStep[step.id],
      meta: { stepId: step.id, area: 'wizard' as const },
    })),
    { path: '/:unknown(.*)*', redirect: '/' },
  ]
  return createRouter({ history, routes })
}
