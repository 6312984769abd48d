import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { OrdersRepository } from './orders.repository';

/** Orders created before a table of unknown size is analyzed the first time. */
const FIRST_ANALYZE_AFTER = 1_000;
/** How long an analysis waits for the table's lock before it gives up until the next one is due. */
const ANALYZE_LOCK_TIMEOUT_MS = 2_000;

/**
 * Fresh planner statistics while the orders table grows fast. The write path's statements are
 * prepared once per connection, and PostgreSQL may keep the generic plan it made while the table was
 * small, one that reads the whole table to find a group's orders, until the table is analyzed again.
 * Autovacuum gets to that within a minute or so; a young table (a new deployment, a brand's first
 * import) can grow many times over in that minute, and every write group pays for it. So each time
 * the orders this process has created reach as many as the table held at the last analysis, it
 * analyzes the table itself: a few times while the table is young, and ever more rarely after.
 * PostgreSQL only: the embedded database prepares no statements.
 */
@Injectable()
export class OrdersTableStatistics {
  private readonly logger = new Logger(OrdersTableStatistics.name);
  private createdSinceAnalyze = 0;
  /** The table's size at the last analysis; null until read. */
  private countAtAnalyze: number | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly orders: OrdersRepository,
  ) {}

  /** Counts orders just committed, and starts an analysis in the background when they are due one. */
  ordersCreated(count: number): void {
    if (count === 0 || this.config.database.driver !== 'postgres') return;
    this.createdSinceAnalyze += count;
    if (this.running !== null || !this.due()) return;
    this.running = this.refresh()
      .catch((e: unknown) => {
        // Tried again only once as many orders more are created, not after every write group.
        this.createdSinceAnalyze = 0;
        this.logger.warn(`analyzing the orders table failed: ${e instanceof Error ? e.message : 'unknown error'}`);
      })
      .finally(() => (this.running = null));
  }

  /** Resolves once no analysis is running (for tests). */
  async settled(): Promise<void> {
    await this.running;
  }

  private due(): boolean {
    return this.createdSinceAnalyze >= Math.max(FIRST_ANALYZE_AFTER, this.countAtAnalyze ?? 0);
  }

  private async refresh(): Promise<void> {
    this.countAtAnalyze ??= await this.orders.estimatedCount();
    if (!this.due()) return;
    const counted = this.createdSinceAnalyze;
    await this.orders.analyze(ANALYZE_LOCK_TIMEOUT_MS);
    this.createdSinceAnalyze -= counted;
    this.countAtAnalyze = await this.orders.estimatedCount();
  }
}
