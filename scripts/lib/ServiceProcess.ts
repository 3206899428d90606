import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from './waitFor';

export interface ServiceOptions {
	name: string;
	command: string;
	args: string[];
	cwd: string;
	env?: Record<string, string>;
	/** Resolves once the service answers; gets the output seen so far. */
	ready: (output: string) => Promise<boolean> | boolean;
	readyTimeout?: number;
	/** Also print the service's output, prefixed with its name (for `npm start`). */
	echo?: boolean;
}

/**
 * A server started for a test or by `npm start`, in its own process group so that stopping it also
 * stops what it spawned (wrangler dev and partykit dev leave workerd serving the port otherwise: SIGKILL of the node process alone
 * left workerd orphaned and still listening).
 */
// Every process group still running, so an exiting parent never leaves a server (and its port) behind.
const running = new Set<number>();
process.on('exit', () => {
	for (const pid of running) {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
});

export class ServiceProcess {
	private output = '';
	private exited: Promise<number | null>;

	private constructor(
		readonly name: string,
		private readonly child: ChildProcess,
		echo: boolean
	) {
		const onData = (chunk: Buffer) => {
			this.append(chunk);
			if (echo) for (const line of chunk.toString().split('\n')) if (line.trim()) process.stdout.write(`[${name}] ${line}\n`);
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		if (child.pid) running.add(child.pid);
		this.exited = new Promise((resolve) =>
			child.once('exit', (code) => {
				if (child.pid) running.delete(child.pid);
				resolve(code);
			})
		);
	}

	static async start(options: ServiceOptions): Promise<ServiceProcess> {
		const child = spawn(options.command, options.args, {
			cwd: options.cwd,
			env: { ...process.env, ...options.env },
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		const service = new ServiceProcess(options.name, child, options.echo ?? false);
		let exitCode: number | null | undefined;
		void service.exited.then((code) => (exitCode = code));
		try {
			await waitFor(
				async () => {
					if (exitCode !== undefined) throw new Error(`${options.name} exited with ${exitCode}`);
					return options.ready(service.output);
				},
				{ timeout: options.readyTimeout ?? 60_000, interval: 100, message: `${options.name} to be ready` }
			);
		} catch (error) {
			await service.stop();
			throw new Error(`${String(error)}\n--- ${options.name} output ---\n${service.output.slice(-4000)}`);
		}
		return service;
	}

	get log(): string {
		return this.output;
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	/** SIGTERM to the whole group, then SIGKILL if it lingers. */
	async stop(): Promise<void> {
		await this.signal('SIGTERM');
		const timer = setTimeout(() => void this.signal('SIGKILL'), 5_000);
		await this.exited;
		clearTimeout(timer);
		// Children (workerd) may outlive the group leader by a moment; make sure none keeps the port.
		await this.signal('SIGKILL');
		await this.groupGone();
	}

	/** Simulates a crash: SIGKILL to every process in the group at once, no cleanup. */
	async crash(): Promise<void> {
		await this.signal('SIGKILL');
		await this.exited;
		await this.groupGone();
	}

	/**
	 * Resolves once no process of the group is left, so a restart on the same port never races the old workerd for
	 * it (a restart right after stop once failed with wrangler exiting 1; its output was not kept).
	 */
	private async groupGone(): Promise<void> {
		const pid = this.child.pid;
		if (!pid) return;
		const alive = () => {
			try {
				process.kill(-pid, 0);
				return true;
			} catch {
				return false;
			}
		};
		await waitFor(() => !alive(), { timeout: 5_000, interval: 20, message: `${this.name} to be gone` }).catch(() => {});
	}

	private async signal(signal: NodeJS.Signals): Promise<void> {
		if (!this.child.pid) return;
		try {
			process.kill(-this.child.pid, signal);
		} catch {
			// the group is already gone
		}
	}

	private append(chunk: Buffer) {
		// Keep the tail only: long-running services log a lot and tests only need recent lines for diagnostics.
		this.output = (this.output + chunk.toString()).slice(-200_000);
	}
}
