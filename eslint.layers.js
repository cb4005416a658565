/**
 * The layers, enforced: each folder may import only from the layers below it.
 *
 *   renderer ──► shared ◄── preload
 *   electron ──► app ──► app-data ──► engine ──► shared
 *   cli ───────► app, app-data, engine, shared
 *
 * `shared` (src-shared/, imported as `#shared/...`) holds the IPC contract (src-shared/ipc/), the
 * site schema and pure helpers, and imports nothing but itself and zod. The engine never knows the
 * IPC contract (app/ turns engine values into views), and app-data stores its own file formats,
 * not IPC types. Relative imports are matched by the folder they name: `../app/...` from an
 * engine file, whatever its depth.
 */

const above = (...folders) => ({
  regex: `^(\\.\\./)+(${folders.join('|')})(/|$)`,
  message: `Imports go down the layers only: not into ${folders.join('/, ')}/ from here (eslint.layers.js).`,
})
const outsideMain = (...folders) => ({
  regex: `(^|/)(${folders.join('|')})(/|$)`,
  message: `Not from ${folders.join(' or ')}: each top folder is its own build (eslint.layers.js).`,
})
const ipc = (why) => ({ regex: '^#shared/ipc(/|$)', message: why })
const electron = (who) => ({ name: 'electron', message: `${who} never imports Electron.` })

const layer = (files, { paths = [], patterns = [] }) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
})

export const layers = [
  layer(['src-main/engine/**/*.ts'], {
    paths: [electron('The engine')],
    patterns: [
      above('app', 'app-data', 'electron', 'cli'),
      outsideMain('src-renderer', 'src-preload'),
      ipc('The engine does not know the IPC contract: app/ turns its values into views.'),
    ],
  }),
  layer(['src-main/app-data/**/*.ts'], {
    paths: [electron('app-data')],
    patterns: [
      above('app', 'electron', 'cli'),
      outsideMain('src-renderer', 'src-preload'),
      ipc('app-data stores its own file formats; app/ converts them to and from IPC types.'),
    ],
  }),
  layer(['src-main/app/**/*.ts'], {
    paths: [electron('The app session (Electron-free, run by tests and the CLI)')],
    patterns: [above('electron', 'cli'), outsideMain('src-renderer', 'src-preload')],
  }),
  layer(['src-main/cli/**/*.ts'], {
    paths: [electron('The CLI')],
    patterns: [above('electron'), outsideMain('src-renderer', 'src-preload')],
  }),
  layer(['src-main/electron/**/*.ts'], {
    patterns: [above('cli'), outsideMain('src-renderer', 'src-preload')],
  }),
  layer(['src-preload/**/*.ts'], {
    patterns: [outsideMain('src-main', 'src-renderer')],
  }),
  layer(['src-shared/**/*.ts'], {
    patterns: [
      outsideMain('src-main', 'src-renderer', 'src-preload'),
      {
        regex: '^(?!zod(/|$)|\\.{1,2}/|#shared/)',
        message:
          'src-shared imports nothing but itself and zod: main, preload, CLI and renderer all load it.',
      },
    ],
  }),
  layer(['src-renderer/**/*.{ts,vue}'], {
    paths: [
      electron('The renderer'),
      { name: 'ssh2', message: 'The renderer never talks to hosts.' },
    ],
    patterns: [
      outsideMain('src-main', 'src-preload'),
      { regex: '^node:', message: 'The renderer is a sandboxed page: no Node modules.' },
    ],
  }),
]
