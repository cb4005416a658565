import { app, type BrowserWindow } from 'electron'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { EmitEvent } from '../ipc-contract'
import { createHandlers } from './handlers'
import { registerIpcHandlers } from './ipc'
import { createSecureWindow } from './secure-window'

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
const rendererFile = fileURLToPath(new URL('../renderer/index.html', import.meta.url))
/** Set by `electron-vite dev`; never trusted in a packaged app. */
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']

let mainWindow: BrowserWindow | null = null

function openMainWindow(): void {
  const window = createSecureWindow({ title: 'Pip Mirror Wizard', preloadPath })
  mainWindow = window
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null
  })
  const loading = devServerUrl ? window.loadURL(devServerUrl) : window.loadFile(rendererFile)
  loading.catch((error: unknown) => console.error('Could not load the app page:', error))
}

function focusMainWindow(): void {
  if (!mainWindow) return
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.focus()
}

const emitToWindow: EmitEvent = (channel, payload) => {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, payload)
}

function start(): void {
  const handlers = createHandlers({ appVersion: app.getVersion(), emit: emitToWindow })
  registerIpcHandlers(handlers, { rendererFileUrl: pathToFileURL(rendererFile).href, devServerUrl })
  openMainWindow()
}

// A second launch focuses the running wizard instead of starting another one against the same hosts.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', focusMainWindow)
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (mainWindow === null && app.isReady()) openMainWindow()
  })
  app.whenReady().then(start, (error: unknown) => {
    console.error('Electron failed to start:', error)
    app.exit(1)
  })
}
