import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { findStep, WIZARD_STEPS, type WizardStepId } from '../steps'

export const useWizardStore = defineStore('wizard', () => {
  const currentStepId = ref<WizardStepId>(WIZARD_STEPS[0].id)
  const currentStep = computed(() => findStep(currentStepId.value))
  const currentIndex = computed(() =>
    WIZARD_STEPS.findIndex((step) => step.id === currentStepId.value),
  )

  function setCurrentStep(id: WizardStepId): void {
    currentStepId.value = id
  }

  return { steps: WIZARD_STEPS, currentStepId, currentStep, currentIndex, setCurrentStep }
})
