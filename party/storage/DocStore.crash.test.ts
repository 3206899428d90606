import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocStore, STORAGE_ORIGIN } from './DocStore';
import { MemoryStorage } from './MemoryStorage';

// DOCSTORE_CRASH_TRIALS=2000 for a longer hunt; seeds are deterministic, so a failure names the seed to replay.
const TRIALS = Number(process.env.DOCSTORE_CRASH_TRIALS ?? 240);
const DOC_IDS = ['notes', 'client', 'internal'] as const;
// Small limits so that a few dozen edits already chunk log entries and snapshots and compact often.
const OPTIONS = { compactAfterEntries: 4, compactAfterBytes: 4096, maxValueBytes: 300, onBackgroundError: () => {} };

/** Deterministic PRNG (mulberry32), so a failing seed can be replayed alone. */
function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** What a run wrote: the value of every key it set, and the keys whose append resolved. */
interface Ledger {
	values: Map<string, string>;
	acked: Set<string>;
}

/**
 * A room's life on `storage`: load the documents, then a seeded mix of edits (some big enough to be
 * chunked), waits for acknowledgements, explicit compactions and pauses. Stops early when the storage
 * crashes; every promise it created has settled when it returns.
 */
async function runRoom(storage: MemoryStorage, seed: number, tag: string, ledger: Ledger): Promise<void> {
	const rng = random(seed);
	const pending: Promise<unknown>[] = [];
	try {
		const store = await DocStore.open(storage, OPTIONS);
		const docs: Y.Doc[] = [];
		for (const [i, docId] of DOC_IDS.entries()) {
			const doc = new Y.Doc();
			doc.clientID = seed * 10 + i + 1; // same update bytes in the dry run and the crash run
			await store.load(docId, doc);
			docs.push(doc);
		}
		const appended: { last?: Promise<void> } = {};
		docs.forEach((doc, i) =>
			doc.on('update', (update: Uint8Array, origin: unknown) => {
				if (origin !== STORAGE_ORIGIN) appended.last = store.append(DOC_IDS[i], update);
			})
		);
		for (let step = 0; step < 40 && !storage.crashed; step++) {
			const r = rng();
			const which = Math.floor(rng() * docs.length);
			if (r < 0.6) {
				const key = `${DOC_IDS[which]}/${tag}-${step}`;
				const value = rng() < 0.1 ? `big-${'x'.repeat(700 + Math.floor(rng() * 900))}` : `v${step}`;
				ledger.values.set(key, value);
				docs[which].getMap('m').set(key, value);
				const ack = appended.last!.then(() => ledger.acked.add(key));
				pending.push(ack.catch(() => undefined));
			} else if (r < 0.75) {
				await pending[Math.floor(rng() * pending.length)];
			} else if (r < 0.85) {
				pending.push(store.compact(DOC_IDS[which]).catch(() => undefined));
			} else {
				await new Promise((resolve) => setImmediate(resolve));
			}
		}
		await store.flush();
	} catch {
		// The simulated crash surfaced here (load or flush); what matters is what storage holds.
	}
	await Promise.all(pending);
}

/** Loads every document from `storage` and checks it holds every acknowledged key with no missing dependency. */
async function verify(storage: MemoryStorage, ledger: Ledger, context: string): Promise<void> {
	const store = await DocStore.open(storage, OPTIONS);
	for (const docId of DOC_IDS) {
		const doc = new Y.Doc();
		await store.load(docId, doc); // (1) loads without error
		const map = doc.getMap<string>('m');
		// A stored update whose predecessor is missing would sit in pendingStructs, invisible: the log must be a prefix.
		expect(doc.store.pendingStructs, `${context}: ${docId} has updates with missing dependencies`).toBeNull();
		for (const key of ledger.acked) {
			// (2) every acknowledged update is there, with its value
			if (key.startsWith(`${docId}/`)) expect(map.get(key), `${context}: acknowledged ${key}`).toBe(ledger.values.get(key));
		}
		for (const [key, value] of map) expect(value, `${context}: ${key} holds what was written`).toBe(ledger.values.get(key));
	}
}

/** Which step of the protocol a crash hit. */
function phaseOf(storage: MemoryStorage): string {
	const op = storage.crashed!;
	if (op.kind === 'put' && op.keys.some((k) => k.includes(':log:'))) return 'log put';
	if (op.kind === 'put' && op.keys.some((k) => k.includes(':snap:'))) return 'snapshot chunk put';
	if (op.kind === 'put' && op.keys.some((k) => k.endsWith(':meta'))) return 'meta switch';
	if (op.kind === 'delete') return 'delete after switch';
	return op.kind;
}

describe('DocStore crash safety (seeded)', () => {
	it(`DS1 DS2 after a crash at a random storage call, a reload is consistent and holds every acknowledged update (${TRIALS} seeds)`, async () => {
		const phases = new Map<string, number>();
		for (let seed = 1; seed <= TRIALS; seed++) {
			const choose = random(seed ^ 0x5eed);
			const ledger: Ledger = { values: new Map(), acked: new Set() };

			// History before the crash: a previous process wrote data and compacted (snapshots and a log exist).
			const base = new MemoryStorage();
			await runRoom(base, seed, 'before', ledger);

			// Count the calls of the run we are about to crash, then crash it at one of them (or just after, once committed).
			const dry = base.restart();
			await runRoom(dry, seed + 1000, 'run', { values: new Map(), acked: new Set() });
			const crashing = base.restart();
			crashing.crashAt(1 + Math.floor(choose() * dry.operations.length), { applied: choose() < 0.5 });
			if (choose() < 0.3) crashing.failNext(1, 'put'); // sometimes a transient failure first
			await runRoom(crashing, seed + 1000, 'run', ledger);
			const phase = crashing.crashed ? phaseOf(crashing) : 'none';
			phases.set(phase, (phases.get(phase) ?? 0) + 1);

			const context = `seed ${seed}, crash during ${phase}`;
			const recovered = crashing.restart();
			await verify(recovered, ledger, context);
			// The next process works on what the crash left: more edits, compactions, and another reload.
			await runRoom(recovered, seed + 2000, 'after', ledger);
			await verify(recovered.restart(), ledger, `${context}, then a clean run`);
		}
		console.info(`[DocStore] crash points hit: ${[...phases].map(([phase, n]) => `${phase} ${n}`).join(', ')}`);
		for (const phase of ['log put', 'snapshot chunk put', 'meta switch', 'delete after switch']) expect(phases.get(phase) ?? 0, phase).toBeGreaterThan(0);
	}, 120_000);
});
