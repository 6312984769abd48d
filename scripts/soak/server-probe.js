'use strict';
// Preloaded into the server under soak (node -r): answers the soak's probe messages over the IPC
// channel with the process's memory after a forced GC and its event-loop delay. Adds no route and
// nothing else to the server.
const { monitorEventLoopDelay } = require('node:perf_hooks');

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

process.on('message', (message) => {
  if (message === null || typeof message !== 'object' || message.type !== 'probe') return;
  if (message.gc && typeof global.gc === 'function') {
    // Twice: the first pass may leave objects that only a second one frees (weak references, finalizers).
    global.gc();
    global.gc();
  }
  const memory = process.memoryUsage();
  const ms = (ns) => ns / 1e6;
  const answer = {
    type: 'probe',
    id: message.id,
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    eventLoopDelay: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
  };
  if (message.resetDelay) delay.reset();
  process.send(answer);
});
// The channel must not keep the server alive when it shuts down.
if (process.channel) process.channel.unref();
