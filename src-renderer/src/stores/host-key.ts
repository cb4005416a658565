import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ConnectOutcome } from '#shared/ipc/contract'

export type UnknownKey = Extract<ConnectOutcome, { kind: 'unknown-key' }>
export type ChangedKey = Extract<ConnectOutcome, { kind: 'changed-key' }>

/**
 * The host-key question the dialog shows, whoever asks it (the mirror host's connection, or a
 * worker being added): a new key to confirm, or a changed one that is refused. The asker's
 * `answer` gets the fingerprint the operator trusts, or null; the dialog stays open (busy)
 * until the asker is done with it.
 */
export const useHostKeyStore = defineStore('host-key', () => {
  const unknownKey = ref<UnknownKey | null>(null)
  const changedKey = ref<ChangedKey | null>(null)
  const answering = ref(false)
  let answer: ((fingerprint: string | null) => Promise<void>) | null = null

  function ask(
    question: UnknownKey | ChangedKey,
    onAnswer: (fingerprint: string | null) => Promise<void>,
  ): void {
    const previous = answer
    answer = onAnswer
    unknownKey.value = question.kind === 'unknown-key' ? question : null
    changedKey.value = question.kind === 'changed-key' ? question : null
    void previous?.(null)
  }

  async function settle(fingerprint: string | null): Promise<void> {
    const asked = answer
    if (!asked) return
    const question = unknownKey.value ?? changedKey.value
    answer = null
    answering.value = true
    try {
      await asked(fingerprint)
    } finally {
      answering.value = false
      // A new question asked meanwhile (another worker's key) stays on show.
      if (!answer && (unknownKey.value ?? changedKey.value) === question) {
        unknownKey.value = null
        changedKey.value = null
      }
    }
  }

  /** The operator compared the fingerprint and trusts it. */
  function trust(): Promise<void> {
    return settle(unknownKey.value?.fingerprint ?? null)
  }

  function dismiss(): void {
    const asked = answer
    answer = null
    unknownKey.value = null
    changedKey.value = null
    void asked?.(null)
  }

  return { unknownKey, changedKey, answering, ask, trust, dismiss }
})
