/** The flows the engine runs, by name. */
import { LedgerlinkError } from '../canonical/errors.js';
import type { FlowDefinition, PollerDefinition, StepHandler } from './step-api.js';

export class FlowRegistry {
  private readonly flows = new Map<string, FlowDefinition>();

  constructor(flows: readonly FlowDefinition[] = []) {
    for (const flow of flows) this.register(flow);
  }

  register(flow: FlowDefinition): void {
    if (this.flows.has(flow.name))
      throw new LedgerlinkError('LL_ERR_CONFIG_INVALID', `Flow ${flow.name} is registered twice`);
    if (flow.steps[flow.firstStep] === undefined) {
      throw new LedgerlinkError(
        'LL_ERR_CONFIG_INVALID',
        `Flow ${flow.name} has no handler for its first step ${flow.firstStep}`,
      );
    }
    for (const poller of flow.pollers ?? []) {
      if (this.pollers().some((p) => p.name === poller.name)) {
        throw new LedgerlinkError(
          'LL_ERR_CONFIG_INVALID',
          `Poller ${poller.name} of flow ${flow.name} is registered twice`,
        );
      }
    }
    this.flows.set(flow.name, flow);
  }

  /** Every flow's pollers. */
  pollers(): PollerDefinition[] {
    return [...this.flows.values()].flatMap((flow) => flow.pollers ?? []);
  }

  all(): FlowDefinition[] {
    return [...this.flows.values()];
  }

  get(name: string): FlowDefinition | undefined {
    return this.flows.get(name);
  }

  handler(flowName: string, step: string): StepHandler | undefined {
    return this.flows.get(flowName)?.steps[step];
  }
}
