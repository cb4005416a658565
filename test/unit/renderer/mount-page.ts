import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import type { Component } from 'vue'
import { createMemoryHistory, type Router } from 'vue-router'
import { createAppRouter } from '@/router'

/** A page mounted as the app would show it: its own Pinia and router, in the document body. */
export async function mountPage(
  page: Component,
  path: string,
  props: Record<string, unknown> = {},
  pinia: Pinia = createPinia(),
) {
  setActivePinia(pinia)
  const router: Router = createAppRouter(createMemoryHistory())
  await router.push(path)
  await router.isReady()
  const wrapper = mount(page, {
    props,
    global: { plugins: [pinia, router] },
    attachTo: document.body,
  })
  await flushPromises()
  return { wrapper, router, pinia }
}
