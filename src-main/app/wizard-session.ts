import { MAX_RECORDED_ACTIONS, type RecordedAction } from '../app-data/recorded-action'
import { redactDeep } from '../app-data/redact'
import { mirrorUrl, type Site } from '#shared/site'
import type { SessionSnapshot, SiteDraft, SiteDraftPatch, WizardStepId } from '#shared/ipc/contract'
import type { KnownSecrets } from './known-secrets'
import { newWizard, openWizard, type OpenWizard, type WizardStores } from './open-wizard'
import { commandLineOf } from './recorded-commands'
import type { SessionEvents } from './session-events'
import { renderShellScript } from './shell-script'
import { applyDraftPatch, draftFromSite, isDraftComplete, siteFromDraft } from './site-draft'

/**
 * The setup the wizard works on (a saved site, or a draft until it names a host, packages and an
 * address): its progress, saved per site in the data directory with every secret the session
 * knows removed, and the commands its runs recorded.
 */
export class WizardSession {
  constructor(
    private readonly stores: WizardStores,
    private readonly secrets: KnownSecrets,
    private readonly events: SessionEvents,
    private open: OpenWizard = newWizard(),
  ) {}

  get current(): OpenWizard {
    return this.open
  }

  /** Makes a saved site (its id) or an unsaved setup (its key) the open one; null: a new one. */
  async switchTo(id: string | null): Promise<void> {
    await this.stores.progress.flush()
    this.open = id === null ? newWizard() : await openWizard(this.stores, id)
  }

  isOpen(id: string): boolean {
    return id === this.open.key || id === this.open.siteId
  }

  async saveWizard({
    step,
    completed,
  }: {
    step: WizardStepId
    completed: WizardStepId[]
  }): Promise<SessionSnapshot['wizard']> {
    this.open.progress.wizard = { step, completed: [...new Set(completed)] }
    await this.save()
    return this.open.progress.wizard
  }

  async updateSite(patch: SiteDraftPatch): Promise<{ site: SiteDraft; mirrorUrl: string | null }> {
    const { progress } = this.open
    progress.site = applyDraftPatch(progress.site, patch)
    await this.save()
    // A site that cannot be saved (a password in a proxy URL, say) is refused here, by name.
    await this.saveSiteIfComplete()
    return { site: progress.site, mirrorUrl: this.mirrorUrl() }
  }

  /** A change the session made (a host connected, a worker added): saved, never refused. */
  async changeSite(
    patch: SiteDraftPatch,
    hostKey?: OpenWizard['progress']['hostKey'],
  ): Promise<SiteDraft> {
    const { progress } = this.open
    progress.site = applyDraftPatch(progress.site, patch)
    if (hostKey) progress.hostKey = hostKey
    await this.save()
    await this.saveSiteIfComplete().catch((error: unknown) =>
      console.error('Could not save the site:', error),
    )
    return progress.site
  }

  /** An action changed the saved site (adding packages): the open wizard's draft follows it. */
  async savedSiteChanged(siteId: string, site: Site): Promise<void> {
    if (this.open.siteId !== siteId) return
    this.open.progress.site = draftFromSite(site)
    await this.save()
  }

  /** Keeps a command or file write of a run of `wizard` for "Show commands" and the script. */
  record(wizard: OpenWizard, action: RecordedAction): void {
    const actions = wizard.progress.actions
    actions.push(action)
    if (actions.length > MAX_RECORDED_ACTIONS)
      actions.splice(0, actions.length - MAX_RECORDED_ACTIONS)
    const view = commandLineOf(action)
    if (view && wizard === this.open) this.events.send({ kind: 'command', command: view })
    void this.save(wizard).catch((error: unknown) =>
      console.error('Could not save progress:', error),
    )
  }

  exportScript(): { text: string; fileName: string } {
    const { progress } = this.open
    const text = renderShellScript(progress.actions, progress.stages, new Date())
    const host = progress.site.ssh?.host ?? 'mirror'
    return { text, fileName: `pip-mirror-${host.replace(/[^A-Za-z0-9.-]/g, '_')}.sh` }
  }

  mirrorUrl(): string | null {
    if (!this.open.progress.site.serve) return null
    try {
      return mirrorUrl(siteFromDraft(this.open.progress.site).mirror)
    } catch {
      return null
    }
  }

  /**
   * A new setup is written only once it has a host: an empty one is nothing to come back to.
   * What a tool printed may hold a password (an error message quoting its input): every secret
   * the session knows is removed first, as from the history.
   */
  save(wizard: OpenWizard = this.open): Promise<void> {
    if (!wizard.siteId && !wizard.progress.site.ssh) return Promise.resolve()
    return this.stores.progress.save(wizard.key, redactDeep(wizard.progress, this.secrets.redact))
  }

  flush(): Promise<void> {
    return this.stores.progress.flush()
  }

  /**
   * Once the draft names a host, packages and a serving address it is a site `pip-mirror` can
   * run: it is saved (again) in the site store, and a draft's progress moves to the site's id.
   */
  private async saveSiteIfComplete(): Promise<void> {
    const wizard = this.open
    if (!isDraftComplete(wizard.progress.site)) return
    const base = wizard.siteId
      ? await this.stores.sites.load(wizard.siteId).catch(() => null)
      : null
    const site = siteFromDraft(wizard.progress.site, base)
    const saved = await this.stores.sites.save(site, wizard.siteId ? { id: wizard.siteId } : {})
    if (wizard.key === saved.id) return
    const draftKey = wizard.key
    wizard.key = saved.id
    wizard.siteId = saved.id
    await this.stores.progress.rename(draftKey, saved.id)
    await this.save(wizard)
    if (wizard === this.open) this.events.send({ kind: 'site-saved', siteId: saved.id })
  }
}
