/**
 * Where a service's CPU time goes: a V8 CPU profile (`node --cpu-prof`) read into shares of busy
 * time per phase of a write request, judged by the frames on each sample's stack.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The first rule whose pattern matches any frame of a sample's stack names its phase. */
const PHASES: readonly (readonly [string, RegExp])[] = [
  ['request validation (class-validator)', /class-validator|class-transformer|validation\.pipe/],
  ['authentication', /access\.guard|api-key/],
  ['body parsing', /json-body-parser|strict-json|content-type-parser/],
  ['metrics', /prom-client|http-metrics/],
  ['webhook outbox', /webhook-/],
  ['logging', /pino|logger-params/],
  ['database driver and group SQL', /sql-executor|node_modules\/pg|pg-protocol|pg-pool|\.repository\.js/],
  [
    'ordertrace logic (planning, hashing, encryption)',
    /orders\.service|order-writer|order-commands|event-builder|\/proof\/|sealed-field|aes-gcm-envelope|data-key-ring|display-text|\.dto\.js/,
  ],
  ['response serialization', /fastify\/lib\/reply|fast-json-stringify/],
  ['Nest request pipeline', /@nestjs/],
  ['Fastify routing and hooks', /node_modules\/fastify|find-my-way|middie/],
  ['Node HTTP and sockets', /node:(_http|net|internal\/stream|stream)/],
];

export interface PhaseShare {
  phase: string;
  share: number;
}

/**
 * Shares of busy (not idle) time per phase over the profile's samples from `fromMs` to `toMs`
 * after it started (the load window), largest first.
 */
export function phaseShares(profile: CpuProfile, fromMs: number, toMs: number): PhaseShare[] {
  const parent = new Map<number, ProfileNode>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node);
  }
  const totals = new Map<string, number>();
  let busy = 0;
  let at = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < fromMs * 1000 || at > toMs * 1000) return;
    const leaf = byId.get(id);
    if (leaf === undefined || leaf.callFrame.functionName === '(idle)') return;
    busy += delta;
    let phase: string;
    if (leaf.callFrame.functionName === '(garbage collector)') phase = 'garbage collection';
    else {
      const frames: string[] = [];
      for (let node: ProfileNode | undefined = leaf; node !== undefined; node = parent.get(node.id)) frames.push(node.callFrame.url);
      const stack = frames.join('\n');
      phase = PHASES.find(([, pattern]) => pattern.test(stack))?.[0] ?? 'other';
    }
    totals.set(phase, (totals.get(phase) ?? 0) + delta);
  });
  return [...totals].map(([phase, time]) => ({ phase, share: busy === 0 ? 0 : time / busy })).sort((a, b) => b.share - a.share);
}

/** The one `.cpuprofile` a process wrote into `dir`. */
export function readCpuProfile(dir: string): CpuProfile {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error(`no CPU profile in ${dir}`);
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
}

/** Milliseconds from the profile's first sample to its last. */
export function profileLengthMs(profile: CpuProfile): number {
  return profile.timeDeltas.reduce((a, b) => a + b, 0) / 1000;
}
