import { readFile } from 'node:fs/promises'

export async function resolve(specifier, context, next) {
  if (!specifier.endsWith('?raw')) return next(specifier, context)
  const url = new URL(specifier, context.parentURL)
  return { url: url.href, shortCircuit: true }
}

export async function load(url, context, next) {
  if (!url.endsWith('?raw')) return next(url, context)
  const text = await readFile(new URL(url.slice(0, -'?raw'.length)), 'utf8')
  return { format: 'module', source: `export default ${JSON.stringify(text)}`, shortCircuit: true }
}
