/**
 * How long the verifier page takes to show its verdict after navigation, in Chromium, from an empty
 * cache, optionally on an emulated phone: used by the browser test (that throttling applies and the
 * verdict shows) and by `npm run bench` (the figure against its target).
 */
import type { BrowserContext } from 'playwright-core';

/** A mid-range phone on a slow mobile network, as Chromium's DevTools emulate one. */
export const PHONE_THROTTLING = { cpuRate: 4, latencyMs: 150, bytesPerSecond: 1_600_000 / 8 };

/**
 * Records, in the page, when the verdict banner first shows a settled verdict: the frame after the
 * banner changed, in ms since navigation started. `window.verdictShown` resolves with it.
 */
const RECORD_VERDICT_TIME = `
  window.verdictShown = new Promise((resolve) => {
    new MutationObserver((_, observer) => {
      const verdict = document.querySelector('[data-testid="verdict"]')?.getAttribute('data-verdict');
      if (!verdict || verdict === 'checking') return;
      observer.disconnect();
      requestAnimationFrame(() => resolve({ at: performance.now(), verdict }));
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
`;

export interface VerdictVisit {
  /** Milliseconds from navigation to the frame that showed the verdict. */
  at: number;
  verdict: string;
  /** What the page fetched when, for a log. */
  waterfall: string[];
}

/** One fresh visit of `url` (cache disabled), throttled like a phone or not. */
export async function visitForVerdict(browser: BrowserContext, url: string, throttled: boolean): Promise<VerdictVisit> {
  const page = await browser.newPage();
  try {
    const cdp = await browser.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (throttled) {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: PHONE_THROTTLING.latencyMs,
        downloadThroughput: PHONE_THROTTLING.bytesPerSecond,
        uploadThroughput: PHONE_THROTTLING.bytesPerSecond,
      });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: PHONE_THROTTLING.cpuRate });
    }
    await page.addInitScript(RECORD_VERDICT_TIME);
    await page.goto(url);
    const visit = await page.evaluate(async () => {
      const shown = await (window as unknown as { verdictShown: Promise<{ at: number; verdict: string }> }).verdictShown;
      const fetched = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      return {
        ...shown,
        waterfall: fetched.map((e) => `${Math.round(e.startTime)}-${Math.round(e.responseEnd)} ms ${new URL(e.name).pathname}`),
      };
    });
    await cdp.detach();
    return visit;
  } finally {
    await page.close();
  }
}
