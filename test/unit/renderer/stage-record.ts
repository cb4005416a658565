import type { StageRecord } from '#shared/ipc/contract'

/** A finished stage's record with nothing in it; each test gives what it is about. */
export function stageRecord(overrides: Partial<StageRecord> = {}): StageRecord {
  return {
    runId: 'run-1',
    stage: 'mirror',
    mode: 'apply',
    status: 'changed',
    startedAt: '2025-01-01T00:00:00Z',
    finishedAt: '2025-01-01T00:01:00Z',
    error: null,
    failedStep: null,
    steps: [],
    plans: [],
    findings: [],
    facts: null,
    closure: null,
    targetMatrix: null,
    http: null,
    fleet: null,
    ...overrides,
  }
}
