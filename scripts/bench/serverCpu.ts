import { readFileSync } from 'node:fs';
import { processTree } from '../lib/processTree';

// Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux).
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) used so far by `pid` and every process below it (the rooms runtime and its workerd).
 * Unlike latencies it barely moves when other work shares the machine, so a figure per acked command compares runs
 * taken on a loaded machine. 0 where /proc is missing (not Linux).
 */
export function serverCpuMs(pid: number): number {
	let ticks = 0;
	for (const child of processTree(pid)) {
		try {
			const stat = readFileSync(`/proc/${child}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the line)
		} catch {
			// gone, or not Linux
		}
	}
	return (ticks * 1000) / TICKS_PER_SECOND;
}
