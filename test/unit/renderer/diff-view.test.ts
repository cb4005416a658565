import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import DiffView from '@/components/DiffView.vue'

describe('DiffView', () => {
  it('marks each line of a unified diff by what it is', () => {
    const diff = '--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n same\n-old\n+new\n'
    const wrapper = mount(DiffView, { props: { diff } })
    const kinds = wrapper
      .findAll('.diff-view__line')
      .map((line) => line.classes().find((c) => c.startsWith('is-')))
    expect(kinds).toEqual(['is-meta', 'is-meta', 'is-hunk', 'is-same', 'is-del', 'is-add'])
    expect(wrapper.findAll('.diff-view__line').map((line) => line.text())).toEqual([
      '--- a/x',
      '+++ b/x',
      '@@ -1,2 +1,2 @@',
      'same',
      '-old',
      '+new',
    ])
  })
})
