/** Worker thread of RecordChecker: runs checkStoredRecord over each page of rows it is sent. */
import { parentPort } from 'node:worker_threads';
import { checkStoredRecord, type StoredEventRow } from './order-history-check';

const port = parentPort;
if (port === null) throw new Error('record-check-worker runs as a worker thread only');
port.on('message', (message: { id: number; rows: StoredEventRow[] }) => {
  port.postMessage({ id: message.id, results: message.rows.map(checkStoredRecord) });
});
