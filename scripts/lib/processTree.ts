import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Direct children of `pid` (empty when there are none or `pid` is gone). */
export function childrenOf(pid: number): number[] {
	try {
		return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map((s) => Number(s.trim())).filter(Boolean);
	} catch {
		return []; // ps exits 1 when there are none
	}
}

/** `pid` and every process below it, depth first. */
export function processTree(pid: number): number[] {
	return [pid, ...childrenOf(pid).flatMap(processTree)];
}

/** The executable name of `pid` (`/proc/<pid>/comm`), or `null` once it is gone. */
export function processName(pid: number): string | null {
	try {
		return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
	} catch {
		return null;
	}
}

/** Whether `pid` still runs (a zombie, killed but not yet reaped by its parent, does not). */
export function isRunning(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return false;
	}
}
