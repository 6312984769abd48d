import { AggregatorRegistry } from 'prom-client';

/** For the primary of several HTTP workers: every worker's figures, added up (states by their highest value). */
export function clusterMetrics(): () => Promise<string> {
  const aggregator = new AggregatorRegistry();
  return () => aggregator.clusterMetrics();
}
