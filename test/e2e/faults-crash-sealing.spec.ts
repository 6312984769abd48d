/** SIGKILL right after a batch is sealed, and after its transaction is stored but before it is broadcast. */
import { describeCrashRecovery } from '../support/crash-recovery';

jest.setTimeout(180_000);
describeCrashRecovery(['sealed', 'signed']);
