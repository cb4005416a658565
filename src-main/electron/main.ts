import { app, clipboard, protocol, type BrowserWindow } from 'electron'
import { join } from 'node:path'
import { homedir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { AppSession } from '../app/app-session'
import { EncryptedFileSecretStore } from '../app/encrypted-secret-store'
import type { EmitEvent } from '#shared/ipc/contract'
import { APP_PAGE_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, appProtocolHandler } from './app-protocol'
import { createHandlers } from './handlers'
import { registerIpcHandlers } from './ipc'
import { pickKeyFile, pickSiteFile, saveTextFile } from './native-dialogs'
import { safeStorageEncryptor } from './safe-storage-encryptor'
import { createSecureWindow } from './secure-window'

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
/** The built page; served as app://pip-mirror-wizard/ (app-protocol.ts), never as file://. */
const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url))
/** Set by `electron-vite dev`; never trusted in a packaged app. */
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']

// One data directory for the app and the `pip-mirror` command, whatever the product name:
// ~/.config/pip-mirror-wizard on Linux, so both share known_hosts.
app.setPath('userData', join(app.getPath('appData'), 'pip-mirror-wizard'))

// Before the app is ready: app:// is a standard, secure scheme (origin, relative URLs, fetch).
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])

let mainWindow: BrowserWindow | null = null
let session: AppSession | null = null

function openMainWindow(): void {
  const window = createSecureWindow({ title: 'Pip Mirror Wizard', preloadPath })
  mainWindow = window
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null
  })
  const loading = window.loadURL(devServerUrl ?? APP_PAGE_URL)
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

async function start(): Promise<void> {
  protocol.handle(APP_SCHEME, appProtocolHandler(rendererDir))
  const dataDir = app.getPath('userData')
  session = await AppSession.open({
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
  registerIpcHandlers(handlers, { pageUrl: APP_PAGE_URL, devServerUrl })
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
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('Electron failed to start:', error)
      app.exit(1)
    })
}
