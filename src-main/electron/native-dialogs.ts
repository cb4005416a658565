import { dialog, type BrowserWindow } from 'electron'
import { writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** The file picker for the Connect page's key file; null when cancelled. */
export async function pickKeyFile(parent: BrowserWindow | null): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title: 'Choose your SSH private key',
    defaultPath: join(homedir(), '.ssh'),
    properties: ['openFile', 'showHiddenFiles'],
  }
  const result = parent
    ? await dialog.showOpenDialog(parent, options)
    : await dialog.showOpenDialog(options)
  return result.canceled ? null : (result.filePaths[0] ?? null)
}

/** The file picker for importing a site file (the JSON `pip-mirror --site` reads). */
export async function pickSiteFile(parent: BrowserWindow | null): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title: 'Import a site file',
    defaultPath: homedir(),
    properties: ['openFile'],
    filters: [{ name: 'Site files', extensions: ['json'] }],
  }
  const result = parent
    ? await dialog.showOpenDialog(parent, options)
    : await dialog.showOpenDialog(options)
  return result.canceled ? null : (result.filePaths[0] ?? null)
}

/** Asks where to save a text file and writes it there (mode 0600: it lists what ran where). */
export async function saveTextFile(
  parent: BrowserWindow | null,
  suggestedName: string,
  text: string,
  title = 'Save',
): Promise<string | null> {
  const options: Electron.SaveDialogOptions = {
    title,
    defaultPath: join(homedir(), suggestedName),
  }
  const result = parent
    ? await dialog.showSaveDialog(parent, options)
    : await dialog.showSaveDialog(options)
  if (result.canceled || !result.filePath) return null
  await writeFile(result.filePath, text, { mode: 0o600 })
  return result.filePath
}
