#!/usr/bin/env node
import { existsSync } from 'node:fs'

const built = new URL('../out/cli/pip-mirror.js', import.meta.url)

if (!existsSync(built)) {
  process.stderr.write('pip-mirror is not built yet: run `npm run build` in the project first.\n')
  process.exit(1)
}

const { runCli } = await import(built.href)
process.exitCode = await runCli(process.argv.slice(2))
