import { app, clipboard, type BrowserWindow } from 'electron'
import { join } from 'node:path'
import { homedir } from 'node:os'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { AppSession } from '../app/app-session'
import { EncryptedFileSecretStore } from '../app/encrypted-secret-store'
import type { EmitEvent } from '../ipc-contract'
import { createHandlers } from './handlers'
import { registerIpcHandlers } from './ipc'
import { pickKeyFile, pickSiteFile, saveTextFile } from './native-dialogs'
import { safeStorageEncryptor } from './safe-storage-encryptor'
import { createSecureWindow } from './secure-window'

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
const rendererFile = fileURLToPath(new URL('../renderer/index.html', import.meta.url))
/** Set by `electron-vite dev`; never trusted in a packaged app. */
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']

// One data directory for the app and the `pip-mirror` command, whatever the product name:
// ~/.config/pip-mirror-wizard on Linux, so both share known_hosts.
app.setPath('userData', join(app.getPath('appData'), 'pip-mirror-wizard'))

let mainWindow: BrowserWindow | null = null
let session: AppSession | null = null

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
  const dataDir = app.getPath('userData')
  session = new AppSession({
    dataDir,
    emit: (event) => emitToWindow('session:event', event),
    secrets: new EncryptedFileSecretStore(join(dataDir, 'secrets.json'), safeStorageEncryptor),
    sshConfigPath: join(homedir(), '.ssh', 'config'),
  })
  const handlers = createHandlers({
    appVersion: app.getVersion(),
    emit: emitToWindow,
    session,
    pickKeyFile: () => pickKeyFile(mainWindow),
    saveTextFile: (name, text, title) => saveTextFile(mainWindow, name, text, title),
    pickSiteFile: () => pickSiteFile(mainWindow),
    writeClipboard: (text) => clipboard.writeText(text),
  })
  registerIpcHandlers(handlers, { rendererFileUrl: pathToFileURL(rendererFile).href, devServerUrl })
  openMainWindow()
}

// Closing the app stops following runs and closes connections; a sync goes on on its host, and
// the next start reattaches to it.
let quitting = false
app.on('before-quit', (event) => {
  if (quitting || !session) return
  quitting = true
  event.preventDefault()
  session.dispose().finally(() => app.quit())
})

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
