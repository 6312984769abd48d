import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { SqlExecutor } from '../database/sql-executor';
import { HealthService } from '../health/health.service';
import { WebhookOutbox } from './webhook-outbox';

/**
 * Watches the anchoring health (what /readyz reports as stalled) and reports each stall episode once
 * to every subscribed brand with events waiting (`anchoring.stalled`); the episode ends when anchoring
 * catches up. Every instance watches; the database decides which one opens an episode.
 */
@Injectable()
export class WebhookStallWatcherService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookStallWatcherService.name);
  private timer: NodeJS.Timeout | null = null;
  private checking = false;

  constructor(
    private readonly config: AppConfig,
    private readonly health: HealthService,
    private readonly sql: SqlExecutor,
    private readonly outbox: WebhookOutbox,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.anchoring.enabled) return;
    const every = Math.min(30_000, Math.max(200, Math.floor(this.config.anchoring.stalledAfterMs / 4)));
    this.timer = setInterval(() => void this.check(), every);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer !== null) clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const stall = await this.health.anchoringStall();
      if (stall.stalled && stall.oldestUnanchoredMs !== null) {
        const oldestUnanchoredMs = stall.oldestUnanchoredMs;
        const opened = await this.sql.transaction((session) =>
          this.outbox.anchoringStalled(session, { oldestUnanchoredMs, stalledAfterMs: stall.stalledAfterMs }),
        );
        if (opened) this.logger.warn('anchoring stalled: anchoring.stalled webhook messages written');
      } else if (!stall.stalled) {
        await this.outbox.stallEnded();
      }
    } catch (e) {
      this.logger.warn(`checking for an anchoring stall failed: ${e instanceof Error ? e.name : 'error'}`);
    } finally {
      this.checking = false;
    }
  }
}
