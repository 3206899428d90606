// `npm run bench`: starts a real rooms server (the rooms worker's deploy bundle in workerd) on a free port and measures what
// the issues set targets for. Prints a table, then the same figures as JSON on the last line.
import { BENCH_BRIDGE_SECRET, measureBridgeLatency } from './bench/bridgeLatency';
import { measureFanout } from './bench/fanout';
import { measureLiveFanout } from './bench/liveFanout';
import { measureLoad } from './bench/loadTime';
import { measureRoomMemory } from './bench/memory';
import { BENCH_SECRET } from './bench/rawClients';
import { serverCpuMs } from './bench/serverCpu';
import { round } from './bench/stats';
import { measureThroughput } from './bench/throughput';
import { DASHBOARD_JS_BUDGET_BYTES, buildForProduction, kB, measureRoutes } from './checkBundle';
import { startRooms } from './lib/rooms';
import { ensureWebBuilt } from './lib/webBuild';

const quick = process.argv.includes('--quick');
// `--only throughput,load` runs some measures (names: fanout, throughput, load, memory, bundle, bridge, live).
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const want = (name: string) => !only || only.includes(name);
const rooms = await startRooms({
	secret: BENCH_SECRET,
	// The per-connection limit (20 commands/s) is a guard against abusive clients, not the room's capacity;
	// lifting it lets a few sockets measure the room rather than the limit (2,300/s would need 115 sockets).
	vars: { ROOM_COMMANDS_PER_SECOND: '100000' },
	// The `bridge` measure's own bknd delivers its changes to these rooms.
	bridgeSecret: BENCH_BRIDGE_SECRET
});
// Ctrl-C or a timeout: exit normally so the rooms server's process group is killed on the way out (ServiceProcess).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
const results: Record<string, unknown> = {};
const progress = (step: string) => console.error(`· ${step}…`);
const rows: Array<[string, string, string, string]> = [];
try {
	for (const clients of want('fanout') ? [10, 50, 200] : []) {
		progress(`fan-out to ${clients} clients`);
		const fan = await measureFanout({ roomsUrl: rooms.url, tenant: 'bench-diffusion', projectId: clients }, clients, quick ? 30 : 100);
		results[`fanout_${clients}`] = fan;
		rows.push([`fan-out, ${clients} clients (ms)`, `p50 ${round(fan.p50)} · p99 ${round(fan.p99)} · max ${round(fan.max)}`, clients === 50 ? 'p99 ≤ 11' : '', clients === 50 ? pass(fan.p99 <= 11) : '']);
	}
	if (want('throughput')) {
		progress('sustained commands');
		const cpuBefore = serverCpuMs(rooms.process.pid!);
		const throughput = await measureThroughput({ roomsUrl: rooms.url, tenant: 'bench-debit', projectId: 1 }, 10, quick ? 3 : 10);
		// Warm-up and the measured seconds together: divided by the measured acks, a slight overestimate.
		const cpuPerCommandMs = (serverCpuMs(rooms.process.pid!) - cpuBefore) / throughput.acked;
		results.throughput = { ...throughput, cpuPerCommandMs };
		rows.push(['acknowledged commands/s, one room', `${Math.round(throughput.perSecond)}/s (${throughput.senders} sockets, ${throughput.errors} errors)`, '≥ 2,300', pass(throughput.perSecond >= 2300)]);
		rows.push(['longest stall without an ack (ms)', `${round(throughput.maxStallMs)}`, '≤ 100', pass(throughput.maxStallMs <= 100)]);
		rows.push(['rooms server CPU per acked command (ms; holds on a loaded machine)', `${round(cpuPerCommandMs, 2)}`, '', '']);
	}
	if (want('load')) {
		progress('loading a large document');
		const load = await measureLoad({ roomsUrl: rooms.url, tenant: 'bench-chargement', projectId: 1 }, quick ? 2_000 : 10_000, 5);
		results.load = load;
		rows.push([`new client loads ${load.threads} threads (ms)`, `p50 ${round(load.p50)} · min ${round(load.min)} · max ${round(load.max)} (${round(load.bytes / 1e6, 2)} MB)`, '< 150', pass(load.p50 < 150)]);
	}
	if (want('bundle')) {
		// The dashboards' JavaScript, gzipped, from the build (rebuilt first when its sources changed).
		progress('dashboard JavaScript');
		ensureWebBuilt({ log: progress });
		let bundles = measureRoutes();
		// A build left by the test tier (NODE_ENV=test) has Svelte's development runtime: measure what ships instead.
		if (bundles.some((b) => b.development)) {
			progress('production build');
			buildForProduction();
			bundles = measureRoutes();
		}
		results.bundle = Object.fromEntries(bundles.map((b) => [b.route, { gzipBytes: b.gzipBytes, rawBytes: b.rawBytes, files: b.files.length }]));
		for (const b of bundles) rows.push([`JS of ${b.route} (gzip)`, kB(b.gzipBytes), `≤ ${kB(DASHBOARD_JS_BUDGET_BYTES)}`, pass(b.gzipBytes <= DASHBOARD_JS_BUDGET_BYTES)]);
	}
	if (want('memory')) {
		progress('memory per room');
		const memory = await measureRoomMemory(rooms.url, rooms.process.pid!, quick ? 20 : 100);
		results.memory = memory;
		rows.push([`memory per idle room (${memory.rooms} rooms)`, `${round(memory.perRoomKb)} kB (${round(memory.beforeMb)} → ${round(memory.afterMb)} MB)`, '', '']);
	}
	if (want('bridge')) {
		for (const paceMs of [0, 50]) {
			progress(`bknd write → live room → dashboard socket${paceMs ? `, a write every ${paceMs} ms` : ', back to back'}`);
			const bridge = await measureBridgeLatency(rooms.url, quick ? 200 : 1_000, paceMs);
			results[paceMs ? `bridge_paced_${paceMs}` : 'bridge'] = bridge;
			const label = paceMs ? `a write every ${paceMs} ms` : 'back to back';
			rows.push([`bknd write → dashboard event, ${bridge.writes} writes ${label} (ms)`, `p50 ${round(bridge.p50)} · p99 ${round(bridge.p99)} · max ${round(bridge.max)}`, 'p99 < 50', pass(bridge.p99 < 50)]);
		}
	}
	if (want('live')) {
		// One tenant live room (hibernating party) with many dashboard sockets: the rooms server's memory, and
		// how long one event takes to reach all of them.
		const watchers = quick ? 500 : 2_000;
		progress(`live room fan-out to ${watchers} watchers`);
		const live = await measureLiveFanout({ roomsUrl: rooms.url, serverPid: rooms.process.pid!, bridgeSecret: BENCH_BRIDGE_SECRET }, watchers, 20);
		results.live = live;
		rows.push([`live room: ${live.watchers} watchers, rooms server memory`, `${round(live.beforeMb)} → ${round(live.afterMb)} MB (${round(live.perWatcherKb)} kB each; all connected in ${round(live.connectMs / 1000, 1)} s)`, '', '']);
		rows.push([`live room: one event to all ${live.watchers} (ms, ${live.events} events)`, `p50 ${round(live.p50)} · p99 ${round(live.p99)} · max ${round(live.max)} (per socket p50 ${round(live.socketP50)})`, '', '']);
	}
} finally {
	await rooms.stop();
}

const widths = [0, 1, 2, 3].map((i) => Math.max(...[['measure', 'result', 'target', ''], ...rows].map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join(' │ ');
console.log(line(['measure', 'result', 'target', '']));
console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
for (const row of rows) console.log(line(row));
console.log(JSON.stringify({ machine: { cores: (await import('node:os')).cpus().length, node: process.version }, ...results }));

function pass(ok: boolean): string {
	return ok ? 'ok' : 'MISSED';
}
