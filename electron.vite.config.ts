import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

const fromRoot = (path: string): string => resolve(import.meta.dirname, path)

export default defineConfig({
  main: {
    build: {
      outDir: fromRoot('out/main'),
      // Named `index` so the output is out/main/index.js, the package's "main".
      rolldownOptions: { input: { index: fromRoot('src-main/electron/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: fromRoot('out/preload'),
      // A sandboxed preload can require nothing but `electron`: bundle everything else into it.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: fromRoot('src-preload/index.ts') },
        // Sandboxed preloads must be CommonJS; `.cjs` because the package is "type": "module".
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: fromRoot('src-renderer'),
    plugins: [vue()],
    resolve: { alias: { '@': fromRoot('src-renderer/src') } },
    build: {
      outDir: fromRoot('out/renderer'),
      rolldownOptions: { input: fromRoot('src-renderer/index.html') },
    },
  },
})
