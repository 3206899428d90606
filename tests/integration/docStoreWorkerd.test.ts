import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { docStoreContract } from '../../party/storage/docStoreContract';
import { freePort } from '../../scripts/lib/freePort';
import { ROOT } from '../../scripts/lib/root';
import { startWorker } from '../../scripts/lib/rooms';
import type { ServiceProcess } from '../../scripts/lib/ServiceProcess';
import { probeStorage } from '../workerd/probeStorage';

// DocStore's contract (DS1-DS8 behaviour: round trips, group commit, chunking under 128 KiB, one-list loads,
// compaction) against real SQLite-backed Durable Object storage in workerd, the storage the rooms use: every
// storage call of the suite runs on a Durable Object's `ctx.storage` in the test-only probe worker.
let probe: ServiceProcess | undefined;
let url = '';
let objects = 0;

beforeAll(async () => {
	const port = await freePort();
	probe = await startWorker({ name: 'storage probe', config: join(ROOT, 'tests/workerd/wrangler.toml'), port, stateDir: mkdtempSync(join(tmpdir(), 'fp-probe-')), vars: {} });
	url = `http://127.0.0.1:${port}`;
}, 90_000);

afterAll(async () => {
	await probe?.stop();
});

docStoreContract('Durable Object storage in workerd', async () => {
	// A new object per test: empty storage. Reopening reads the same object's committed contents afresh.
	const name = `contract-${++objects}-${Date.now()}`;
	return { storage: probeStorage(url, name), reopen: async () => probeStorage(url, name) };
});
