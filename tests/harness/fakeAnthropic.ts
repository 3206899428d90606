import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages';
import type { AnalysisContent } from '../../shared/intake/analysis';
import { sampleClaudeAnalysis } from '../../shared/intake/testKit';

// A local stand-in for the Anthropic Messages API (POST /v1/messages), on a free loopback port, speaking its wire
// format: with `stream: true`, real server-sent events (message_start, content_block_start for text and tool_use
// blocks, content_block_delta with text_delta / input_json_delta, content_block_stop, message_delta, message_stop);
// without, one JSON message; errors as Anthropic's JSON error bodies with their headers (retry-after).
// Tests script what it answers (per request in order, or chosen from the request itself) and read what it was
// asked (system prompt, messages, tools, headers), so retries and the prompt's wording can be asserted.

export type FakeReply =
	/** A tool call whose input is `input` (an object, sent as JSON) or `raw` (any text: malformed JSON on purpose). */
	| {
			kind: 'answer';
			input?: AnalysisContent | Record<string, unknown>;
			raw?: string;
			/** A text block before the tool call (the real API may send one). */
			text?: string;
			/** Characters per input_json_delta (default 48). */
			chunk?: number;
			/** Waited for after the tool block starts and before its deltas: lets a test hold the answer open. */
			hold?: Promise<unknown>;
			/** Pause between deltas, in ms (default 0). */
			delayMs?: number;
	  }
	/** An error answer: 429 with `retryAfter`, 500, 529… */
	| { kind: 'status'; status: number; retryAfter?: string }
	/** Starts streaming, then never finishes: the client has to give up. */
	| { kind: 'stall' };

export interface RecordedRequest {
	/** When it arrived (Date.now()). */
	at: number;
	method: string;
	path: string;
	headers: IncomingHttpHeaders;
	body: any;
	/** The client closed the connection before the answer ended. */
	aborted: boolean;
	/** The reply it got. */
	reply: FakeReply['kind'];
}

export interface FakeAnthropic {
	/** Base URL for the SDK (`baseURL`) or the web app (`ANTHROPIC_BASE_URL`): `http://127.0.0.1:<port>`. */
	url: string;
	requests: RecordedRequest[];
	/** Replies to the next requests, in order; after them, `route`, then the default answer. */
	script(...replies: FakeReply[]): void;
	/** Chooses the reply from the request (e.g. by a marker in the brief); `undefined`: the default answer. */
	route(choose: ((request: RecordedRequest) => FakeReply | undefined) | null): void;
	/** Forgets the scripts, the route and the recorded requests. */
	reset(): void;
	close(): Promise<void>;
}

const TOOL_NAME_FALLBACK = 'record_intake_analysis';

/**
 * Every field the installed SDK's Messages API version accepts. Typed as a Record over the SDK's own params, so
 * `tsc` fails when an SDK upgrade adds or drops one. The real API answers 400 to any other field, and so does the
 * fake: a parameter the API no longer has (`temperature` on 2026-10-21) cannot slip through the tests again.
 */
const MESSAGE_FIELDS: Record<keyof MessageCreateParamsBase, true> = {
	max_tokens: true,
	messages: true,
	model: true,
	cache_control: true,
	container: true,
	diagnostics: true,
	inference_geo: true,
	metadata: true,
	output_config: true,
	service_tier: true,
	speed: true,
	stop_sequences: true,
	stream: true,
	system: true,
	thinking: true,
	tool_choice: true,
	tools: true,
	user_profile_id: true,
	workspace_id: true
};

/** The request's fields the API does not have, in the order sent. */
export function unknownMessageFields(body: unknown): string[] {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
	return Object.keys(body).filter((key) => !Object.hasOwn(MESSAGE_FIELDS, key));
}

/** Starts the fake on 127.0.0.1 and a free port. */
export async function startFakeAnthropic(): Promise<FakeAnthropic> {
	let queue: FakeReply[] = [];
	let chooser: ((request: RecordedRequest) => FakeReply | undefined) | null = null;
	const requests: RecordedRequest[] = [];
	const open = new Set<ServerResponse>();

	const server = createServer(async (req, res) => {
		let text = '';
		req.setEncoding('utf8');
		for await (const chunk of req) text += chunk;
		let body: any = null;
		try {
			body = JSON.parse(text);
		} catch {
			// recorded as null: the client sent something that is not JSON
		}
		const recorded: RecordedRequest = { at: Date.now(), method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, aborted: false, reply: 'answer' };
		requests.push(recorded);
		open.add(res);
		res.on('close', () => {
			open.delete(res);
			if (!res.writableFinished) recorded.aborted = true;
		});

		if (req.method !== 'POST' || !req.url?.startsWith('/v1/messages')) {
			return sendError(res, 404, 'not_found_error', `No route ${req.method} ${req.url} in the fake Anthropic API.`);
		}
		// The SDK sends the key as `authorization: Bearer` (1.x) or `x-api-key` (older releases).
		if (!apiKeyOf(recorded)) return sendError(res, 401, 'authentication_error', 'An API key is required (x-api-key or authorization: Bearer).');
		const unknown = unknownMessageFields(body);
		if (unknown.length > 0) {
			recorded.reply = 'status';
			return sendError(res, 400, 'invalid_request_error', `${unknown[0]}: Extra inputs are not permitted`);
		}
		const reply = queue.shift() ?? chooser?.(recorded) ?? { kind: 'answer' };
		recorded.reply = reply.kind;
		const toolName: string = body?.tool_choice?.name ?? body?.tools?.[0]?.name ?? TOOL_NAME_FALLBACK;
		const model: string = body?.model ?? 'claude-test';
		try {
			if (reply.kind === 'status') return sendError(res, reply.status, errorType(reply.status), `Fake ${reply.status}`, reply.retryAfter);
			if (body?.stream === true) return await streamReply(res, reply, toolName, model);
			if (reply.kind === 'stall') return; // never answers; the client's timeout or abort ends it
			sendJson(res, 200, message(model, toolName, reply));
		} catch {
			// the client went away mid-answer: nothing to do
		}
	});

	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		script: (...replies) => queue.push(...replies),
		route: (choose) => {
			chooser = choose;
		},
		reset: () => {
			queue = [];
			chooser = null;
			requests.length = 0;
		},
		close: () =>
			new Promise<void>((resolve) => {
				for (const res of open) res.destroy();
				server.close(() => resolve());
				server.closeAllConnections();
			})
	};
}

/** The brief a recorded request carries (the JSON between <brief> tags of its user message), or null. */
export function briefOf(request: RecordedRequest): Record<string, unknown> | null {
	const content = request.body?.messages?.[0]?.content;
	const text = typeof content === 'string' ? content : Array.isArray(content) ? content.map((part: any) => part?.text ?? '').join('') : '';
	const match = /<brief>\s*([\s\S]*?)\s*<\/brief>/.exec(text);
	if (!match) return null;
	try {
		return JSON.parse(match[1]!);
	} catch {
		return null;
	}
}

/** The API key a request carries, from either header the API accepts; null without one. */
export function apiKeyOf(request: RecordedRequest): string | null {
	const header = request.headers['x-api-key'];
	if (typeof header === 'string' && header) return header;
	const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
	return bearer ? bearer[1]! : null;
}

function inputText(reply: Extract<FakeReply, { kind: 'answer' }>): string {
	return reply.raw ?? JSON.stringify(reply.input ?? sampleClaudeAnalysis());
}

let ids = 0;
const nextId = (prefix: string) => `${prefix}_fake${String(++ids).padStart(6, '0')}`;

function message(model: string, toolName: string, reply: Extract<FakeReply, { kind: 'answer' }>) {
	let input: unknown;
	try {
		input = JSON.parse(inputText(reply));
	} catch {
		input = {};
	}
	return {
		id: nextId('msg'),
		type: 'message',
		role: 'assistant',
		model,
		content: [...(reply.text ? [{ type: 'text', text: reply.text }] : []), { type: 'tool_use', id: nextId('toolu'), name: toolName, input }],
		stop_reason: 'tool_use',
		stop_sequence: null,
		usage: { input_tokens: 812, output_tokens: 640 }
	};
}

async function streamReply(res: ServerResponse, reply: Exclude<FakeReply, { kind: 'status' }>, toolName: string, model: string): Promise<void> {
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': nextId('req') });
	const send = (event: string, data: unknown) => {
		if (!res.destroyed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
	};
	send('message_start', {
		type: 'message_start',
		message: { id: nextId('msg'), type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 812, output_tokens: 1 } }
	});
	if (reply.kind === 'stall') {
		send('ping', { type: 'ping' });
		return; // the response stays open until the client closes it
	}
	let index = 0;
	if (reply.text) {
		send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
		send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: reply.text } });
		send('content_block_stop', { type: 'content_block_stop', index });
		index += 1;
	}
	send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: nextId('toolu'), name: toolName, input: {} } });
	send('ping', { type: 'ping' });
	if (reply.hold) await reply.hold;
	const json = inputText(reply);
	const size = reply.chunk ?? 48;
	for (let at = 0; at < json.length; at += size) {
		if (res.destroyed) return;
		send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json.slice(at, at + size) } });
		if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
	}
	send('content_block_stop', { type: 'content_block_stop', index });
	send('message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: Math.ceil(json.length / 4) } });
	send('message_stop', { type: 'message_stop' });
	res.end();
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	res.writeHead(status, { 'content-type': 'application/json', 'request-id': nextId('req'), ...headers });
	res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, type: string, message: string, retryAfter?: string): void {
	sendJson(res, status, { type: 'error', error: { type, message } }, retryAfter === undefined ? {} : { 'retry-after': retryAfter });
}

function errorType(status: number): string {
	if (status === 429) return 'rate_limit_error';
	if (status === 529) return 'overloaded_error';
	if (status === 401) return 'authentication_error';
	if (status === 400) return 'invalid_request_error';
	if (status >= 500) return 'api_error';
	return 'invalid_request_error';
}
