import { watch } from 'vue'
import { useConnectionStore } from './stores/connection'

/**
 * Runs `action` once, as soon as the mirror host is connected: at once if it already is, or
 * when the automatic reconnect after a restart succeeds.
 */
export function whenConnected(action: () => void): void {
  const connection = useConnectionStore()
  let done = false
  const stop = watch(
    () => connection.connected,
    (connected) => {
      if (!connected || done) return
      done = true
      queueMicrotask(() => stop())
      action()
    },
    { immediate: true },
  )
}
