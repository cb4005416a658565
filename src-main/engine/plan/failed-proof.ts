import { EngineError } from '../errors'

/**
 * A verification that fails and still has what it established to hand over: the pins × targets
 * matrix with its failing cells, the worker's install attempt. The run keeps `proof` under the
 * step's id in its proofs, as it does for a verification that passes, and fails the step with the
 * message.
 */
export class FailedProof<P> extends EngineError {
  override name = 'FailedProof'
  constructor(
    message: string,
    details: ConstructorParameters<typeof EngineError>[1],
    readonly proof: P,
  ) {
    super(message, details)
  }
}
