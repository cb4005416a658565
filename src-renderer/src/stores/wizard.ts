import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { invoke } from '../api'
import { findStep, WIZARD_STEPS, type WizardStepId } from '../steps'
import { useConnectionStore } from './connection'
import { useRunsStore } from './runs'
import { useSiteStore } from './site'

const succeeded = (status: string | undefined): boolean => status === 'ok' || status === 'changed'

/** Where the operator is, and which steps are done; saved in the main process on every move. */
export const useWizardStore = defineStore('wizard', () => {
  const currentStepId = ref<WizardStepId>(WIZARD_STEPS[0].id)
  /** Steps finished by choice rather than by a run (Workers skipped, for instance). */
  const confirmed = ref<WizardStepId[]>([])
  /** False until the saved progress is loaded: nothing is saved over it before then. */
  const restored = ref(false)
  const currentStep = computed(() => findStep(currentStepId.value))
  const currentIndex = computed(() =>
    WIZARD_STEPS.findIndex((step) => step.id === currentStepId.value),
  )

  const runs = useRunsStore()
  const connection = useConnectionStore()
  const site = useSiteStore()

  /** What the runs prove done, plus what the operator confirmed. */
  const completed = computed<WizardStepId[]>(() => {
    const records = runs.records
    // Workers may be skipped, but not once some were added and their setup did not succeed.
    const skippable = site.draft.workers.length === 0
    const done = new Set<WizardStepId>(
      confirmed.value.filter((id) => id !== 'workers' || skippable),
    )
    if (connection.view.hostKey) done.add('connect')
    if (records.check?.status === 'planned') done.add('check-host')
    if (records.packages?.closure) done.add('packages')
    if (records.mirror?.mode === 'apply' && succeeded(records.mirror.status)) done.add('mirror')
    if (records.serve?.mode === 'apply' && succeeded(records.serve.status)) done.add('serve')
    // A verified mirror is served, also when serving it first failed on a 403 that was repaired.
    if (succeeded(records.verify?.status)) done.add('serve').add('verify')
    if (records.workers?.mode === 'apply' && succeeded(records.workers.status)) done.add('workers')
    return WIZARD_STEPS.map((step) => step.id).filter((id) => done.has(id))
  })

  function isCompleted(id: WizardStepId): boolean {
    return completed.value.includes(id)
  }

  async function save(): Promise<void> {
    if (!restored.value) return
    await invoke('wizard:save-progress', {
      step: currentStepId.value,
      completed: completed.value,
    }).catch((error: unknown) => console.error('Could not save the wizard progress:', error))
  }

  function setCurrentStep(id: WizardStepId): void {
    currentStepId.value = id
    void save()
  }

  function confirm(id: WizardStepId): void {
    if (!confirmed.value.includes(id)) confirmed.value.push(id)
  }

  function hydrate(step: WizardStepId, completedBefore: WizardStepId[]): void {
    currentStepId.value = step
    confirmed.value = completedBefore.filter((id) => id === 'workers')
    restored.value = true
  }

  return {
    steps: WIZARD_STEPS,
    currentStepId,
    currentStep,
    currentIndex,
    completed,
    restored,
    isCompleted,
    setCurrentStep,
    confirm,
    hydrate,
  }
})
