import { builtinModules } from 'node:module'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'vite'

const fromRoot = (path: string): string => resolve(import.meta.dirname, path)

const packageJson = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as {
  dependencies?: Record<string, string>
}
const dependencies = Object.keys(packageJson.dependencies ?? {})

/** Builds the `pip-mirror` command for plain Node 20: one ES module, dependencies left to npm. */
export default defineConfig({
  build: {
    ssr: fromRoot('src-main/cli/pip-mirror.ts'),
    outDir: fromRoot('out/cli'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rolldownOptions: {
      external: [
        ...builtinModules,
        /^node:/,
        ...dependencies.map((name) => new RegExp(`^${name}(?:/|$)`)),
      ],
      output: { format: 'es', entryFileNames: 'pip-mirror.js' },
    },
  },
})
