import type { AppSession } from '../app/app-session'
import { historyRunView, historySummaryView } from '../app/history-views'
import { printableDeep } from '../engine/printable'
import type { EmitEvent, InvokeHandlers } from '#shared/ipc/contract'

/** What the handlers need from the outside world; Electron fills it in main.ts, tests fill it in directly. */
export interface HandlerDeps {
  appVersion: string
  emit: EmitEvent
  /** The wizard's state and runs; without it the session channels answer with an error. */
  session?: AppSession
  /** Asks the operator for a private key file (a native dialog in the app). */
  pickKeyFile?: () => Promise<string | null>
  /**
   * Asks where to save a file (the exported script, a site, the history) and writes it there;
   * null when cancelled.
   */
  saveTextFile?: (suggestedName: string, text: string, title?: string) => Promise<string | null>
  /** Asks for a site file to import; null when cancelled. */
  pickSiteFile?: () => Promise<string | null>
  writeClipboard?: (text: string) => void
}

/**
 * The main-process side of every invoke channel. Electron-free, so the end-to-end harness runs
 * this very table under plain Node. Requests arrive already validated (see dispatch.ts).
 */
export function createHandlers(deps: HandlerDeps): InvokeHandlers {
  const session = (): AppSession => {
    if (!deps.session) throw new Error('The app session is not running.')
    return deps.session
  }
  const saveFile = (name: string, text: string, title: string): Promise<string | null> => {
    if (!deps.saveTextFile) throw new Error('Saving files is not available here.')
    return deps.saveTextFile(name, text, title)
  }
  const openSite = async (siteId: string): Promise<AppSession> => {
    await session().requireOpenSite(siteId)
    return session()
  }
  return {
    'app:version': async () => deps.appVersion,
    'engine:ping': async ({ text }) => {
      deps.emit('engine:event', { kind: 'log', level: 'info', message: `ping: ${text}` })
      return { echoed: text }
    },
    'session:restore': () => session().snapshot(),
    'wizard:save-progress': ({ step, completed }) => session().saveWizard(step, completed),
    'site:update': (patch) => session().updateSite(patch),
    'ssh:config-hosts': () => session().sshConfigHosts(),
    'dialog:pick-key-file': async () => ({ path: (await deps.pickKeyFile?.()) ?? null }),
    'host:connect': ({ target, secrets, remember }) => session().connect(target, secrets, remember),
    'host:trust': ({ fingerprint }) => session().trust(fingerprint),
    'host:reconnect': () => session().reconnect(),
    'host:disconnect': () => session().disconnect(),
    'worker:add': ({ worker, secrets, remember }) => session().addWorker(worker, secrets, remember),
    'worker:trust': ({ fingerprint }) => session().trustWorker(fingerprint),
    'worker:remove': ({ label }) => session().removeWorker(label),
    'run:start': ({ stage, mode }) => session().startRun(stage, mode),
    'run:stop': async ({ runId }) => session().stopRun(runId),
    'sync:cancel': () => session().cancelSync(),
    'export:script': () => session().exportScript(),
    'export:save-script': async () => {
      const { text, fileName } = await session().exportScript()
      return { savedTo: await saveFile(fileName, text, 'Export as shell script') }
    },
    'clipboard:write-text': async ({ text }) => {
      if (!deps.writeClipboard) throw new Error('The clipboard is not available here.')
      deps.writeClipboard(text)
      return null
    },
    'sites:list': () => session().sites.list(),
    'site:open': ({ siteId }) => session().openSite(siteId),
    'sites:import': async () => {
      const path = await deps.pickSiteFile?.()
      return path ? session().sites.import(path) : { site: null, review: null }
    },
    'sites:import-confirm': async ({ token }) => ({
      site: await session().sites.confirmImport(token),
    }),
    'sites:export': async ({ siteId }) => {
      const { text, fileName } = await session().sites.exportText(siteId)
      return { savedTo: await saveFile(fileName, text, 'Export the site') }
    },
    'sites:forget': ({ siteId }) => session().forgetSite(siteId),
    'dashboard:site': async ({ siteId }) => (await openSite(siteId)).dashboard.site(siteId),
    'dashboard:health': async ({ siteId }) => (await openSite(siteId)).dashboard.health(siteId),
    'dashboard:plan': async ({ siteId, request }) =>
      (await openSite(siteId)).dashboard.plan(siteId, request),
    'dashboard:apply': async ({ siteId, request }) =>
      (await openSite(siteId)).dashboard.apply(siteId, request),
    'dashboard:audit': async ({ siteId }) => (await openSite(siteId)).dashboard.audit(siteId),
    'schedule:status': async ({ siteId }) =>
      (await openSite(siteId)).dashboard.scheduleStatus(siteId),
    // Recorded host output is shown printable only (see engine/printable.ts).
    'history:list': async (query) => ({
      runs: printableDeep((await session().history.list(query)).map(historySummaryView)),
    }),
    'history:get': async ({ id }) => {
      const run = await session().history.get(id)
      return printableDeep(run && historyRunView(run))
    },
    'history:export': async ({ ids, format }) => {
      const text = await session().history.exportText(ids, format)
      const stamp = new Date().toISOString().replace(/[:.]/g, '-')
      const name = `pip-mirror-history-${stamp}.${format === 'json' ? 'json' : 'txt'}`
      return { savedTo: await saveFile(name, text, 'Export the activity history') }
    },
  }
}
