#!/usr/bin/env node
// Runs a toolchain command (electron-vite, vite, vitest, eslint, tsc...) on a Node it supports:
// the running one when new enough, else the one scripts/toolchain-node.mjs brings into .cache.
//   node scripts/with-node.mjs <command> [args...]
//   node scripts/with-node.mjs --bin-dir    prints the folder to put first on PATH (fetching)
import { spawn } from 'node:child_process'
import { delimiter, dirname } from 'node:path'
import { toolchainNodeDir } from './toolchain-node.mjs'

const [command, ...args] = process.argv.slice(2)
if (!command) {
  process.stderr.write('usage: node scripts/with-node.mjs <command> [args...] | --bin-dir\n')
  process.exit(2)
}

let binDir
try {
  binDir = toolchainNodeDir()
} catch (error) {
  process.stderr.write(`${error.message}\n`)
  process.exit(1)
}

if (command === '--bin-dir') {
  process.stdout.write(`${binDir ?? dirname(process.execPath)}\n`)
  process.exit(0)
}

const env = { ...process.env }
if (binDir) {
  const pathKey = Object.keys(env).find((key) => key.toUpperCase() === 'PATH') ?? 'PATH'
  env[pathKey] = `${binDir}${delimiter}${env[pathKey] ?? ''}`
}
const child = spawn(command, args, { stdio: 'inherit', env, shell: process.platform === 'win32' })
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal))
}
child.on('error', (error) => {
  process.stderr.write(`could not start ${command}: ${error.message}\n`)
  process.exit(127)
})
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal)
    process.kill(process.pid, signal)
  } else process.exit(code ?? 1)
})
