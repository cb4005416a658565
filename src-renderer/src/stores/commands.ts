import { defineStore } from 'pinia'
import { shallowRef, triggerRef } from 'vue'
import type { CommandLineView, StageId } from '#shared/ipc/contract'

/** Every command the engine ran on the host, as it rendered them, for "Show commands". */
export const useCommandsStore = defineStore('commands', () => {
  const lines = shallowRef<CommandLineView[]>([])

  function add(command: CommandLineView): void {
    lines.value.push(command)
    triggerRef(lines)
  }

  function forStages(stages: readonly StageId[]): CommandLineView[] {
    return lines.value.filter((line) => stages.includes(line.stage))
  }

  function hydrate(commands: CommandLineView[]): void {
    lines.value = [...commands]
  }

  return { lines, add, forStages, hydrate }
})
