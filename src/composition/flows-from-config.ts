/**
 * The flows the configuration enables, each given its connectors (by role) and the hub services it
 * needs. A finance flow is enabled when its section under `flows:` is present and not
 * `enabled: false`, and the systems it works with are configured.
 */
import type { LedgerlinkConfig } from '../config/load-config.js';
import { EchoSinkConnector } from '../connectors/echo/connector.js';
import type { FlowDefinition, IdentityMap, PostingLookup } from '../engine/step-api.js';
import { echoFlow } from '../flows/echo.js';
import type { MappingSetSource } from '../mapping/mapping-set.js';
import type { Connectors } from './connectors-from-config.js';

/** What the hub hands to flows besides connectors. */
export interface FlowServices {
  readonly identity: IdentityMap;
  readonly postings: PostingLookup;
  /** The current mapping set, or a run's own version for replays. */
  readonly mappings: MappingSetSource;
}

/** A flow section is on when present and not disabled. */
export function flowEnabled(section: { readonly enabled?: boolean } | undefined): boolean {
  return section !== undefined && section.enabled !== false;
}

export function flowsFromConfig(config: LedgerlinkConfig, connectors: Connectors, services: FlowServices): FlowDefinition[] {
  void connectors;
  void services;
  const flows: FlowDefinition[] = [];
  if (config.echo !== null) {
    const sink = new EchoSinkConnector({ url: config.echo.url });
    flows.push(echoFlow(sink, config.echo.systems === undefined ? {} : { systems: config.echo.systems }));
  }
  return flows;
}
