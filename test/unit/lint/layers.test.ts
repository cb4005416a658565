import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const root = new URL('../../../', import.meta.url).pathname
const eslint = new ESLint({ cwd: root })

/** The import messages ESLint reports for one line of source at a path (the file need not exist). */
async function importErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport {}\n`, { filePath })
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message)
}

describe('the layer rule (eslint.layers.js)', () => {
  it.each([
    ['src-main/engine/x.ts', "import '../app/app-session'"],
    ['src-main/engine/steps/x.ts', "import '../../app-data/history-store'"],
    ['src-main/engine/x.ts', "import '../electron/main'"],
    ['src-main/engine/x.ts', "import '../cli/args'"],
    ['src-main/engine/x.ts', "import 'electron'"],
    ['src-main/engine/x.ts', "import '#shared/ipc/contract'"],
    ['src-main/app-data/x.ts', "import '#shared/ipc/session-schemas'"],
    ['src-main/app-data/x.ts', "import '../app/app-session'"],
    ['src-main/app/x.ts', "import '../electron/dispatch'"],
    ['src-main/app/x.ts', "import 'electron'"],
    ['src-shared/x.ts', "import '../src-main/engine/errors'"],
    ['src-shared/ipc/x.ts', "import '../../src-main/app-data/history-types'"],
    ['src-shared/x.ts', "import 'node:fs'"],
    ['src-shared/x.ts', "import 'vue'"],
    ['src-renderer/src/stores/x.ts', "import '../../../src-main/engine/errors'"],
    ['src-renderer/src/stores/x.ts', "import 'node:path'"],
    ['src-preload/x.ts', "import '../src-main/electron/ipc'"],
  ])('%s may not %s', async (file, source) => {
    expect(await importErrors(file, source)).toHaveLength(1)
  })

  it.each([
    ['src-main/engine/x.ts', "import '#shared/site'"],
    ['src-main/engine/steps/x.ts', "import '../remote/quote'"],
    ['src-main/app-data/x.ts', "import '#shared/site'"],
    ['src-main/app-data/x.ts', "import '../engine/run'"],
    ['src-main/app/x.ts', "import '#shared/ipc/contract'"],
    ['src-main/electron/x.ts', "import '../app/app-session'"],
    ['src-shared/ipc/x.ts', "import '../site'"],
    ['src-shared/x.ts', "import 'zod'"],
    ['src-renderer/src/stores/x.ts', "import '#shared/ipc/contract'"],
    ['src-preload/x.ts', "import '#shared/ipc/channels'"],
  ])('%s may %s', async (file, source) => {
    expect(await importErrors(file, source)).toEqual([])
  })
})
