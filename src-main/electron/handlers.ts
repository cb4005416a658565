import { historyRunView, historySummaryView } from '../app/history-views'
import type { AppSession } from '../app/app-session'
import { printableDeep } from '../engine/printable'
import type {
  EmitEvent,
  InvokeChannel,
  InvokeHandlers,
  InvokeRequest,
  InvokeResponse,
} from '#shared/ipc/contract'

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

/** The parts of the session a channel can be answered by: the session itself, or one of its parts. */
type SessionParts = { session: AppSession } & Pick<
  AppSession,
  'wizard' | 'connections' | 'stages' | 'runner' | 'dashboard' | 'sites'
>

/** The methods of `T` that answer channel `C`: they take its request and give its response. */
type Answering<T, C extends InvokeChannel> = {
  [K in keyof T]: T[K] extends (
    request: InvokeRequest<C>,
  ) => InvokeResponse<C> | Promise<InvokeResponse<C>>
    ? K
    : never
}[keyof T]

type Route<C extends InvokeChannel> = {
  [P in keyof SessionParts]: readonly [P, Answering<SessionParts[P], C>]
}[keyof SessionParts]

/**
 * The channels the session answers as they are: which part, which method. The compiler checks
 * that each method takes the channel's (validated) request and gives its response.
 */
const SESSION_ROUTES = {
  'session:restore': ['session', 'snapshot'],
  'site:open': ['session', 'openSite'],
  'sites:forget': ['session', 'forgetSite'],
  'wizard:save-progress': ['wizard', 'saveWizard'],
  'site:update': ['wizard', 'updateSite'],
  'export:script': ['wizard', 'exportScript'],
  'ssh:config-hosts': ['connections', 'sshConfigHosts'],
  'host:connect': ['connections', 'connect'],
  'host:trust': ['connections', 'trust'],
  'host:reconnect': ['connections', 'reconnect'],
  'host:disconnect': ['connections', 'disconnect'],
  'worker:add': ['connections', 'addWorker'],
  'worker:trust': ['connections', 'trustWorker'],
  'worker:remove': ['connections', 'removeWorker'],
  'run:start': ['stages', 'startRun'],
  'sync:cancel': ['stages', 'cancelSync'],
  'run:stop': ['runner', 'stop'],
  'sites:list': ['sites', 'list'],
  'dashboard:site': ['dashboard', 'site'],
  'dashboard:health': ['dashboard', 'health'],
  'dashboard:plan': ['dashboard', 'plan'],
  'dashboard:apply': ['dashboard', 'apply'],
  'dashboard:audit': ['dashboard', 'audit'],
  'schedule:status': ['dashboard', 'scheduleStatus'],
} as const satisfies { [C in InvokeChannel]?: Route<C> }

type RoutedChannel = keyof typeof SESSION_ROUTES

/**
 * The main-process side of every invoke channel. Electron-free, so the end-to-end harness runs
 * this very table under plain Node. Requests arrive already validated (see dispatch.ts). The
 * session's channels are generated from SESSION_ROUTES; the ones below them involve the
 * operator's own machine (dialogs, the clipboard) or make host text printable.
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
  const routed: Partial<Record<RoutedChannel, (request: unknown) => Promise<unknown>>> = {}
  for (const [channel, [part, method]] of Object.entries(SESSION_ROUTES)) {
    routed[channel as RoutedChannel] = async (request) => {
      const answering = part === 'session' ? session() : session()[part]
      // The table's type proved the method fits the channel; the loop cannot follow it.
      const answer = (answering as unknown as Record<string, (request: unknown) => unknown>)[method]
      return answer?.call(answering, request)
    }
  }
  const others: Omit<InvokeHandlers, RoutedChannel> = {
    'app:version': async () => deps.appVersion,
    'dialog:pick-key-file': async () => ({ path: (await deps.pickKeyFile?.()) ?? null }),
    'export:save-script': async () => {
      const { text, fileName } = session().wizard.exportScript()
      return { savedTo: await saveFile(fileName, text, 'Export as shell script') }
    },
    'clipboard:write-text': async ({ text }) => {
      if (!deps.writeClipboard) throw new Error('The clipboard is not available here.')
      deps.writeClipboard(text)
      return null
    },
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
  return { ...(routed as Pick<InvokeHandlers, RoutedChannel>), ...others }
}
