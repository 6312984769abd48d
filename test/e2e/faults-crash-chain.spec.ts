/** SIGKILL right after the anchoring transaction is broadcast, and while it waits for confirmations. */
import { describeCrashRecovery } from '../support/crash-recovery';

jest.setTimeout(180_000);
describeCrashRecovery(['submitted', 'mined']);
