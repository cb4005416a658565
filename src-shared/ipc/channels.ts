/**
 * The names of the IPC channels, and nothing else. Kept apart from the schemas in
 * `contract.ts` so the sandboxed preload can allow-list channels without bundling zod.
 * `contract.ts` refuses to compile unless it gives every name here exactly one schema.
 */
export const INVOKE_CHANNELS = [
  'app:version',
  'session:restore',
  'wizard:save-progress',
  'site:update',
  'ssh:config-hosts',
  'dialog:pick-key-file',
  'host:connect',
  'host:trust',
  'host:reconnect',
  'host:disconnect',
  'worker:add',
  'worker:trust',
  'worker:remove',
  'run:start',
  'run:stop',
  'sync:cancel',
  'export:script',
  'export:save-script',
  'clipboard:write-text',
  'sites:list',
  'site:open',
  'sites:import',
  'sites:import-confirm',
  'sites:export',
  'sites:forget',
  'dashboard:site',
  'dashboard:health',
  'dashboard:plan',
  'dashboard:apply',
  'dashboard:audit',
  'schedule:status',
  'history:list',
  'history:get',
  'history:export',
] as const
export const EVENT_CHANNELS = ['session:event'] as const

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number]
export type EventChannel = (typeof EVENT_CHANNELS)[number]

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return (INVOKE_CHANNELS as readonly unknown[]).includes(value)
}

export function isEventChannel(value: unknown): value is EventChannel {
  return (EVENT_CHANNELS as readonly unknown[]).includes(value)
}
