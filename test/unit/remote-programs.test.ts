import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/**
 * The programs the engine runs on hosts are real files (`scripts/*.sh`, `scripts/*.py`) that
 * shellcheck and ruff read (`npm run lint`), imported as text with `?raw`. These checks keep it so:
 * no TypeScript file under src-main/ carries a shell or Python program in a string again.
 */
const ROOT = join(import.meta.dirname, '../..')
const SRC = join(ROOT, 'src-main')

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return typeScriptFiles(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

/** A literal's text as the program would receive it; `${…}` parts count as `${}`. */
function literalText(node: ts.Node): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text
  if (ts.isTemplateExpression(node))
    return node.head.text + node.templateSpans.map((span) => `\${}${span.literal.text}`).join('')
  return null
}

/** Lines only a shell or a Python program has. */
const PROGRAM_LINES: readonly RegExp[] = [
  /^#!\//m,
  /^\s*set -[a-z]*e/m,
  /;\s*(?:then|do)\s*$/m,
  /^\s*(?:fi|done|esac)\s*(?:[;|&>].*)?$/m,
  /^\s*import [\w.]+(?:, [\w.]+)*\s*$/m,
  /^\s*from [\w.]+ import [\w, ()]+$/m,
  /^\s*def \w+\(.*\):\s*$/m,
  // A shell's positional parameters and redirections, for scripts with no control flow.
  /\$(?:[1-9@#]|\{[1-9])/,
  /[12]?>\s*\/dev\/null|[12]>&[12]/,
]

/** Calls whose first argument is the program text (remote-host.ts, quote.ts). */
const PROGRAM_TAKERS = new Set(['scriptCommand', 'readScript', 'script'])

/** argv[0] of an interpreter that `-c` hands a program to. */
const INTERPRETER = /(?:^|\/)(?:ba|da)?sh$|(?:^|\/)python[\d.]*$/

function calleeName(call: ts.CallExpression): string | null {
  const callee = call.expression
  if (ts.isIdentifier(callee)) return callee.text
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text
  return null
}

/** Where a TypeScript source carries a program as text, as "file:line: what". */
function embeddedPrograms(file: string, source: string): string[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true)
  const found: string[] = []
  const at = (node: ts.Node, what: string) => {
    const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1
    found.push(`${file}:${line}: ${what}`)
  }
  const visit = (node: ts.Node): void => {
    const text = literalText(node)
    if (text !== null && text.includes('\n') && PROGRAM_LINES.some((line) => line.test(text)))
      at(node, 'a multi-line shell or Python program in a string')
    if (ts.isCallExpression(node)) {
      const name = calleeName(node)
      const [first] = node.arguments
      if (name && PROGRAM_TAKERS.has(name) && first && literalText(first) !== null)
        at(node, `${name}() given a program as a literal`)
    }
    if (ts.isArrayLiteralExpression(node)) {
      const elements = node.elements
      const argv0 = elements[0] && literalText(elements[0])
      elements.forEach((element, i) => {
        const next = elements[i + 1]
        if (
          argv0 &&
          INTERPRETER.test(argv0) &&
          literalText(element) === '-c' &&
          next &&
          literalText(next) !== null
        )
          at(next, `${argv0} -c given a program as a literal`)
      })
    }
    ts.forEachChild(node, visit)
  }
  visit(sourceFile)
  return found
}

describe('remote programs are files, not strings', () => {
  it('no TypeScript file under src-main/ embeds a shell or Python program', () => {
    const found = typeScriptFiles(SRC).flatMap((path) =>
      embeddedPrograms(relative(ROOT, path), readFileSync(path, 'utf8')),
    )
    expect(found).toEqual([])
  })

  it('finds each form an embedded program takes, and leaves plain argv and text alone', () => {
    const flagged = (source: string) => embeddedPrograms('x.ts', source).length
    // Programs: a multi-line shell or Python text, or a literal handed to `sh -c` or a runner.
    expect(flagged('const S = `\nfor p in "$@"; do\n  echo "$p"\ndone\n`')).toBe(1)
    expect(flagged('const S = `\nif [ -e "$1" ]; then\n  cat "$1"\nfi`')).toBe(1)
    expect(flagged("const S = ['#!/bin/sh', 'set -eu', 'true'].join('\\n') + '\\n'")).toBe(0)
    expect(flagged('const S = `#!/bin/sh\necho ${name}\n`')).toBe(1)
    expect(flagged('const S = `\ndir=$1\ncat "$dir/status" 2>/dev/null; echo\n`')).toBe(1)
    expect(
      flagged('const S = `\nwrapper=$1; shift\nnohup setsid sh -c "$wrapper" sh "$@" &\n`'),
    ).toBe(1)
    expect(flagged('const P = String.raw`\nimport json, sys\nprint(json.dumps(sys.argv))\n`')).toBe(
      1,
    )
    expect(flagged('const P = `\ndef main():\n    return 0\n`')).toBe(1)
    expect(flagged(`host.read(scriptCommand('for p in "$@"; do echo "$p"; done', paths))`)).toBe(1)
    expect(flagged(`host.readScript('echo hi', [])`)).toBe(1)
    expect(flagged(`host.read(['sh', '-c', 'for f in "$1".*; do echo "$f"; done', 'sh', p])`)).toBe(
      1,
    )
    expect(flagged(`host.read(['python3', '-c', 'import sys; print(1)', p])`)).toBe(1)
    // Not programs: argv arrays, imported program text, documents and messages.
    expect(flagged(`host.read(['tail', '-c', '+1', '-f', log])`)).toBe(0)
    expect(flagged(`host.read([SYSTEM_PYTHON, '-I', '-c', CONFINED_REPAIR_PY, verb])`)).toBe(0)
    expect(flagged(`host.read(['python3', '-c', setFreshPipMirror, path])`)).toBe(0)
    expect(flagged(`host.read(scriptCommand(readFileBase64, [path]))`)).toBe(0)
    expect(flagged(`host.read(['sh', '-n', wrapper])`)).toBe(0)
    expect(
      flagged('const T = `server {\n  listen ${port};\n  location / { index index.html; }\n}\n`'),
    ).toBe(0)
    expect(
      flagged('const H = `Usage: pip-mirror import FILE\n  import a site, then plan it\n`'),
    ).toBe(0)
  })

  it('every program imported with ?raw exists beside the code that runs it', () => {
    const missing = typeScriptFiles(SRC).flatMap((path) =>
      [...readFileSync(path, 'utf8').matchAll(/from '(\.[^']+\.(?:sh|py))\?raw'/g)]
        .map((match) => join(dirname(path), match[1] as string))
        .filter((program) => !existsSync(program))
        .map((program) => `${relative(ROOT, path)} imports ${relative(ROOT, program)}`),
    )
    expect(missing).toEqual([])
  })
})
